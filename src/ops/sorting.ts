import { composite, traced } from '../autograd/engine.js'
import { newArray, replayedStep } from '../compile/hooks.js'
import type { TypedArray } from '../dtype.js'
import { checkOptionKeys } from '../options.js'
import { formatShape, normalizeDim, splitAt } from '../shape.js'
import { Tensor } from '../tensor.js'
import type { ValuesIndices } from './extremes.js'
import { gatherAs } from './slice.js'

/**
 * sort, argsort, topk: the order is computed in TypeScript, the values are gathered by it.
 * Autograd sees PyTorch's one op (SortBackward0, TopkBackward0) on the values; a tracer (ONNX
 * export) sees it twice, once per output, the indices marked { output: 'indices' }.
 */

/** sort's and argsort's options (dim may also be the first argument). */
export interface SortOptions {
  dim?: number
  /** Largest first. */
  descending?: boolean
  /** Accepted for PyTorch's signature: every sort here is stable. */
  stable?: boolean
}

/** topk's options (dim may also be the argument after k). */
export interface TopkOptions {
  dim?: number
  /** The k largest (true) or the k smallest. */
  largest?: boolean
  /** Accepted for PyTorch's signature: the k are always returned in order. */
  sorted?: boolean
}

/** −1, 0 or 1 as u sorts before, with or after v: NaN is the largest value, as in PyTorch. */
function compare(u: number, v: number): number {
  if (u !== u) return v !== v ? 0 : 1
  if (v !== v) return -1
  return u < v ? -1 : u > v ? 1 : 0
}

/**
 * For each line of n elements along a dim (stride `inner`) of x: the indices of its first k in
 * sorted order, ties lower index first in both directions (a stable sort), into out [outer, k, inner].
 * A replayedStep: a compiled step sorts each call's own x.
 */
function sortLines(x: TypedArray, n: number, inner: number, k: number, descending: boolean, out: Int32Array): void {
  if (k === 0) return
  const line = new Float64Array(n)
  const order = new Int32Array(n)
  const sign = descending ? -1 : 1
  const byValue = (a: number, b: number): number => sign * compare(line[a], line[b]) || a - b
  const outer = n * inner === 0 ? 0 : x.length / (n * inner)
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      for (let j = 0; j < n; j++) {
        line[j] = x[(o * n + j) * inner + i]
        order[j] = j
      }
      if (k * 8 <= n) firstK(order, n, k, byValue)
      else order.sort(byValue)
      for (let j = 0; j < k; j++) out[(o * k + j) * inner + i] = order[j]
    }
  }
}

/**
 * The first k of 0..n−1 in `before` order into order[0..k): one pass keeping them sorted by
 * insertion, mostly one comparison per element (topk(5) of 50 000 values: ~80× a full sort).
 */
function firstK(order: Int32Array, n: number, k: number, before: (a: number, b: number) => number): void {
  let size = 0
  for (let j = 0; j < n; j++) {
    if (size === k && before(j, order[k - 1]) > 0) continue
    let p = size < k ? size++ : k - 1
    for (; p > 0 && before(j, order[p - 1]) < 0; p--) order[p] = order[p - 1]
    order[p] = j
  }
}

/** The int32 indices of the first k along dim d in sorted order; shape x's with k along d. */
function sortedIndices(x: Tensor, d: number, k: number, descending: boolean): Tensor {
  const [, n, inner] = splitAt(x.shape, d)
  const shape = x.ndim === 0 ? x.shape : x.shape.map((s, i) => (i === d ? k : s))
  const out = newArray(new Int32Array((x.numel() / (n || 1)) * k))
  replayedStep('sortLines', sortLines, [x.data, n, inner, k, descending, out])
  return new Tensor(out, shape)
}

/**
 * sortedIndices, shown to a tracer as the indices output of the op `name` with ONNX TopK's
 * attributes (k null for sort: the dim's whole size). Object literals, not a spread of one
 * another: the spread cost topk(3) of a [4, 16] tensor ~0.7 µs a call (of ~5.3).
 */
function indicesOp(name: string, x: Tensor, d: number, k: number, largest: boolean): Tensor {
  const attributes = { dim: d, k: name === 'SortBackward0' ? null : k, largest, output: 'indices' }
  return traced(sortedIndices(x, d, k, largest), name, [x], attributes)
}

/** `dim` given positionally or in the options (the options then hold the rest). */
function dimAndOptions<O extends { dim?: number }>(op: string, dim: number | O | undefined, options: O | undefined, known: string[]): [number, O] {
  if (typeof dim === 'object' && dim !== null) {
    if (options !== undefined) throw new TypeError(`${op}: pass the options once, as the last argument`)
    checkOptionKeys(op, dim, known)
    return [dim.dim ?? -1, dim]
  }
  checkOptionKeys(op, options, known.filter((key) => key !== 'dim'))
  return [dim ?? -1, options ?? ({} as O)]
}

/**
 * Sorted along `dim` (the last by default) → { values, indices (int32) }; ties keep their order
 * (lower index first, also with { descending }), NaN sorts as the largest value. The gradient
 * of values goes back to where each came from. `sort(x, 0)`, `sort(x, { dim: 0, descending: true })`.
 */
export function sort(x: Tensor, dim?: number | SortOptions, options?: SortOptions): ValuesIndices {
  const [at, o] = dimAndOptions('sort', dim, options, ['dim', 'descending', 'stable'])
  const d = normalizeDim('sort', at, x.ndim, x.shape)
  return sorted('SortBackward0', x, d, x.shape[d] ?? 1, o.descending ?? false)
}

/** The values and indices of the first k along d, largest first or smallest first. */
function sorted(name: string, x: Tensor, d: number, k: number, largest: boolean): ValuesIndices {
  const indices = indicesOp(name, x, d, k, largest)
  const attributes = { dim: d, k: name === 'SortBackward0' ? null : k, largest }
  return { values: composite(name, [x], attributes, () => gatherAs(name, x, d, indices)), indices }
}

/** The int32 indices that sort x along `dim` (sort's indices, same arguments). */
export function argsort(x: Tensor, dim?: number | SortOptions, options?: SortOptions): Tensor {
  const [at, o] = dimAndOptions('argsort', dim, options, ['dim', 'descending', 'stable'])
  const d = normalizeDim('argsort', at, x.ndim, x.shape)
  return indicesOp('SortBackward0', x, d, x.shape[d] ?? 1, o.descending ?? false)
}

/**
 * The k largest (or with { largest: false } smallest) along `dim` (the last by default), in
 * order → { values, indices (int32) }; ties go to the lower index. The gradient of values goes
 * back to where each came from. `topk(x, 5)`, `topk(x, 5, 1)`, `topk(x, 5, { largest: false })`.
 */
export function topk(x: Tensor, k: number, dim?: number | TopkOptions, options?: TopkOptions): ValuesIndices {
  const [at, o] = dimAndOptions('topk', dim, options, ['dim', 'largest', 'sorted'])
  const d = normalizeDim('topk', at, x.ndim, x.shape)
  const size = x.shape[d] ?? 1
  // A 0-d tensor's result is 0-d, one element: k = 0 has none to give it (PyTorch leaves it unwritten).
  const least = x.ndim === 0 ? 1 : 0
  if (!Number.isInteger(k) || k < least || k > size) {
    throw new RangeError(`topk: k = ${String(k)} is out of range for dim ${d} of size ${size} (tensor of shape ${formatShape(x.shape)}); k must be an integer from ${least} to ${size}`)
  }
  return sorted('TopkBackward0', x, d, k, o.largest ?? true)
}
