import { record } from '../autograd/engine.js'
import { formatShape } from '../shape.js'
import type { Tensor } from '../tensor.js'
import { empty, floatDType, floats } from './operands.js'

/**
 * x[start : start + length] along dim 0: a contiguous block, copied without a gather.
 * A private stand-in until the tensor surface's `narrow` lands (issue 13): attention uses
 * it to split packed projections (in_proj_weight, nanoGPT's c_attn) into q, k and v.
 */
export function leadingSlice(x: Tensor, start: number, length: number): Tensor {
  const n = x.shape[0]
  if (x.ndim === 0 || start < 0 || length < 0 || start + length > n) {
    throw new RangeError(`leadingSlice: rows [${start}, ${start + length}) are out of range for ${formatShape(x.shape)}`)
  }
  const row = n === 0 ? 0 : x.numel() / n
  const dtype = floatDType(x)
  const out = empty(dtype, [length, ...x.shape.slice(1)])
  floats(out).set(floats(x).subarray(start * row, (start + length) * row))
  return record(out, 'NarrowBackward0', [x], (g) => {
    const dx = empty(dtype, x.shape)
    floats(dx).set(floats(g), start * row)
    return [dx]
  }, { dim: 0, start, length })
}
