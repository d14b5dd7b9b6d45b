/**
 * Small stand-ins the GPT needs before their owners' versions land (layerNorm: issue 14,
 * gelu: issue 12). Each is the textbook formula with its gradient
 * next to it, on the last dim, in plain loops; swap in the library's once it exists.
 */
import { record } from '../autograd/engine.js'
import { empty, floatDType, floats } from '../ops/operands.js'
import type { Tensor } from '../tensor.js'

/** (x − mean) / √(var + eps) · weight + bias over the last dim (biased variance, as PyTorch). */
export function layerNormLastDim(x: Tensor, weight: Tensor, bias: Tensor, eps: number): Tensor {
  const n = x.shape[x.ndim - 1]
  const rows = x.numel() / n
  const dtype = floatDType(x)
  const out = empty(dtype, x.shape)
  const xhat = new Float64Array(x.numel())
  const rstd = new Float64Array(rows)
  const xd = floats(x)
  const w = floats(weight)
  const b = floats(bias)
  const o = floats(out)
  for (let r = 0; r < rows; r++) {
    const at = r * n
    let mean = 0
    for (let i = 0; i < n; i++) mean += xd[at + i]
    mean /= n
    let v = 0
    for (let i = 0; i < n; i++) v += (xd[at + i] - mean) ** 2
    const s = 1 / Math.sqrt(v / n + eps)
    rstd[r] = s
    for (let i = 0; i < n; i++) {
      const h = (xd[at + i] - mean) * s
      xhat[at + i] = h
      o[at + i] = h * w[i] + b[i]
    }
  }
  return record(out, 'NativeLayerNormBackward0', [x, weight, bias], (g) => {
    const gd = floats(g)
    const dx = empty(dtype, x.shape)
    const dw = empty(dtype, weight.shape)
    const db = empty(dtype, bias.shape)
    const dxd = floats(dx)
    const dwd = new Float64Array(n)
    const dbd = new Float64Array(n)
    const wd = floats(weight)
    for (let r = 0; r < rows; r++) {
      const at = r * n
      // dx = rstd · (dh − mean(dh) − x̂·mean(dh·x̂)), dh = g·w.
      let sumDh = 0
      let sumDhX = 0
      for (let i = 0; i < n; i++) {
        const dh = gd[at + i] * wd[i]
        sumDh += dh
        sumDhX += dh * xhat[at + i]
        dwd[i] += gd[at + i] * xhat[at + i]
        dbd[i] += gd[at + i]
      }
      for (let i = 0; i < n; i++) {
        dxd[at + i] = rstd[r] * (gd[at + i] * wd[i] - sumDh / n - (xhat[at + i] * sumDhX) / n)
      }
    }
    floats(dw).set(dwd)
    floats(db).set(dbd)
    return [dx, dw, db]
  })
}

/**
 * erf(x) given e = exp(−x²) (GELU needs that exponential for its slope too). float32:
 * Abramowitz & Stegun 7.1.26, |error| ≤ 1.5e-7 (PyTorch's vectorised float erf uses the
 * same formula); float64: e·2x/√π·Σ (2x²)ⁿ / (1·3·…·(2n+1)), all terms positive, to
 * double precision.
 */
function erf(x: number, e: number, double: boolean): number {
  const a = Math.abs(x)
  let y: number
  if (!double) {
    const t = 1 / (1 + 0.3275911 * a)
    y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * e
  } else if (a > 6) {
    y = 1
  } else {
    const x2 = a * a
    let term = a
    let sum = a
    for (let n = 1; term > 1e-17 * sum; n++) {
      term *= (2 * x2) / (2 * n + 1)
      sum += term
    }
    y = (2 / Math.sqrt(Math.PI)) * e * sum
  }
  return x < 0 ? -y : y
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI)
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI)

/** GELU: x·Φ(x), or with 'tanh' ½x(1 + tanh(√(2/π)(x + 0.044715x³))), as torch.nn.functional.gelu. */
export function gelu(x: Tensor, approximate: 'none' | 'tanh' = 'none'): Tensor {
  const dtype = floatDType(x)
  const out = empty(dtype, x.shape)
  const xd = floats(x)
  const o = floats(out)
  const n = xd.length
  const slope = new Float64Array(n)
  const double = dtype === 'float64'
  for (let i = 0; i < n; i++) {
    const v = xd[i]
    if (approximate === 'tanh') {
      const u = SQRT_2_OVER_PI * (v + 0.044715 * v * v * v)
      const t = Math.tanh(u)
      o[i] = 0.5 * v * (1 + t)
      slope[i] = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * 0.044715 * v * v)
    } else {
      const e = Math.exp(-0.5 * v * v)
      const cdf = 0.5 * (1 + erf(v / Math.SQRT2, e, double))
      o[i] = v * cdf
      slope[i] = cdf + v * e * INV_SQRT_2PI
    }
  }
  return record(out, 'GeluBackward0', [x], (g) => {
    const dx = empty(dtype, x.shape)
    const d = floats(dx)
    const gd = floats(g)
    for (let i = 0; i < n; i++) d[i] = gd[i] * slope[i]
    return [dx]
  })
}
