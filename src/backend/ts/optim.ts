import type { FloatArray } from '../../dtype.js'
import type { AdagradOptions, AdamOptions, RmspropOptions, SgdOptions } from '../types.js'

export function sgdStep(p: FloatArray, g: FloatArray, buf: FloatArray | null, firstStep: boolean, o: SgdOptions): void {
  for (let i = 0; i < p.length; i++) {
    let d = g[i] + o.weightDecay * p[i]
    if (buf) {
      // The buffer is the gradient itself on the first step (no dampening), as in PyTorch.
      buf[i] = firstStep ? d : o.momentum * buf[i] + (1 - o.dampening) * d
      d = o.nesterov ? d + o.momentum * buf[i] : buf[i]
    }
    p[i] -= o.lr * d
  }
}

export function adamStep(p: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray, step: number, o: AdamOptions): void {
  const stepSize = o.lr / (1 - o.beta1 ** step)
  const bias2Sqrt = Math.sqrt(1 - o.beta2 ** step)
  const decay = o.decoupled ? 1 - o.lr * o.weightDecay : 1
  const l2 = o.decoupled ? 0 : o.weightDecay
  for (let i = 0; i < p.length; i++) {
    p[i] *= decay
    const gi = g[i] + l2 * p[i]
    m[i] += (1 - o.beta1) * (gi - m[i])
    v[i] = o.beta2 * v[i] + (1 - o.beta2) * gi * gi
    p[i] -= (stepSize * m[i]) / (Math.sqrt(v[i]) / bias2Sqrt + o.eps)
  }
}

export function rmspropStep(p: FloatArray, g: FloatArray, s: FloatArray, a: FloatArray | null, buf: FloatArray | null, o: RmspropOptions): void {
  for (let i = 0; i < p.length; i++) {
    const gi = g[i] + o.weightDecay * p[i]
    s[i] = o.alpha * s[i] + (1 - o.alpha) * gi * gi
    let avg: number
    if (a) {
      a[i] += (1 - o.alpha) * (gi - a[i])
      avg = Math.sqrt(s[i] - a[i] * a[i]) + o.eps
    } else {
      avg = Math.sqrt(s[i]) + o.eps
    }
    if (buf) {
      buf[i] = o.momentum * buf[i] + gi / avg
      p[i] -= o.lr * buf[i]
    } else {
      p[i] -= (o.lr * gi) / avg
    }
  }
}

export function adagradStep(p: FloatArray, g: FloatArray, s: FloatArray, o: AdagradOptions): void {
  for (let i = 0; i < p.length; i++) {
    const gi = g[i] + o.weightDecay * p[i]
    s[i] += gi * gi
    p[i] -= (o.lr * gi) / (Math.sqrt(s[i]) + o.eps)
  }
}
