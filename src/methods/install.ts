import { Tensor } from '../tensor.js'

/**
 * Puts an op family's methods on Tensor.prototype. Each file in src/methods/ declares an
 * interface of its methods (one JSDoc line each: the rule and the shapes), merges it into
 * Tensor in src/tensor.ts (`interface Tensor extends …`), and installs the implementations
 * with this, so tensor.ts stays the core and an op family's methods live in one file.
 */
export function installMethods<M>(methods: M & ThisType<Tensor>): void {
  Object.assign(Tensor.prototype, methods)
}
