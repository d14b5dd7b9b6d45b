import type { FloatArray } from '../../dtype.js'
import { stridedCopy } from './elementwise.js'

/** out[k] = mask[strided k] ? 0 : −∞ over `outShape` (see Backend.additiveMask): the mask made additive, then broadcast. */
export function additiveMask(mask: Uint8Array, out: FloatArray, outShape: readonly number[], strides: readonly number[]): void {
  const additive = new Float64Array(mask.length)
  for (let i = 0; i < mask.length; i++) additive[i] = mask[i] ? 0 : -Infinity
  stridedCopy(additive, out, outShape, strides, 0)
}
