import type { FloatArray } from '../../dtype.js'

/**
 * Layer norm over rows of n elements (assembly/layer-norm.ts is the same loop in wasm):
 * out = (x − mean)·rstd·w + b, rstd = 1/√(biased var + eps); mean and rstd (one per row)
 * are kept for the backward. w and b may be null.
 */
export function layerNorm(x: FloatArray, w: FloatArray | null, b: FloatArray | null, out: FloatArray, mean: FloatArray, rstd: FloatArray, n: number, eps: number): void {
  for (let r = 0; r < mean.length; r++) {
    const at = r * n
    let m = 0
    for (let i = 0; i < n; i++) m += x[at + i]
    m /= n
    let v = 0
    for (let i = 0; i < n; i++) {
      const c = x[at + i] - m
      v += c * c
    }
    const s = 1 / Math.sqrt(v / n + eps)
    mean[r] = m
    rstd[r] = s
    for (let i = 0; i < n; i++) {
      const h = (x[at + i] - mean[r]) * rstd[r]
      out[at + i] = (w ? h * w[i] : h) + (b ? b[i] : 0)
    }
  }
}

/**
 * Its vector-Jacobian product, x̂ = (x − mean)·rstd, dh = g·w:
 *   dx = rstd·(dh − mean(dh) − x̂·mean(dh·x̂));  dw = Σ_rows g·x̂;  db = Σ_rows g (dw, db may be null).
 */
export function layerNormBackward(
  x: FloatArray, w: FloatArray | null, mean: FloatArray, rstd: FloatArray, g: FloatArray,
  dx: FloatArray, dw: FloatArray | null, db: FloatArray | null, n: number,
): void {
  if (dw) dw.fill(0)
  if (db) db.fill(0)
  for (let r = 0; r < mean.length; r++) {
    const at = r * n
    const m = mean[r]
    const s = rstd[r]
    let sumDh = 0
    let sumDhX = 0
    for (let i = 0; i < n; i++) {
      const h = (x[at + i] - m) * s
      const dh = w ? g[at + i] * w[i] : g[at + i]
      sumDh += dh
      sumDhX += dh * h
      if (dw) dw[i] += g[at + i] * h
      if (db) db[i] += g[at + i]
    }
    const mDh = sumDh / n
    const mDhX = sumDhX / n
    for (let i = 0; i < n; i++) {
      const h = (x[at + i] - m) * s
      const dh = w ? g[at + i] * w[i] : g[at + i]
      dx[at + i] = s * (dh - mDh - h * mDhX)
    }
  }
}
