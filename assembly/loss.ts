// Pointwise losses and their gradients. bce and bceWithLogits are computed in f64 for
// both float types, in the reference's exact formula (their logs and exps dominate;
// the data is a batch of outputs, small beside any matrix product). mse is vectorised.
//
// Kinds are the Loss enum of opcodes.generated.ts; an unknown kind traps (unreachable).
// `w` is 0 for no weights.

import { lanes } from './math'
import { Loss } from './opcodes.generated'

// @ts-ignore: decorator
@inline function lossScalar(kind: i32, x: f64, t: f64): f64 {
  if (kind == Loss.bce) {
    // PyTorch clamps each log at −100 so that x = 0 or 1 gives a finite loss. With a label of
    // exactly 1 (or 0) and x in [0, 1], the other term is 0 · (a log clamped into [−100, 0]),
    // ±0, which leaves the sum as it is (at x = 1 or 0 too: −100 + ±0, or +0 + −0): its log
    // is skipped, to the same bits.
    if (x >= 0 && x <= 1) {
      if (t == 1) return -Math.max(Math.log(x), -100)
      if (t == 0) return -Math.max(Math.log(1 - x), -100)
    }
    return -(t * Math.max(Math.log(x), -100) + (1 - t) * Math.max(Math.log(1 - x), -100))
  }
  if (kind == Loss.bceWithLogits) {
    const m = Math.max(-x, 0)
    return (1 - t) * x + m + Math.log(Math.exp(-m) + Math.exp(-x - m))
  }
  if (kind == Loss.mse) return (x - t) * (x - t)
  unreachable()
  return 0
}

// @ts-ignore: decorator
@inline function gradScalar(kind: i32, x: f64, t: f64): f64 {
  // PyTorch floors the bce denominator at 1e−12 in binary_cross_entropy_backward.
  if (kind == Loss.bce) return (x - t) / Math.max(x * (1 - x), 1e-12)
  if (kind == Loss.bceWithLogits) return 1 / (1 + Math.exp(-x)) - t
  if (kind == Loss.mse) return 2 * (x - t)
  unreachable()
  return 0
}

function pointwiseLoss<T>(kind: i32, x: usize, t: usize, w: usize, out: usize, n: i32): void {
  const sz = <usize>sizeof<T>()
  const L = lanes<T>()
  let i = 0
  if (kind == Loss.mse) {
    for (; i + L <= n; i += L) {
      const o = <usize>i * sz
      const d = v128.sub<T>(v128.load(x + o), v128.load(t + o))
      let r = v128.mul<T>(d, d)
      if (w != 0) r = v128.mul<T>(v128.load(w + o), r)
      v128.store(out + o, r)
    }
  }
  for (; i < n; i++) {
    const o = <usize>i * sz
    const wi: f64 = w != 0 ? <f64>load<T>(w + o) : 1
    store<T>(out + o, <T>(wi * lossScalar(kind, <f64>load<T>(x + o), <f64>load<T>(t + o))))
  }
}

export function pointwiseLoss_f32(kind: i32, x: usize, t: usize, w: usize, out: usize, n: i32): void {
  pointwiseLoss<f32>(kind, x, t, w, out, n)
}
export function pointwiseLoss_f64(kind: i32, x: usize, t: usize, w: usize, out: usize, n: i32): void {
  pointwiseLoss<f64>(kind, x, t, w, out, n)
}

/** out[i] = scale · dy[i or 0] · w[i] · ∂ℓ/∂x; dyLen is 1 (broadcast) or n. */
function pointwiseLossBackward<T>(kind: i32, x: usize, t: usize, w: usize, dy: usize, dyLen: i32, scale: f64, out: usize, n: i32): void {
  const sz = <usize>sizeof<T>()
  const L = lanes<T>()
  const dyStep: usize = dyLen == 1 ? 0 : sz
  let i = 0
  if (kind == Loss.mse) {
    const two = v128.splat<T>(<T>2)
    const sc = v128.splat<T>(<T>scale)
    const dy0 = v128.load_splat<T>(dy)
    for (; i + L <= n; i += L) {
      const o = <usize>i * sz
      let f = v128.mul<T>(sc, dyStep == 0 ? dy0 : v128.load(dy + o))
      if (w != 0) f = v128.mul<T>(f, v128.load(w + o))
      const g = v128.mul<T>(two, v128.sub<T>(v128.load(x + o), v128.load(t + o)))
      v128.store(out + o, v128.mul<T>(f, g))
    }
  }
  for (; i < n; i++) {
    const o = <usize>i * sz
    const wi: f64 = w != 0 ? <f64>load<T>(w + o) : 1
    const g = gradScalar(kind, <f64>load<T>(x + o), <f64>load<T>(t + o))
    store<T>(out + o, <T>(scale * <f64>load<T>(dy + <usize>i * dyStep) * wi * g))
  }
}

export function pointwiseLossBackward_f32(kind: i32, x: usize, t: usize, w: usize, dy: usize, dyLen: i32, scale: f64, out: usize, n: i32): void {
  pointwiseLossBackward<f32>(kind, x, t, w, dy, dyLen, scale, out, n)
}
export function pointwiseLossBackward_f64(kind: i32, x: usize, t: usize, w: usize, dy: usize, dyLen: i32, scale: f64, out: usize, n: i32): void {
  pointwiseLossBackward<f64>(kind, x, t, w, dy, dyLen, scale, out, n)
}
