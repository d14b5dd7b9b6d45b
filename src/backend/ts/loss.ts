import type { FloatArray } from '../../dtype.js'
import type { PointwiseLoss } from '../types.js'

const lossFns: Record<PointwiseLoss, (x: number, t: number) => number> = {
  // PyTorch clamps each log at -100 so that x = 0 or 1 gives a finite loss.
  bce: (x, t) => -(t * Math.max(Math.log(x), -100) + (1 - t) * Math.max(Math.log(1 - x), -100)),
  bceWithLogits: (x, t) => {
    const m = Math.max(-x, 0)
    return (1 - t) * x + m + Math.log(Math.exp(-m) + Math.exp(-x - m))
  },
  mse: (x, t) => (x - t) * (x - t),
}

const lossGrads: Record<PointwiseLoss, (x: number, t: number) => number> = {
  // PyTorch floors the denominator at 1e-12 in binary_cross_entropy_backward.
  bce: (x, t) => (x - t) / Math.max(x * (1 - x), 1e-12),
  bceWithLogits: (x, t) => 1 / (1 + Math.exp(-x)) - t,
  mse: (x, t) => 2 * (x - t),
}

export function pointwiseLoss(kind: PointwiseLoss, x: FloatArray, t: FloatArray, w: FloatArray | null, out: FloatArray): void {
  const f = lossFns[kind]
  for (let i = 0; i < x.length; i++) out[i] = (w ? w[i] : 1) * f(x[i], t[i])
}

export function pointwiseLossBackward(
  kind: PointwiseLoss,
  x: FloatArray,
  t: FloatArray,
  w: FloatArray | null,
  dy: FloatArray,
  scale: number,
  out: FloatArray,
): void {
  const g = lossGrads[kind]
  const dyBroadcast = dy.length === 1
  for (let i = 0; i < x.length; i++) {
    out[i] = scale * (dyBroadcast ? dy[0] : dy[i]) * (w ? w[i] : 1) * g(x[i], t[i])
  }
}
