// A bool mask as an additive one (attention's attnMask): true (attend) → 0, false → −∞, broadcast.
import { nextRowOf, rowA, rowLen, rowStride, startRows } from './broadcast'

/**
 * out[k] = mask[Σ idx[d]·strides[d]] != 0 ? 0 : −∞ over the odometer's shape (meta: i32
 * shape[rank], strides[rank], zeroed counters[rank]); the mask is one byte per element.
 */
function additiveMask<T>(mask: usize, out: usize, n: i32, rank: i32, meta: usize): void {
  if (n == 0) return
  const sz = <usize>sizeof<T>()
  if (rank == 0) {
    store<T>(out, load<u8>(mask) != 0 ? <T>0 : <T>-Infinity)
    return
  }
  const rows = startRows(meta, rank, n)
  const len = rowLen
  const step = rowStride
  let po = out
  for (let r = 0; r < rows; r++) {
    let src = mask + <usize>rowA
    for (let i = 0; i < len; i++) {
      store<T>(po + <usize>i * sz, load<u8>(src) != 0 ? <T>0 : <T>-Infinity)
      src += <usize>step
    }
    po += <usize>len * sz
    nextRowOf(meta, rank)
  }
}

export function additiveMask_f32(mask: usize, out: usize, n: i32, rank: i32, meta: usize): void {
  additiveMask<f32>(mask, out, n, rank, meta)
}
export function additiveMask_f64(mask: usize, out: usize, n: i32, rank: i32, meta: usize): void {
  additiveMask<f64>(mask, out, n, rank, meta)
}
