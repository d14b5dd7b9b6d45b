import type { FloatArray } from '../../dtype.js'

/**
 * Batch norm of x viewed as [N, C, S] (assembly/batch-norm.ts is the same loop in wasm), C =
 * mean.length: per channel, out = (x − mean)·rstd·w + b, rstd = 1/√(var + eps) from the stored
 * var (forward and backward then use the same rstd). Training (runningMean null): mean and
 * biased var over the N·S values of the channel, summed in float64; eval: the running
 * statistics, copied into mean and var. w and b may be null.
 */
export function batchNorm(
  x: FloatArray, w: FloatArray | null, b: FloatArray | null, runningMean: FloatArray | null, runningVar: FloatArray | null,
  out: FloatArray, mean: FloatArray, variance: FloatArray, s: number, eps: number,
): void {
  const c = mean.length
  const n = x.length / (c * s)
  for (let ch = 0; ch < c; ch++) {
    if (runningMean && runningVar) {
      mean[ch] = runningMean[ch]
      variance[ch] = runningVar[ch]
    } else {
      let m = 0
      for (let i = 0; i < n; i++) for (let j = (i * c + ch) * s, end = j + s; j < end; j++) m += x[j]
      m /= n * s
      let v = 0
      for (let i = 0; i < n; i++) {
        for (let j = (i * c + ch) * s, end = j + s; j < end; j++) v += (x[j] - m) * (x[j] - m)
      }
      mean[ch] = m
      variance[ch] = v / (n * s)
    }
    const m = mean[ch]
    const scale = (1 / Math.sqrt(variance[ch] + eps)) * (w ? w[ch] : 1)
    const shift = b ? b[ch] : 0
    for (let i = 0; i < n; i++) for (let j = (i * c + ch) * s, end = j + s; j < end; j++) out[j] = (x[j] - m) * scale + shift
  }
}

/**
 * Its vector-Jacobian product, x̂ = (x − mean)·rstd, per channel over its M = N·S values:
 *   training: dx = rstd·w·(g − Σg/M − x̂·Σ(g·x̂)/M);  eval (constant statistics): dx = rstd·w·g;
 *   dw = Σ g·x̂;  db = Σ g (dw, db may be null).
 */
export function batchNormBackward(
  x: FloatArray, w: FloatArray | null, mean: FloatArray, variance: FloatArray, g: FloatArray,
  dx: FloatArray, dw: FloatArray | null, db: FloatArray | null, s: number, eps: number, training: boolean,
): void {
  const c = mean.length
  const n = x.length / (c * s)
  for (let ch = 0; ch < c; ch++) {
    const m = mean[ch]
    const r = 1 / Math.sqrt(variance[ch] + eps)
    let sumG = 0
    let sumGX = 0
    for (let i = 0; i < n; i++) {
      for (let j = (i * c + ch) * s, end = j + s; j < end; j++) {
        sumG += g[j]
        sumGX += g[j] * (x[j] - m)
      }
    }
    if (dw) dw[ch] = sumGX * r
    if (db) db[ch] = sumG
    const k = r * (w ? w[ch] : 1)
    // Training: the statistics' own gradient, folded into a shift and a slope per channel.
    const a = training ? sumG / (n * s) : 0
    const q = training ? (sumGX * r * r) / (n * s) : 0
    for (let i = 0; i < n; i++) for (let j = (i * c + ch) * s, end = j + s; j < end; j++) dx[j] = k * (g[j] - a - (x[j] - m) * q)
  }
}
