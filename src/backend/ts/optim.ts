import type { FloatArray } from '../../dtype.js'
import type { AdagradOptions, AdamOptions, RmspropOptions, SgdOptions } from '../types.js'

/**
 * Gives the bits of the wasm kernel (assembly/optim.ts), which a compiled step runs where eager
 * ran this one (parameters below the small-size threshold): float32 rounds the coefficients and
 * every product and sum to f32 as wasm's f32 ops do (an f64 op on f32 values rounded once is the
 * f32 op), and plain momentum and plain SGD skip the zero weight decay (and dampening), as
 * PyTorch does.
 */
export function sgdStep(p: FloatArray, g: FloatArray, buf: FloatArray | null, firstStep: boolean, o: SgdOptions): void {
  const plain = buf !== null && !firstStep && !o.nesterov && o.weightDecay === 0 && o.dampening === 0
  if (buf === null && o.weightDecay === 0) {
    // SGD's defaults, p −= lr·g: PyTorch skips a zero weight decay (g + 0·p is NaN where p is ±∞).
    const lr = p instanceof Float32Array ? Math.fround(o.lr) : o.lr
    if (p instanceof Float32Array) for (let i = 0; i < p.length; i++) p[i] = p[i] - Math.fround(lr * g[i])
    else for (let i = 0; i < p.length; i++) p[i] -= lr * g[i]
    return
  }
  if (p instanceof Float32Array) {
    if (plain) sgdMomentum32(p, g, buf, Math.fround(o.lr), Math.fround(o.momentum))
    else sgdGeneral32(p, g, buf, firstStep, o)
  } else if (plain) {
    for (let i = 0; i < p.length; i++) {
      const b = o.momentum * buf[i] + g[i]
      buf[i] = b
      p[i] -= o.lr * b
    }
  } else {
    const dm = 1 - o.dampening
    for (let i = 0; i < p.length; i++) {
      let d = g[i] + o.weightDecay * p[i]
      if (buf) {
        // The buffer is the gradient itself on the first step (no dampening), as in PyTorch.
        buf[i] = firstStep ? d : o.momentum * buf[i] + dm * d
        d = o.nesterov ? d + o.momentum * buf[i] : buf[i]
      }
      p[i] -= o.lr * d
    }
  }
}

/** f32 plain momentum: buf = momentum·buf + g, p −= lr·buf. */
function sgdMomentum32(p: Float32Array, g: FloatArray, buf: FloatArray, lr: number, mo: number): void {
  const f = Math.fround
  for (let i = 0; i < p.length; i++) {
    const b = f(f(mo * buf[i]) + g[i])
    buf[i] = b
    p[i] = p[i] - f(lr * b)
  }
}

function sgdGeneral32(p: Float32Array, g: FloatArray, buf: FloatArray | null, firstStep: boolean, o: SgdOptions): void {
  const f = Math.fround
  const lr = f(o.lr), mo = f(o.momentum), dm = f(1 - o.dampening), wd = f(o.weightDecay)
  for (let i = 0; i < p.length; i++) {
    let d = f(g[i] + f(wd * p[i]))
    if (buf) {
      const b = firstStep ? d : f(f(mo * buf[i]) + f(dm * d))
      buf[i] = b
      d = o.nesterov ? f(d + f(mo * b)) : b
    }
    p[i] = p[i] - f(lr * d)
  }
}

// Adam, RMSprop and Adagrad on float32 arrays round as their wasm kernels do, like sgdStep:
// coefficients first, then every product, sum, quotient and square root (Math.fround, called
// directly: through a variable that is sometimes an identity, V8 runs the loop ~20x slower).

