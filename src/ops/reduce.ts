import { record } from '../autograd/engine.js'
import { backend } from '../backend/index.js'
import { broadcastStrides, normalizeDim, sameShape, SCALAR, splitAt, type Shape } from '../shape.js'
import type { Tensor } from '../tensor.js'
import { asFloat, empty, floatDType, floats } from './operands.js'

/** Sum (times `scale`) over all dims, or over one dim. The shape math shared by sum and mean. */
function reduceOp(gradFnName: string, input: Tensor, dim: number | null | undefined, keepdim: boolean, mean: boolean): Tensor {
  const x = asFloat(input)
  const op = mean ? 'mean' : 'sum'
  const d = dim == null ? null : normalizeDim(op, dim, x.ndim, x.shape)
  const [outer, n, inner] = d === null ? [1, x.numel(), 1] : splitAt(x.shape, d)
  const kept = x.shape.map((s, i) => (d === null || i === d ? 1 : s))
  const outShape = keepdim ? kept : d === null ? SCALAR : x.shape.filter((_, i) => i !== d)
  const y = empty(floatDType(x), outShape)
  const scale = mean ? 1 / n : 1
  backend().sumAxis(floats(x), floats(y), outer, n, inner, scale)
  // Backward: every input element gets its output element's gradient (divided by n for mean).
  return record(y, gradFnName, [x], (g) => [expandTo((mean ? g.div(n) : g).viewAs(kept), x.shape)], { dim: d, keepdim })
}

export function sum(x: Tensor, dim?: number | null, keepdim = false): Tensor {
  return reduceOp(dim == null ? 'SumBackward0' : 'SumBackward1', x, dim, keepdim, false)
}

export function mean(x: Tensor, dim?: number | null, keepdim = false): Tensor {
  return reduceOp(dim == null ? 'MeanBackward0' : 'MeanBackward1', x, dim, keepdim, true)
}

/** Copy `x` broadcast to `shape`. Not recorded: for backward passes. */
export function expandTo(x: Tensor, shape: Shape): Tensor {
  const out = empty(floatDType(x), shape)
  backend().stridedCopy(floats(x), floats(out), shape, broadcastStrides(x.shape, shape), 0)
  return out
}

/**
 * Sum a gradient over the dims its tensor was broadcast along, back to `shape`.
 * Not recorded: for backward passes of broadcasting ops.
 */
export function sumTo(g: Tensor, shape: Shape): Tensor {
  if (sameShape(g.shape, shape)) return g
  let t = g
  // Leading dims the operand did not have, then dims where it had size 1.
  while (t.ndim > shape.length) t = sumDim(t, 0).viewAs(t.shape.slice(1))
  for (let d = 0; d < shape.length; d++) if (shape[d] === 1 && t.shape[d] !== 1) t = sumDim(t, d)
  return t.viewAs(shape)
}

/** Sum over one dim, keeping it as size 1. */
function sumDim(x: Tensor, d: number): Tensor {
  const [outer, n, inner] = splitAt(x.shape, d)
  const y = empty(floatDType(x), x.shape.map((s, i) => (i === d ? 1 : s)))
  backend().sumAxis(floats(x), floats(y), outer, n, inner, 1)
  return y
}
