import { record } from '../autograd/engine.js'
import { backend } from '../backend/index.js'
import { checkOptionKeys } from '../nn/options.js'
import { broadcastStrides, dimsBetween, formatShape, normalizeDim, sameShape, SCALAR, splitAt, withoutDim, type Shape } from '../shape.js'
import type { Tensor } from '../tensor.js'
import { narrow } from '../promote.js'
import { asFloat, empty, floatDType, floats } from './operands.js'

/** Sum (times `scale`) over all dims, or over one dim. The shape math shared by sum and mean. */
function reduceOp(gradFnName: string, input: Tensor, dim: number | null | undefined, keepdim: boolean, mean: boolean): Tensor {
  const x = asFloat(input)
  const op = mean ? 'mean' : 'sum'
  const d = dim == null ? null : normalizeDim(op, dim, x.ndim, x.shape)
  const [outer, n, inner] = d === null ? [1, x.numel(), 1] : splitAt(x.shape, d)
  const kept = x.shape.map((s, i) => (d === null || i === d ? 1 : s))
  const outShape = keepdim ? kept : d === null ? SCALAR : withoutDim(x.shape, d)
  const y = empty(floatDType(x), outShape)
  const scale = mean ? 1 / n : 1
  backend().sumAxis(floats(x), floats(y), outer, n, inner, scale)
  // Backward: every input element gets its output element's gradient (divided by n for mean).
  return record(y, gradFnName, [x], (g) => [expandTo((mean ? g.div(n) : g).viewAs(kept), x.shape)], { dim: d, keepdim })
}

/** A reduction's dim argument: one dim, a list of dims, or null/undefined for all. */
export type Dims = number | readonly number[] | null | undefined

/** `sum(dim?, keepdim?)` also takes the options form `sum(dim, { keepdim })` or `sum({ dim, keepdim })`. */
export interface SumOptions {
  dim?: Dims
  keepdim?: boolean
}

function reduceArgs(op: string, dim: Dims | SumOptions, keepdim: boolean | SumOptions | undefined): [Dims, boolean] {
  let d = dim as Dims
  let k = keepdim
  if (dim !== null && typeof dim === 'object' && !Array.isArray(dim)) {
    checkOptionKeys(op, dim, ['dim', 'keepdim'])
    d = (dim as SumOptions).dim
    k = (dim as SumOptions).keepdim
  } else if (typeof keepdim === 'object' && keepdim !== null) {
    checkOptionKeys(op, keepdim, ['keepdim'])
    k = keepdim.keepdim
  }
  if (Array.isArray(d) && d.length === 0) d = null // PyTorch: an empty dim list reduces everything (in every call form)
  if (k !== undefined && typeof k !== 'boolean') throw new TypeError(`${op}: keepdim must be a boolean, got ${typeof k} ${JSON.stringify(k)}`)
  return [d, k ?? false]
}

/** Over several dims: one dim at a time from the last, keeping them, then dropping them unless keepdim. */
function reduceDims(x: Tensor, dims: readonly number[], keepdim: boolean, mean: boolean): Tensor {
  const op = mean ? 'mean' : 'sum'
  const ds = dims.map((d) => normalizeDim(op, d, x.ndim, x.shape))
  if (new Set(ds).size !== ds.length) throw new Error(`${op}: dim list [${dims.join(', ')}] names a dim more than once`)
  let y = x
  for (const d of [...ds].sort((a, b) => b - a)) y = reduceOp(mean ? 'MeanBackward1' : 'SumBackward1', y, d, true, mean)
  return keepdim ? y : y.reshape(x.shape.filter((_, i) => !ds.includes(i)))
}

export function sum(x: Tensor, dim?: Dims | SumOptions, keepdim?: boolean | SumOptions): Tensor {
  // int32 and bool sum to int32, as PyTorch (to int64): in float64, exact while numel·2³¹ < 2⁵³.
  if (x.dtype === 'int32' || x.dtype === 'bool') return narrow('sum', sum(x.to('float64'), dim, keepdim), 'int32')
  const [d, k] = reduceArgs('sum', dim, keepdim)
  if (Array.isArray(d)) return reduceDims(x, d, k, false)
  return reduceOp(d == null ? 'SumBackward0' : 'SumBackward1', x, d as number | null | undefined, k, false)
}

export function mean(x: Tensor, dim?: Dims | SumOptions, keepdim?: boolean | SumOptions): Tensor {
  requireFloatInput('mean', x)
  const [d, k] = reduceArgs('mean', dim, keepdim)
  if (Array.isArray(d)) return reduceDims(x, d, k, true)
  return reduceOp(d == null ? 'MeanBackward0' : 'MeanBackward1', x, d as number | null | undefined, k, true)
}

/** mean, var and std refuse int32 and bool as PyTorch does (it cannot infer their float dtype). */
export function requireFloatInput(op: string, x: Tensor): void {
  if (x.dtype === 'int32' || x.dtype === 'bool') {
    throw new TypeError(`${op}: needs a float tensor, got ${x.dtype} of shape ${formatShape(x.shape)} (as in PyTorch); convert it first, e.g. x.float().${op}()`)
  }
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
  while (t.ndim > shape.length) t = sumDim(t, 0).viewAs(dimsBetween(t.shape, 1))
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
