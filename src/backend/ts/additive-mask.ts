import type { FloatArray } from '../../dtype.js'

/** out[k] = mask[strided k] ? 0 : −∞ over `outShape` (see Backend.additiveMask). */
export function additiveMask(mask: Uint8Array, out: FloatArray, outShape: readonly number[], strides: readonly number[]): void {
  const rank = outShape.length
  const at = new Array<number>(rank).fill(0)
  let mi = 0
  for (let k = 0; k < out.length; k++) {
    out[k] = mask[mi] ? 0 : -Infinity
    for (let d = rank - 1; d >= 0; d--) {
      at[d]++
      mi += strides[d]
      if (at[d] < outShape[d]) break
      mi -= strides[d] * outShape[d]
      at[d] = 0
    }
  }
}