export function adamStep(p: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray, step: number, o: AdamOptions): void {
  const stepSize = o.lr / (1 - o.beta1 ** step)
  const bias2Sqrt = Math.sqrt(1 - o.beta2 ** step)
  const decay = o.decoupled ? 1 - o.lr * o.weightDecay : 1
  const l2 = o.decoupled ? 0 : o.weightDecay
  if (p instanceof Float32Array) return adam32(p, g, m, v, stepSize, bias2Sqrt, decay, l2, o)
  for (let i = 0; i < p.length; i++) {
    p[i] *= decay
    const gi = g[i] + l2 * p[i]
    m[i] += (1 - o.beta1) * (gi - m[i])
    v[i] = o.beta2 * v[i] + (1 - o.beta2) * gi * gi
    p[i] -= (stepSize * m[i]) / (Math.sqrt(v[i]) / bias2Sqrt + o.eps)
  }
}

function adam32(p: Float32Array, g: FloatArray, m: FloatArray, v: FloatArray, stepSize: number, bias2Sqrt: number, decay: number, l2: number, o: AdamOptions): void {
  const f = Math.fround
  const ss = f(stepSize), bs = f(bias2Sqrt), dc = f(decay), wd = f(l2)
  const b1 = f(1 - o.beta1), b2 = f(o.beta2), c2 = f(1 - o.beta2), eps = f(o.eps)
  for (let i = 0; i < p.length; i++) {
    const pi = f(p[i] * dc)
    const gi = f(g[i] + f(wd * pi))
    const mi = f(m[i] + f(b1 * f(gi - m[i])))
    const vi = f(f(b2 * v[i]) + f(f(c2 * gi) * gi))
    m[i] = mi
    v[i] = vi
    p[i] = pi - f(f(ss * mi) / f(f(f(Math.sqrt(vi)) / bs) + eps))
  }
}

export function rmspropStep(p: FloatArray, g: FloatArray, s: FloatArray, a: FloatArray | null, buf: FloatArray | null, o: RmspropOptions): void {
  if (p instanceof Float32Array) return rmsprop32(p, g, s, a, buf, o)
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

function rmsprop32(p: Float32Array, g: FloatArray, s: FloatArray, a: FloatArray | null, buf: FloatArray | null, o: RmspropOptions): void {
  const f = Math.fround
  const lr = f(o.lr), alpha = f(o.alpha), c1 = f(1 - o.alpha), eps = f(o.eps), wd = f(o.weightDecay), mo = f(o.momentum)
  for (let i = 0; i < p.length; i++) {
    const gi = f(g[i] + f(wd * p[i]))
    const si = f(f(alpha * s[i]) + f(f(c1 * gi) * gi))
    s[i] = si
    let avg: number
    if (a) {
      const ai = f(a[i] + f(c1 * f(gi - a[i])))
      a[i] = ai
      avg = f(f(Math.sqrt(f(si - f(ai * ai)))) + eps)
    } else {
      avg = f(f(Math.sqrt(si)) + eps)
    }
    if (buf) {
      const b = f(f(mo * buf[i]) + f(gi / avg))
      buf[i] = b
      p[i] = p[i] - f(lr * b)
    } else {
      p[i] = p[i] - f(f(lr * gi) / avg)
    }
  }
}

export function adagradStep(p: FloatArray, g: FloatArray, s: FloatArray, o: AdagradOptions): void {
  if (p instanceof Float32Array) return adagrad32(p, g, s, o)
  for (let i = 0; i < p.length; i++) {
    const gi = g[i] + o.weightDecay * p[i]
    s[i] += gi * gi
    p[i] -= (o.lr * gi) / (Math.sqrt(s[i]) + o.eps)
  }
}

function adagrad32(p: Float32Array, g: FloatArray, s: FloatArray, o: AdagradOptions): void {
  const f = Math.fround
  const lr = f(o.lr), eps = f(o.eps), wd = f(o.weightDecay)
  for (let i = 0; i < p.length; i++) {
    const gi = f(g[i] + f(wd * p[i]))
    const si = f(s[i] + f(gi * gi))
    s[i] = si
    p[i] = p[i] - f(f(lr * gi) / f(f(Math.sqrt(si)) + eps))
  }
}
