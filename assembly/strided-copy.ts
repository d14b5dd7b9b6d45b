// The strided gather behind every copy of a view (permute, transpose, .T, slicing, expand):
// out[idx] = x[offset + Σ idx[d]·strides[d]], walked one output row (the last dim) at a time by
// the odometer of broadcast.ts. Generic over T ∈ {f32, f64}; pointers are byte addresses, counts
// are elements; no alignment is required.

import { lanes } from './math'
import { transpose4x4Store } from './gemm'
import { nextRowOf, rowA, rowLen, rowStride, startRows } from './broadcast'

/**
 * Rows of a transposing band. A band keeps its output rows' cache lines open while it walks down
 * x: with rows 4 KB apart (1024 float32, 512 float64), all of them and the x lines read fall in
 * one L1 set of 12 ways. 8 rows fit; 16 float32 rows ran 1.4× slower on 1024 × 1024 (1.1 vs
 * 0.8 ms), and equal on 512 × 512. Measured on this session's Raptor Cove (48 KB L1D).
 */
const BAND_ROWS = 8

/**
 * out[idx] = x[offset + Σ idx[d]·strides[d]]. meta holds i32 [shape[rank], strides[rank],
 * counters[rank] (zeroed by the caller)]. Rows with stride 1 are one memory.copy, rows with
 * stride 0 one fill. Rows whose neighbours start at the next element (a transpose: each row
 * walks a column of x, the next row the column beside it) go BAND_ROWS at a time, by v128 tiles
 * (transposeBand).
 */
function stridedCopy<T>(x: usize, out: usize, n: i32, rank: i32, meta: usize, offset: i32): void {
  const sz = <isize>sizeof<T>()
  const L = lanes<T>()
  const base = x + <usize>(<isize>offset * sz)
  if (n == 0) return
  if (rank == 0) {
    store<T>(out, load<T>(base))
    return
  }
  const rows = startRows(meta, rank, n)
  const len = rowLen
  const s = rowStride
  let po = out
  const rowBytes = <usize>len * <usize>sz
  // Rows start at adjacent elements when the dim above the row has stride 1, for as long as its
  // counter stays inside it.
  const above = <usize>(rank - 2) << 2
  const adjacent = rank >= 2 && s != 1 && s != 0 && load<i32>(meta + (<usize>rank << 2) + above) == 1
  const aboveExt = rank >= 2 ? load<i32>(meta + above) : 0
  const aboveAt = meta + (<usize>rank << 3) + above
  let r = 0
  while (r < rows) {
    const src = base + <usize>(rowA * sz)
    // Whole groups of L rows left inside the dim above, at most BAND_ROWS.
    const band = adjacent ? min(aboveExt - load<i32>(aboveAt), BAND_ROWS) / L * L : 0
    if (band > 0) {
      transposeBand<T>(src, s * sz, po, rowBytes, len, band)
      po += <usize>band * rowBytes
      for (let q = 0; q < band; q++) nextRowOf(meta, rank)
      r += band
      continue
    }
    if (s == 1) {
      memory.copy(po, src, rowBytes)
    } else if (s == 0) {
      const v = load<T>(src)
      const vv = v128.splat<T>(v)
      let i = 0
      for (; i + L <= len; i += L) v128.store(po + <usize>i * <usize>sz, vv)
      for (; i < len; i++) store<T>(po + <usize>i * <usize>sz, v)
    } else {
      let p = src
      const step = s * sz
      for (let i = 0; i < len; i++) {
        store<T>(po + <usize>i * <usize>sz, load<T>(p))
        p += step
      }
    }
    po += rowBytes
    nextRowOf(meta, rank)
    r++
  }
}

/**
 * `band` rows (a multiple of L) of `len` elements: row q, element i = x[src + i·step + q] (step
 * in bytes). Each step down x reads L of its rows, band elements of each (whole v128s), and
 * writes L elements of every output row: an L × L tile transposed by shuffles per group of L
 * rows. The last len % L elements of each row go one at a time.
 */
// @ts-ignore: decorator
@inline function transposeBand<T>(src: usize, step: isize, out: usize, rowBytes: usize, len: i32, band: i32): void {
  const sz = <usize>sizeof<T>()
  const L = lanes<T>()
  let i = 0
  for (; i + L <= len; i += L) {
    const p = src + <usize>(<isize>i * step)
    const o = out + <usize>i * sz
    for (let g = 0; g < band; g += L) transposeTile<T>(p + <usize>g * sz, step, o + <usize>g * rowBytes, rowBytes)
  }
  for (; i < len; i++) {
    const p = src + <usize>(<isize>i * step)
    const o = out + <usize>i * sz
    for (let q = 0; q < band; q++) store<T>(o + <usize>q * rowBytes, load<T>(p + <usize>q * sz))
  }
}

/** out row q, lanes 0..L-1 = lane q of the v128s at p, p + step, …: an L × L transpose (bits moved, never converted). */
// @ts-ignore: decorator
@inline function transposeTile<T>(p: usize, step: isize, o: usize, rowBytes: usize): void {
  if (sizeof<T>() == 4) {
    const p2 = p + <usize>(2 * step)
    transpose4x4Store(v128.load(p), v128.load(p + <usize>step), v128.load(p2), v128.load(p2 + <usize>step), o, rowBytes)
  } else {
    const v0 = v128.load(p)
    const v1 = v128.load(p + <usize>step)
    v128.store(o, v128.shuffle<i64>(v0, v1, 0, 2))
    v128.store(o + rowBytes, v128.shuffle<i64>(v0, v1, 1, 3))
  }
}

export function stridedCopy_f32(x: usize, out: usize, n: i32, rank: i32, meta: usize, offset: i32): void {
  stridedCopy<f32>(x, out, n, rank, meta, offset)
}
export function stridedCopy_f64(x: usize, out: usize, n: i32, rank: i32, meta: usize, offset: i32): void {
  stridedCopy<f64>(x, out, n, rank, meta, offset)
}
