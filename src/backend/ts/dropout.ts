import type { FloatArray } from '../../dtype.js'
import type { DropoutMaskOptions } from '../types.js'

/**
 * Dropout's mask: block u (elements u·per to (u + 1)·per) is 0 when the u-th draw is below p,
 * else 1 / (1 − p). One draw per block, in order, so every backend gives the same mask.
 */
export function dropoutMask(out: FloatArray, { p, per, random }: DropoutMaskOptions): void {
  const keep = 1 / (1 - p)
  const units = per === 0 ? 0 : out.length / per
  for (let u = 0; u < units; u++) out.fill(random() < p ? 0 : keep, u * per, (u + 1) * per)
}
