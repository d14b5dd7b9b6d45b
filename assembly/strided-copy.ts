// The strided gather behind every copy of a view (permute, transpose, .T, slicing, expand):
// out[idx] = x[offset + Σ idx[d]·strides[d]], walked one output row (the last dim) at a time by
// the odometer of broadcast.ts. Generic over T ∈ {f32, f64}; pointers are byte addresses, counts
// are elements; no alignment is required.

import { lanes } from './math'
import { nextRowOf, rowA, rowLen, rowStride, startRows } from './broadcast'

/**
 * out[idx] = x[offset + Σ idx[d]·strides[d]]. meta holds i32 [shape[rank], strides[rank],
 * counters[rank] (zeroed by the caller)]. Rows with stride 1 are one memory.copy,
 * rows with stride 0 one fill. Other rows whose neighbours start at the next element (a
 * transpose: the row walks a column of x) go four at a time, so each step down x's column reads
 * four adjacent values: one page and cache line where one row at a time touched four.
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
  // Rows r .. r+3 start at adjacent elements when the dim above the row has stride 1 and its
  // counter stays inside it for four rows.
  const above = <usize>(rank - 2) << 2
  const adjacent = rank >= 2 && s != 1 && s != 0 && load<i32>(meta + (<usize>rank << 2) + above) == 1
  const aboveExt = rank >= 2 ? load<i32>(meta + above) : 0
  const aboveAt = meta + (<usize>rank << 3) + above
  for (let r = 0; r < rows; r++) {
    const src = base + <usize>(rowA * sz)
    if (adjacent && r + 4 <= rows && load<i32>(aboveAt) + 4 <= aboveExt) {
      let p = src
      const step = s * sz
      for (let i = 0; i < len; i++) {
        const o = po + <usize>i * <usize>sz
        store<T>(o, load<T>(p))
        store<T>(o + rowBytes, load<T>(p + sz))
        store<T>(o + 2 * rowBytes, load<T>(p + 2 * sz))
        store<T>(o + 3 * rowBytes, load<T>(p + 3 * sz))
        p += step
      }
      po += 4 * rowBytes
      for (let q = 0; q < 4; q++) nextRowOf(meta, rank)
      r += 3
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
  }
}

export function stridedCopy_f32(x: usize, out: usize, n: i32, rank: i32, meta: usize, offset: i32): void {
  stridedCopy<f32>(x, out, n, rank, meta, offset)
}
export function stridedCopy_f64(x: usize, out: usize, n: i32, rank: i32, meta: usize, offset: i32): void {
  stridedCopy<f64>(x, out, n, rank, meta, offset)
}
