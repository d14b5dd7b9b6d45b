import type { FloatArray } from '../../dtype.js'

/** out[o, i] = scale · Σ_j x[o, j, i] over x viewed as [outer, n, inner]. */
export function sumAxis(x: FloatArray, out: FloatArray, outer: number, n: number, inner: number, scale: number): void {
  if (inner === 1) {
    for (let o = 0; o < outer; o++) out[o] = sumRow(x, o * n, n) * scale
    return
  }
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let s = 0
      for (let j = 0, at = o * n * inner + i; j < n; j++, at += inner) s += x[at]
      out[o * inner + i] = s * scale
    }
  }
}

/**
 * Σ x[at..at+n) in float64, in the wasm kernel's order (assembly/reduce.ts sumContiguous): four
 * partial sums p_k over i ≡ k (mod 4), combined as (p0 + p2) + (p1 + p3), then the tail in
 * order. The two kernels then give the same bits, so a compiled step runs the wasm one for a
 * sum eager ran here (src/backend/wasm/twins.ts).
 */
function sumRow(x: FloatArray, at: number, n: number): number {
  let p0 = 0
  let p1 = 0
  let p2 = 0
  let p3 = 0
  let i = 0
  for (; i + 4 <= n; i += 4) {
    p0 += x[at + i]
    p1 += x[at + i + 1]
    p2 += x[at + i + 2]
    p3 += x[at + i + 3]
  }
  let s = p0 + p2 + (p1 + p3)
  for (; i < n; i++) s += x[at + i]
  return s
}

/** out[0] = Σ x[i]², summed in float64. */
export function sumSquares(x: FloatArray, out: FloatArray): void {
  let s = 0
  for (let i = 0; i < x.length; i++) s += x[i] * x[i]
  out[0] = s
}

/** Softmax or log-softmax over the middle axis of [outer, n, inner], shifted by the max for stability. */
export function softmax(x: FloatArray, out: FloatArray, outer: number, n: number, inner: number, log: boolean): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i
      let max = -Infinity
      for (let j = 0; j < n; j++) max = Math.max(max, x[base + j * inner])
      let sum = 0
      for (let j = 0; j < n; j++) sum += Math.exp(x[base + j * inner] - max)
      if (log) {
        const logSum = Math.log(sum)
        for (let j = 0; j < n; j++) out[base + j * inner] = x[base + j * inner] - max - logSum
      } else {
        for (let j = 0; j < n; j++) out[base + j * inner] = Math.exp(x[base + j * inner] - max) / sum
      }
    }
  }
}

export function softmaxBackward(
  y: FloatArray,
  dy: FloatArray,
  out: FloatArray,
  outer: number,
  n: number,
  inner: number,
  log: boolean,
): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i
      let s = 0
      for (let j = 0; j < n; j++) s += log ? dy[base + j * inner] : dy[base + j * inner] * y[base + j * inner]
      for (let j = 0; j < n; j++) {
        const at = base + j * inner
        out[at] = log ? dy[at] - Math.exp(y[at]) * s : y[at] * (dy[at] - s)
      }
    }
  }
}
