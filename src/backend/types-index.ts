import type { FloatArray } from '../dtype.js'

/**
 * The Backend kernels that read int32 indices (part of Backend: src/backend/types.ts). Callers
 * range-check the indices first (src/ops/index-check.ts), at every compiled replay too.
 */
export interface IndexKernels {
  /**
   * Rows of the middle axis at `index` (each in [0, n)): x is [outer, n, inner], out is
   * [outer, index.length, inner], out[o, j, i] = x[o, index[j], i].
   */
  indexSelect(x: FloatArray, index: Int32Array, out: FloatArray, outer: number, n: number, inner: number): void
  /** Its gradient: out (fully overwritten, [outer, n, inner]) = Σ over j with index[j] = r of g[o, j, i]. */
  indexAdd(g: FloatArray, index: Int32Array, out: FloatArray, outer: number, n: number, inner: number): void

  /**
   * Advanced indexing's flat index, one index tensor at a time: out[k] = index[Σ idx[d]·strides[d]]·scale
   * for each index idx of `shape` (strides 0 on broadcast dims), added to out[k] when `accumulate`.
   * Indices are non-negative (callers wrap them).
   */
  flatIndex(index: Int32Array, out: Int32Array, shape: readonly number[], strides: readonly number[], scale: number, accumulate: boolean): void

  /** out[o, j, i] = x[o, index[o, j, i], i]: x is [outer, n, inner]; index and out are [outer, k, inner]. */
  gatherAxis(x: FloatArray, index: Int32Array, out: FloatArray, outer: number, n: number, inner: number): void
  /** out[o, index[o, j, i], i] += src[o, j, i], updating out ([outer, n, inner]) in place; repeats add. */
  scatterAddAxis(src: FloatArray, index: Int32Array, out: FloatArray, outer: number, n: number, inner: number): void

  /**
   * Negative log-likelihood of int32 class targets `t` (outer·inner of them) over scores
   * x [outer, classes, inner]: sample s = (o, i) of class c = t[s] gives ℓ_s = −w[c]·x[o, c, i]
   * (w[c] = 1 without weights), 0 where c is ignoreIndex (or out of range: callers check) or
   * w[c] is 0. reduction 0 ('none'): out[s] = ℓ_s; 1 ('sum'): out[0] = Σ ℓ_s; 2 ('mean'):
   * out[0] = Σ ℓ_s · (1 / Σ w[c] over the counted targets), NaN when none counts. In f64.
   */
  nllLoss(x: FloatArray, t: Int32Array, w: FloatArray | null, out: FloatArray, outer: number, classes: number, inner: number, ignoreIndex: number, reduction: number): void
  /** Its gradient: gx = 0 but −w[c]·scale·g[s or 0] at each counted target's score (scale as the forward's). */
  nllLossBackward(g: FloatArray, t: Int32Array, w: FloatArray | null, gx: FloatArray, outer: number, classes: number, inner: number, ignoreIndex: number, reduction: number): void
  /**
   * Label smoothing's mask of int32 class targets: kept[s] = 1 where t[s] counts (is not
   * ignoreIndex; out of range: callers check), else 0, and weightSum[0] = Σ w[t[s]] over the
   * counted targets (1 each without weights), summed in f64 in order.
   */
  targetMask(t: Int32Array, w: FloatArray | null, kept: FloatArray, weightSum: FloatArray, classes: number, ignoreIndex: number): void
}
