import type { Tensor } from '../tensor.js'
import { clampAs } from './unary.js'

/** torch.clip: another name for clamp, same arguments: x limited to [min, max] (either bound may be null); its errors say clip. */
export const clip = (x: Tensor, min?: number | null, max?: number | null): Tensor => clampAs('clip', x, min, max)
