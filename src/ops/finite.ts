import { composite, NO_ATTRIBUTES as NONE } from '../autograd/engine.js'
import { constantArray } from '../compile/hooks.js'
import { isFloat } from '../dtype.js'
import { Tensor } from '../tensor.js'
import { eq, ne } from './compare.js'

/**
 * isnan, isinf, isfinite → bool, same shape, no gradient. int32 and bool tensors hold only
 * finite numbers. A tracer (ONNX export) sees each as one op of its name, not the ops inside.
 */

/** A bool tensor of x's shape, all `value` (the answer for int32 and bool tensors). */
const same = (x: Tensor, value: number): Tensor => new Tensor(constantArray(new Uint8Array(x.numel()).fill(value)), x.shape)

/** True where x is NaN (the one value not equal to itself) → bool. */
export const isnan = (x: Tensor): Tensor => composite('isnan', [x], NONE, () => (isFloat(x.dtype) ? ne(x, x) : same(x, 0)))

/** True where x is +∞ or −∞ → bool. (Its arithmetic on x.detach(): a bool answer needs no gradient nodes.) */
export const isinf = (x: Tensor): Tensor => composite('isinf', [x], NONE, () => (isFloat(x.dtype) ? eq(x.detach().abs(), Infinity) : same(x, 0)))

/** True where x is neither NaN nor ±∞ → bool: x − x is 0 exactly for those. */
export const isfinite = (x: Tensor): Tensor => composite('isfinite', [x], NONE, () => (isFloat(x.dtype) ? eq(x.detach().sub(x.detach()), 0) : same(x, 1)))
