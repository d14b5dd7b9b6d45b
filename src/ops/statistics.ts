import { record } from '../autograd/engine.js'
import { backend } from '../backend/index.js'
import { checkOptionKeys } from '../nn/options.js'
import { SCALAR } from '../shape.js'
import type { Tensor } from '../tensor.js'
import { axisOf, dimsOf, keepdimOf, overDims, type Axis, type KeepdimOptions } from './dims.js'
import { isFloat, type FloatArray } from '../dtype.js'
import { replayedStep } from '../compile/hooks.js'
import { narrow } from '../promote.js'
import { asFloat, castFor, empty, floatDType, floats, type DTypeOptions } from './operands.js'
import { expandTo, mean, requireFloatInput, sum } from './reduce.js'

/** logsumexp, var/std, cumsum, prod: reductions built from the core ops or one short loop. */

/**
 * log Σ exp(x) along `dim` (or dims), shifted by the max so it never overflows; an all −inf
 * line gives −inf. The gradient is softmax: g · exp(x − y).
 */
export function logsumexp(x: Tensor, dim: number | readonly number[], options?: KeepdimOptions): Tensor {
  const keepdim = keepdimOf('logsumexp', options)
  const xf = asFloat(x)
  if (typeof dim !== 'number') return overDims('logsumexp', xf, dim, keepdim, (merged) => logsumexp(merged, -1))
  const axis = axisOf('logsumexp', xf.shape, dim, keepdim)
  const y = empty(floatDType(xf), axis.out)
  backend().logsumexp(floats(xf), floats(y), axis.outer, axis.n, axis.inner)
  return record(y, 'LogsumexpBackward0', [xf], (g) => [xf.sub(y.viewAs(axis.kept)).exp().mul(g.viewAs(axis.kept))], { dim: axis.dim, keepdim }, [xf, y])
}

export interface VarOptions extends KeepdimOptions {
  /** Subtracted from the count in the divisor: 1 is Bessel's correction (the default), 0 the population variance. */
  correction?: number
}

/** Variance along `dim` (or dims, or all): Σ (x − mean)² / (n − correction). */
export function variance(x: Tensor, dim?: number | readonly number[] | null, options?: VarOptions): Tensor {
  return varianceOf('var', x, dim, options)
}

function varianceOf(op: string, x: Tensor, dims: number | readonly number[] | null | undefined, options: VarOptions | undefined): Tensor {
  const dim = Array.isArray(dims) && dims.length === 0 ? null : dims // an empty list is every dim, as in PyTorch
  checkOptionKeys(op, options, ['correction', 'keepdim'])
  const correction = options?.correction ?? 1
  const keepdim = options?.keepdim ?? false
  requireFloatInput(op, x)
  const n = dim == null ? x.numel() : dimsOf(op, x.shape, typeof dim === 'number' ? [dim] : dim).reduce((p, d) => p * (x.shape[d] ?? 1), 1) // a 0-d tensor's dim 0 counts 1
  const diff = x.sub(mean(x, dim ?? null, { keepdim: true }))
  // n ≤ correction gives inf or nan, as PyTorch does (with a warning there).
  return sum(diff.mul(diff), dim ?? null, { keepdim }).div(Math.max(n - correction, 0))
}

/** Standard deviation: the square root of var (same options). */
export function std(x: Tensor, dim?: number | readonly number[] | null, options?: VarOptions): Tensor {
  return varianceOf('std', x, dim, options).sqrt()
}

/** Runs `f(base, step)` over each line of `n` elements: `outer` blocks of `inner` lines (base: the line's first element, step: inner). */
function eachLine(outer: number, n: number, inner: number, f: (base: number, step: number) => void): void {
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) f(o * n * inner + i, inner)
}

/** Running sum along `axis`, unrecorded; `reverse` runs from the end (cumsum's gradient). */
function runningSum(x: Tensor, axis: Axis, reverse: boolean): Tensor {
  const out = empty(floatDType(x), x.shape)
  // The loops below run as replayedSteps: a compiled step redoes them on each call's values, as a kernel.
  replayedStep('runningSum', sumLines, [floats(x), floats(out), axis.outer, axis.n, axis.inner, reverse])
  return out
}

function sumLines(s: FloatArray, o: FloatArray, outer: number, n: number, inner: number, reverse: boolean): void {
  eachLine(outer, n, inner, (base, step) => {
    let acc = 0
    for (let j = 0; j < n; j++) {
      const k = base + (reverse ? n - 1 - j : j) * step
      acc += s[k]
      o[k] = acc
    }
  })
}

/** Cumulative sum along `dim`; its gradient is the cumulative sum of g from the end. */
export function cumsum(x: Tensor, dim: number, options?: DTypeOptions): Tensor {
  const xc = castFor('cumsum', x, options)
  if (!isFloat(xc.dtype)) return narrow('cumsum', cumsum(xc.to('float64'), dim), 'int32') // int32 and bool: int32, as PyTorch
  const xf = asFloat(xc)
  const axis = axisOf('cumsum', xf.shape, dim, true)
  return record(runningSum(xf, axis, false), 'CumsumBackward0', [xf], (g) => [runningSum(g, axis, true)], { dim: axis.dim })
}

/**
 * Product along `dim` (or of everything). The gradient of each element is the product of the
 * others in its line, from prefix and suffix products, so zeros are exact.
 */
export function prod(x: Tensor, dim?: number | null, options?: KeepdimOptions): Tensor {
  // int32 and bool: int32, as PyTorch; the float64 product is exact whenever the result fits int32
  // (a line whose product passes 2¹⁰²⁴ before a zero factor is NaN there: an error, not 0).
  if (!isFloat(x.dtype)) return narrow('prod', prod(x.to('float64'), dim, options), 'int32')
  const keepdim = keepdimOf('prod', options)
  const xf = asFloat(x)
  const axis: Axis =
    dim == null ? { dim: 0, outer: 1, n: xf.numel(), inner: 1, kept: xf.shape.map(() => 1), out: SCALAR } : axisOf('prod', xf.shape, dim, keepdim)
  const y = empty(floatDType(xf), axis.out)
  const lines = [axis.outer, axis.n, axis.inner] as const
  replayedStep('prodLines', multiplyLines, [floats(xf), floats(y), ...lines])
  return record(y, dim == null ? 'ProdBackward0' : 'ProdBackward1', [xf], (g) => {
    const others = empty(floatDType(xf), xf.shape)
    replayedStep('prodOthers', multiplyOthers, [floats(xf), floats(others), ...lines])
    return [others.mul(expandTo(g.viewAs(axis.kept), xf.shape))]
  }, dim == null ? { dim: null, keepdim: false } : { dim: axis.dim, keepdim }, xf)
}

/** Each line's product into `y`. */
function multiplyLines(s: FloatArray, y: FloatArray, outer: number, n: number, inner: number): void {
  let k = 0
  eachLine(outer, n, inner, (base, step) => {
    let p = 1
    for (let j = 0; j < n; j++) p *= s[base + j * step]
    y[k++] = p
  })
}

/** Each element's product of the others in its line, as prefix · suffix (exact with zeros). */
function multiplyOthers(s: FloatArray, od: FloatArray, outer: number, n: number, inner: number): void {
  eachLine(outer, n, inner, (base, step) => {
    let prefix = 1
    for (let j = 0; j < n; j++) {
      od[base + j * step] = prefix
      prefix *= s[base + j * step]
    }
    let suffix = 1
    for (let j = n - 1; j >= 0; j--) {
      od[base + j * step] *= suffix
      suffix *= s[base + j * step]
    }
  })
}
