import { record } from '../autograd/engine.js'
import { dimsOf } from './dims.js'
import { stridesOf } from '../shape.js'
import type { Tensor } from '../tensor.js'
import { stridedTake } from './strided.js'

/**
 * x with the order of its elements reversed along each of `dims` (a number or a list; negative
 * counts from the end): one strided copy that walks those dims backwards. The gradient is the
 * gradient flipped back the same way.
 */
export function flip(x: Tensor, dims: number | readonly number[]): Tensor {
  const ds = dimsOf('flip', x.shape, typeof dims === 'number' ? [dims] : dims)
  const strides = stridesOf(x.shape)
  let offset = 0
  for (const d of ds) {
    if (!(x.shape[d] > 1)) continue // (a 0-d tensor, or a dim with nothing to reverse)
    offset += (x.shape[d] - 1) * strides[d]
    strides[d] = -strides[d]
  }
  return record(stridedTake(x, x.shape, strides, offset), 'FlipBackward0', [x], (g) => [flip(g, ds)], { dims: ds })
}
