import { record, type OpAttributes } from '../autograd/engine.js'
import type { Tensor } from '../tensor.js'
import { empty, floatDType, floats } from './operands.js'

/**
 * Layer norm's kernel: each row of n trailing elements becomes (x − mean)·rstd·w + b,
 * rstd = 1/√(biased var + eps), in one pass per row (a composite of sum/sub/mul/pow made
 * eight tensors of x's size per call). The gradient, next to it:
 *   dx = rstd·(dh − mean(dh) − x̂·mean(dh·x̂)), dh = g·w;  dw = Σ g·x̂;  db = Σ g.
 * Statistics accumulate in float64 for float32 inputs too. `weight` and `bias` may be null.
 */
export function layerNormRows(x: Tensor, n: number, weight: Tensor | null, bias: Tensor | null, attributes: OpAttributes): Tensor {
  const rows = n === 0 ? 0 : x.numel() / n
  const dtype = floatDType(x)
  const out = empty(dtype, x.shape)
  // Views of wasm memory are taken after the allocation (a growing memory detaches older ones).
  const xhat = new Float64Array(x.numel())
  const rstd = new Float64Array(rows)
  const xd = floats(x)
  const w = weight ? floats(weight) : null
  const b = bias ? floats(bias) : null
  const o = floats(out)
  const eps = attributes.eps as number
  for (let r = 0; r < rows; r++) {
    const at = r * n
    let mean = 0
    for (let i = 0; i < n; i++) mean += xd[at + i]
    mean /= n
    let v = 0
    for (let i = 0; i < n; i++) {
      const c = xd[at + i] - mean
      v += c * c
    }
    const s = 1 / Math.sqrt(v / n + eps)
    rstd[r] = s
    for (let i = 0; i < n; i++) {
      const h = (xd[at + i] - mean) * s
      xhat[at + i] = h
      o[at + i] = (w ? h * w[i] : h) + (b ? b[i] : 0)
    }
  }
  const inputs = [x, weight, bias].filter((t): t is Tensor => t !== null)
  return record(out, 'NativeLayerNormBackward0', inputs, (g) => {
    // Views are taken after every allocation: a growing wasm memory detaches older ones.
    const dx = empty(dtype, x.shape)
    const grads: Tensor[] = [dx]
    for (const t of [weight, bias]) if (t) grads.push(empty(dtype, t.shape))
    const gd = floats(g)
    const dxd = floats(dx)
    const w = weight ? floats(weight) : null
    const dwd = new Float64Array(n)
    const dbd = new Float64Array(n)
    for (let r = 0; r < rows; r++) {
      const at = r * n
      let sumDh = 0
      let sumDhX = 0
      for (let i = 0; i < n; i++) {
        const gi = gd[at + i]
        const dh = w ? gi * w[i] : gi
        sumDh += dh
        sumDhX += dh * xhat[at + i]
        dwd[i] += gi * xhat[at + i]
        dbd[i] += gi
      }
      const s = rstd[r]
      const mDh = sumDh / n
      const mDhX = sumDhX / n
      for (let i = 0; i < n; i++) {
        const dh = w ? gd[at + i] * w[i] : gd[at + i]
        dxd[at + i] = s * (dh - mDh - xhat[at + i] * mDhX)
      }
    }
    if (weight) floats(grads[1]).set(dwd)
    if (bias) floats(grads[grads.length - 1]).set(dbd)
    return grads
  }, attributes)
}
