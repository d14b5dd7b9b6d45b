import { installMethods } from './install.js'

/** Elementwise functions as Tensor methods (the op table's entries). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface MathMethods {}

installMethods<MathMethods>({})
