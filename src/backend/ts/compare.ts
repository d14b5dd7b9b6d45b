import type { FloatArray } from '../../dtype.js'
import type { CompareOp } from '../types.js'
import { broadcastBinary } from './elementwise.js'

/** Pure-TypeScript kernels of the tensor surface. compare: out[i] = 1 where the comparison holds, else 0 (NaN compares false, except ne). */

const compareFns: Record<CompareOp, (a: number, b: number) => boolean> = {
  gt: (a, b) => a > b,
  lt: (a, b) => a < b,
  ge: (a, b) => a >= b,
  le: (a, b) => a <= b,
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
}

export function compare(
  op: CompareOp,
  a: FloatArray,
  b: FloatArray,
  out: Uint8Array,
  outShape: readonly number[],
  aStrides: readonly number[],
  bStrides: readonly number[],
): void {
  const f = compareFns[op]
  broadcastBinary((x, y) => (f(x, y) ? 1 : 0), a, b, out, outShape, aStrides, bStrides)
}

/**
 * Max (or min) over the middle axis of x viewed as [outer, n, inner], with the index of the
 * first extreme element; NaN counts as the extreme (it propagates, as in PyTorch).
 */
export function maxAxis(x: FloatArray, values: FloatArray, indices: Int32Array, outer: number, n: number, inner: number, min: boolean): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i
      let best = x[base]
      let at = 0
      for (let j = 1; j < n && best === best; j++) {
        const v = x[base + j * inner]
        if (v !== v || (min ? v < best : v > best)) {
          best = v
          at = j
        }
      }
      values[o * inner + i] = best
      indices[o * inner + i] = at
    }
  }
}

/** logsumexp over the middle axis of [outer, n, inner] (see Backend.logsumexp). */
export function logsumexp(x: FloatArray, out: FloatArray, outer: number, n: number, inner: number): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i
      let m = -Infinity
      for (let j = 0; j < n; j++) {
        const v = x[base + j * inner]
        if (v > m || v !== v) m = v
      }
      if (m === Infinity || m === -Infinity) m = 0
      let sum = 0
      for (let j = 0; j < n; j++) sum += Math.exp(x[base + j * inner] - m)
      out[o * inner + i] = m + Math.log(sum)
    }
  }
}

/** out[o, j, i] = x[o, index[j], i] (see Backend.indexSelect). */
export function indexSelect(x: FloatArray, index: Int32Array, out: FloatArray, outer: number, n: number, inner: number): void {
  const k = index.length
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < k; j++) {
      const from = (o * n + index[j]) * inner
      out.set(x.subarray(from, from + inner), (o * k + j) * inner)
    }
  }
}

/** out = zeros, then out[o, index[j], i] += g[o, j, i] (see Backend.indexAdd). */
export function indexAdd(g: FloatArray, index: Int32Array, out: FloatArray, outer: number, n: number, inner: number): void {
  const k = index.length
  out.fill(0)
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < k; j++) {
      const dst = (o * n + index[j]) * inner
      const src = (o * k + j) * inner
      for (let i = 0; i < inner; i++) out[dst + i] += g[src + i]
    }
  }
}

/** out[k] (+)= index[strided k]·scale over `shape` (see Backend.flatIndex). */
export function flatIndex(index: Int32Array, out: Int32Array, shape: readonly number[], strides: readonly number[], scale: number, accumulate: boolean): void {
  const rank = shape.length
  const at = new Array<number>(rank).fill(0)
  let xi = 0
  for (let k = 0; k < out.length; k++) {
    out[k] = (accumulate ? out[k] : 0) + index[xi] * scale
    for (let d = rank - 1; d >= 0; d--) {
      at[d]++
      xi += strides[d]
      if (at[d] < shape[d]) break
      xi -= strides[d] * shape[d]
      at[d] = 0
    }
  }
}

/** out[o, j, i] = x[o, index[o, j, i], i] (see Backend.gatherAxis). */
export function gatherAxis(x: FloatArray, index: Int32Array, out: FloatArray, outer: number, n: number, inner: number): void {
  const k = index.length / (outer * inner)
  let p = 0
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner
    for (let j = 0; j < k; j++) for (let i = 0; i < inner; i++, p++) out[p] = x[base + index[p] * inner + i]
  }
}

/** out[o, index[o, j, i], i] += src[o, j, i] in place (see Backend.scatterAddAxis). */
export function scatterAddAxis(src: FloatArray, index: Int32Array, out: FloatArray, outer: number, n: number, inner: number): void {
  const k = index.length / (outer * inner)
  let p = 0
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner
    for (let j = 0; j < k; j++) for (let i = 0; i < inner; i++, p++) out[base + index[p] * inner + i] += src[p]
  }
}
