import type { FloatArray } from '../../dtype.js'

/**
 * The negative log-likelihood of int32 class targets (Backend.nllLoss), in f64, in the order
 * assembly/nll-loss.ts computes it: both give the same bits.
 */

/** kept[s] = 1 for each counted target, weightSum[0] = Σ w_c over them (Backend.targetMask). */
export function targetMask(t: Int32Array, w: FloatArray | null, kept: FloatArray, weightSum: FloatArray, classes: number, ignoreIndex: number): void {
  let sum = 0
  for (let s = 0; s < t.length; s++) {
    const c = t[s]
    const counted = c !== ignoreIndex && c >= 0 && c < classes
    kept[s] = counted ? 1 : 0
    if (counted) sum += w ? w[c] : 1
  }
  weightSum[0] = sum
}

/** 1 / Σ w_c over the counted targets for 'mean' (reduction 2), else 1. */
function scaleOf(t: Int32Array, w: FloatArray | null, classes: number, ignoreIndex: number, reduction: number): number {
  if (reduction !== 2) return 1
  let weightSum = 0
  for (let s = 0; s < t.length; s++) {
    const c = t[s]
    if (c !== ignoreIndex && c >= 0 && c < classes) weightSum += w ? w[c] : 1
  }
  return 1 / weightSum
}

export function nllLoss(x: FloatArray, t: Int32Array, w: FloatArray | null, out: FloatArray, outer: number, classes: number, inner: number, ignoreIndex: number, reduction: number): void {
  let total = 0
  for (let o = 0, s = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++, s++) {
      const c = t[s]
      let v = 0
      if (c !== ignoreIndex && c >= 0 && c < classes) {
        const sw = w ? w[c] : 1
        if (sw !== 0) v = -sw * x[(o * classes + c) * inner + i]
      }
      if (reduction === 0) out[s] = v
      else total += v
    }
  }
  if (reduction !== 0) out[0] = total * scaleOf(t, w, classes, ignoreIndex, reduction)
}

export function nllLossBackward(g: FloatArray, t: Int32Array, w: FloatArray | null, gx: FloatArray, outer: number, classes: number, inner: number, ignoreIndex: number, reduction: number): void {
  gx.fill(0)
  const scale = scaleOf(t, w, classes, ignoreIndex, reduction)
  for (let o = 0, s = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++, s++) {
      const c = t[s]
      if (c === ignoreIndex || !(c >= 0 && c < classes)) continue
      const sw = w ? w[c] : 1
      if (sw !== 0) gx[(o * classes + c) * inner + i] = -sw * scale * g[reduction === 0 ? s : 0]
    }
  }
}
