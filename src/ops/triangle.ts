import { record } from '../autograd/engine.js'
import { replayedStep } from '../compile/hooks.js'
import { allocate, type TypedArray } from '../dtype.js'
import { checkOptionKeys } from '../options.js'
import { formatShape } from '../shape.js'
import { Tensor } from '../tensor.js'

/** tril and triu: the lower or upper triangle of each matrix in the last two dims, zeros elsewhere. */

/** tril's and triu's option (or the diagonal as a number). */
export interface DiagonalOptions {
  /** Which diagonal bounds the triangle: 0 the main one, > 0 above it, < 0 below it. */
  diagonal?: number
}

/**
 * out = x where (col − row ≤ diagonal) is `lower`, 0 elsewhere, per [rows, cols] matrix.
 * A plain loop rather than where(mask, x, 0): it keeps every dtype as it is, and it runs as a
 * replayedStep, so a compiled step redoes it on each call's x (as a kernel would).
 */
function keepTriangle(x: TypedArray, rows: number, cols: number, diagonal: number, lower: boolean, out: TypedArray): void {
  for (let at = 0; at < x.length; at += rows * cols) {
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const i = at + r * cols + c
        out[i] = c - r <= diagonal === lower ? x[i] : 0
      }
    }
  }
}

/** The triangle of x (any dtype); its gradient is the same triangle of the gradient. */
function triangle(op: 'tril' | 'triu', x: Tensor, diagonal: number | DiagonalOptions | undefined): Tensor {
  let k = diagonal
  if (typeof k === 'object' && k !== null) {
    checkOptionKeys(op, k, ['diagonal'])
    k = k.diagonal
  }
  k ??= 0
  if (!Number.isInteger(k)) throw new TypeError(`${op}: diagonal must be an integer, got ${String(k)}`)
  if (x.ndim < 2) {
    throw new Error(`${op}: needs a matrix or a batch of them (at least 2 dims), got shape ${formatShape(x.shape)}; reshape it to [rows, cols] first`)
  }
  const rows = x.shape[x.ndim - 2]
  const cols = x.shape[x.ndim - 1]
  const out = new Tensor(allocate(x.dtype, x.numel()), x.shape)
  // tril keeps col − row ≤ k; triu keeps col − row ≥ k, i.e. drops col − row ≤ k − 1.
  const lower = op === 'tril'
  replayedStep('keepTriangle', keepTriangle, [x.data, rows, cols, lower ? k : k - 1, lower, out.data])
  const d = k
  return record(out, lower ? 'TrilBackward0' : 'TriuBackward0', [x], (g) => [triangle(op, g, d)], { diagonal: d })
}

/** The lower triangle of the last two dims (batched over the rest): entries with col − row ≤ diagonal, zeros above. `tril(x, 1)` or `tril(x, { diagonal: 1 })`. */
export const tril = (x: Tensor, diagonal?: number | DiagonalOptions): Tensor => triangle('tril', x, diagonal)

/** The upper triangle of the last two dims (batched over the rest): entries with col − row ≥ diagonal, zeros below. `triu(x, 1)` or `triu(x, { diagonal: 1 })`. */
export const triu = (x: Tensor, diagonal?: number | DiagonalOptions): Tensor => triangle('triu', x, diagonal)
