import type { FloatArray } from '../../dtype.js'

/** out[o, i] = scale · Σ_j x[o, j, i] over x viewed as [outer, n, inner]. */
export function sumAxis(x: FloatArray, out: FloatArray, outer: number, n: number, inner: number, scale: number): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let s = 0
      for (let j = 0, at = o * n * inner + i; j < n; j++, at += inner) s += x[at]
      out[o * inner + i] = s * scale
    }
  }
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
