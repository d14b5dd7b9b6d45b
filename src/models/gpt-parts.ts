/**
 * A stand-in the GPT needs before its owner's version reaches main (F.layerNorm, issue 14):
 * the textbook formula with its gradient next to it, over the last dim, in plain loops.
 * Swap in F.layerNorm once it is merged.
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
  }, { normalizedShape: [n], eps, hasWeight: true, hasBias: true })
}
