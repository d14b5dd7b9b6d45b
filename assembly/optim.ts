// Optimiser steps, in place on the parameter and its state (PyTorch's rules; see
// src/backend/types.ts). Vectorised in T; the scalar coefficients arrive as f64 and
// are rounded to T once. Each update's vector form is written once over subnormal.ts's ops:
// plain SIMD on T, or, for a run of f32 state holding a subnormal, in f64 lanes with the
// same bits.

import { lanes } from './math'
import { RUN, anySubnormal, vadd, vdiv, vload, vmul, vsplat, vsqrt, vstore, vsub, width } from './subnormal'

/**
 * d = g + wd·p; with momentum (buf ≠ 0): buf = first ? d : momentum·buf + (1 − dampening)·d,
 * d = nesterov ? d + momentum·buf : buf; p −= lr·d.
 */
function sgdStep<T>(p: usize, g: usize, buf: usize, n: i32, first: bool, lr: f64, momentum: f64, dampening: f64, nesterov: bool, wd: f64): void {
  const sz = <usize>sizeof<T>()
  const L = lanes<T>()
  const lrT = <T>lr
  const moT = <T>momentum
  const dmT = <T>(1 - dampening)
  const wdT = <T>wd
  const whole = n & ~(L - 1)
  let i = 0
  // Plain momentum, PyTorch's common case, in loops of their own: V8 does not hoist the
  // general loop's branches, and these skip the zero weight decay as PyTorch does (2x faster
  // on 100k parameters). The ts kernel does the same, so the two give the same bits.
  if (buf != 0 && !first && !nesterov && wd == 0 && dampening == 0) {
    const lrV = vsplat<T, T>(lr), moV = vsplat<T, T>(momentum)
    const lrW = vsplat<f32, f64>(lr), moW = vsplat<f32, f64>(momentum)
    while (i < whole) {
      const end = min(i + RUN, whole)
      if (anySubnormal<T>(buf, i, end)) {
        for (let j = i; j < end; j += width<f64>()) sgdMomentumLanes<f32, f64>(p, g, buf, <usize>j << 2, lrW, moW)
      } else {
        for (let j = i; j < end; j += L) sgdMomentumLanes<T, T>(p, g, buf, <usize>j * sz, lrV, moV)
      }
      i = end
    }
    for (; i < n; i++) {
      const o = <usize>i * sz
      const b = moT * load<T>(buf + o) + load<T>(g + o)
      store<T>(buf + o, b)
      store<T>(p + o, load<T>(p + o) - lrT * b)
    }
    return
  }
  // No momentum and no weight decay (SGD's defaults): p −= lr·g, in a loop of its own that reads
  // nothing else (PyTorch skips a zero weight decay here too; so does the ts kernel).
  if (buf == 0 && wd == 0) {
    const lrV = vsplat<T, T>(lr)
    for (; i < whole; i += L) {
      const o = <usize>i * sz
      v128.store(p + o, v128.sub<T>(v128.load(p + o), v128.mul<T>(lrV, v128.load(g + o))))
    }
    for (; i < n; i++) store<T>(p + <usize>i * sz, load<T>(p + <usize>i * sz) - lrT * load<T>(g + <usize>i * sz))
    return
  }
  const lrV = vsplat<T, T>(lr), moV = vsplat<T, T>(momentum), dmV = vsplat<T, T>(1 - dampening), wdV = vsplat<T, T>(wd)
  const lrW = vsplat<f32, f64>(lr), moW = vsplat<f32, f64>(momentum), dmW = vsplat<f32, f64>(1 - dampening), wdW = vsplat<f32, f64>(wd)
  while (i < whole) {
    const end = min(i + RUN, whole)
    if (anySubnormal<T>(buf, i, end)) {
      for (let j = i; j < end; j += width<f64>()) sgdLanes<f32, f64>(p, g, buf, <usize>j << 2, first, nesterov, lrW, moW, dmW, wdW)
    } else {
      for (let j = i; j < end; j += L) sgdLanes<T, T>(p, g, buf, <usize>j * sz, first, nesterov, lrV, moV, dmV, wdV)
    }
    i = end
  }
  for (; i < n; i++) {
    const o = <usize>i * sz
    const pv = load<T>(p + o)
    let d = load<T>(g + o) + wdT * pv
    if (buf != 0) {
      const b = first ? d : moT * load<T>(buf + o) + dmT * d
      store<T>(buf + o, b)
      d = nesterov ? d + moT * b : b
    }
    store<T>(p + o, pv - lrT * d)
  }
}

/** One vector of SGD's plain momentum at byte offset o: buf = momentum·buf + g; p −= lr·buf. */
// @ts-ignore: decorator
@inline function sgdMomentumLanes<S, C>(p: usize, g: usize, buf: usize, o: usize, lr: v128, mo: v128): void {
  const b = vadd<S, C>(vmul<S, C>(mo, vload<S, C>(buf + o)), vload<S, C>(g + o))
  vstore<S, C>(buf + o, b)
  vstore<S, C>(p + o, vsub<S, C>(vload<S, C>(p + o), vmul<S, C>(lr, b)))
}

/** One vector of sgdStep's general update at byte offset o. */
// @ts-ignore: decorator
@inline function sgdLanes<S, C>(p: usize, g: usize, buf: usize, o: usize, first: bool, nesterov: bool, lr: v128, mo: v128, dm: v128, wd: v128): void {
  const pv = vload<S, C>(p + o)
  let d = vadd<S, C>(vload<S, C>(g + o), vmul<S, C>(wd, pv))
  if (buf != 0) {
    // The buffer is the gradient itself on the first step (no dampening), as in PyTorch.
    const b = first ? d : vadd<S, C>(vmul<S, C>(mo, vload<S, C>(buf + o)), vmul<S, C>(dm, d))
    vstore<S, C>(buf + o, b)
    d = nesterov ? vadd<S, C>(d, vmul<S, C>(mo, b)) : b
  }
  vstore<S, C>(p + o, vsub<S, C>(pv, vmul<S, C>(lr, d)))
}

export function sgdStep_f32(p: usize, g: usize, buf: usize, n: i32, first: bool, lr: f64, momentum: f64, dampening: f64, nesterov: bool, wd: f64): void {
  sgdStep<f32>(p, g, buf, n, first, lr, momentum, dampening, nesterov, wd)
}
export function sgdStep_f64(p: usize, g: usize, buf: usize, n: i32, first: bool, lr: f64, momentum: f64, dampening: f64, nesterov: bool, wd: f64): void {
  sgdStep<f64>(p, g, buf, n, first, lr, momentum, dampening, nesterov, wd)
}

/**
 * p *= decay; g' = g + l2·p; m += (1−β1)(g' − m); v = β2·v + (1−β2)·g'²;
 * p −= stepSize·m / (sqrt(v)/bias2Sqrt + eps). The caller derives stepSize, bias2Sqrt,
 * decay and l2 from the step count and Adam/AdamW.
 */
function adamStep<T>(p: usize, g: usize, m: usize, v: usize, n: i32, stepSize: f64, bias2Sqrt: f64, decay: f64, l2: f64, beta1: f64, beta2: f64, eps: f64): void {
  const sz = <usize>sizeof<T>()
  const L = lanes<T>()
  const ssT = <T>stepSize
  const bsT = <T>bias2Sqrt
  const dcT = <T>decay
  const l2T = <T>l2
  const b1T = <T>(1 - beta1)
  const b2T = <T>beta2
  const c2T = <T>(1 - beta2)
  const epT = <T>eps
  // Adam's coefficients, as vectors of T (V) and of f64 lanes for subnormal runs (W).
  const ssV = vsplat<T, T>(stepSize), bsV = vsplat<T, T>(bias2Sqrt), dcV = vsplat<T, T>(decay), l2V = vsplat<T, T>(l2)
  const b1V = vsplat<T, T>(1 - beta1), b2V = vsplat<T, T>(beta2), c2V = vsplat<T, T>(1 - beta2), epV = vsplat<T, T>(eps)
  const ssW = vsplat<f32, f64>(stepSize), bsW = vsplat<f32, f64>(bias2Sqrt), dcW = vsplat<f32, f64>(decay), l2W = vsplat<f32, f64>(l2)
  const b1W = vsplat<f32, f64>(1 - beta1), b2W = vsplat<f32, f64>(beta2), c2W = vsplat<f32, f64>(1 - beta2), epW = vsplat<f32, f64>(eps)
  const whole = n & ~(L - 1)
  let i = 0
  // Only m is checked: a dead unit's m decays by β1 a step and reaches the subnormals long
  // before its v (β2), and v alone gets there only under gradients below ~1e-17.
  while (i < whole) {
    const end = min(i + RUN, whole)
    if (anySubnormal<T>(m, i, end)) {
      for (let j = i; j < end; j += width<f64>()) adamLanes<f32, f64>(p, g, m, v, <usize>j << 2, ssW, bsW, dcW, l2W, b1W, b2W, c2W, epW)
    } else {
      for (let j = i; j < end; j += L) adamLanes<T, T>(p, g, m, v, <usize>j * sz, ssV, bsV, dcV, l2V, b1V, b2V, c2V, epV)
    }
    i = end
  }
  for (; i < n; i++) {
    const o = <usize>i * sz
    const pv = load<T>(p + o) * dcT
    const gi = load<T>(g + o) + l2T * pv
    let mv = load<T>(m + o)
    mv += b1T * (gi - mv)
    const vv = b2T * load<T>(v + o) + c2T * gi * gi
    store<T>(m + o, mv)
    store<T>(v + o, vv)
    store<T>(p + o, pv - (ssT * mv) / (<T>sqrt<T>(vv) / bsT + epT))
  }
}

/** One vector of Adam's update at byte offset o. */
// @ts-ignore: decorator
@inline function adamLanes<S, C>(p: usize, g: usize, m: usize, v: usize, o: usize, ss: v128, bs: v128, dc: v128, l2: v128, b1: v128, b2: v128, c2: v128, ep: v128): void {
  const pv = vmul<S, C>(vload<S, C>(p + o), dc)
  const gi = vadd<S, C>(vload<S, C>(g + o), vmul<S, C>(l2, pv))
  let mv = vload<S, C>(m + o)
  mv = vadd<S, C>(mv, vmul<S, C>(b1, vsub<S, C>(gi, mv)))
  const vv = vadd<S, C>(vmul<S, C>(b2, vload<S, C>(v + o)), vmul<S, C>(vmul<S, C>(c2, gi), gi))
  vstore<S, C>(m + o, mv)
  vstore<S, C>(v + o, vv)
  const den = vadd<S, C>(vdiv<S, C>(vsqrt<S, C>(vv), bs), ep)
  vstore<S, C>(p + o, vsub<S, C>(pv, vdiv<S, C>(vmul<S, C>(ss, mv), den)))
}

export function adamStep_f32(p: usize, g: usize, m: usize, v: usize, n: i32, stepSize: f64, bias2Sqrt: f64, decay: f64, l2: f64, beta1: f64, beta2: f64, eps: f64): void {
  adamStep<f32>(p, g, m, v, n, stepSize, bias2Sqrt, decay, l2, beta1, beta2, eps)
}
export function adamStep_f64(p: usize, g: usize, m: usize, v: usize, n: i32, stepSize: f64, bias2Sqrt: f64, decay: f64, l2: f64, beta1: f64, beta2: f64, eps: f64): void {
  adamStep<f64>(p, g, m, v, n, stepSize, bias2Sqrt, decay, l2, beta1, beta2, eps)
}

/**
 * g' = g + wd·p; s = α·s + (1−α)·g'²; centered (a ≠ 0): a += (1−α)(g' − a), avg = sqrt(s − a²) + eps,
 * else avg = sqrt(s) + eps; momentum (buf ≠ 0): buf = momentum·buf + g'/avg, p −= lr·buf; else p −= lr·g'/avg.
 */
function rmspropStep<T>(p: usize, g: usize, s: usize, a: usize, buf: usize, n: i32, lr: f64, alpha: f64, eps: f64, wd: f64, momentum: f64): void {
  const sz = <usize>sizeof<T>()
  const L = lanes<T>()
  const lrT = <T>lr
  const alT = <T>alpha
  const c1T = <T>(1 - alpha)
  const epT = <T>eps
  const wdT = <T>wd
  const moT = <T>momentum
  const lrV = vsplat<T, T>(lr), alV = vsplat<T, T>(alpha), c1V = vsplat<T, T>(1 - alpha), epV = vsplat<T, T>(eps), wdV = vsplat<T, T>(wd), moV = vsplat<T, T>(momentum)
  const lrW = vsplat<f32, f64>(lr), alW = vsplat<f32, f64>(alpha), c1W = vsplat<f32, f64>(1 - alpha), epW = vsplat<f32, f64>(eps), wdW = vsplat<f32, f64>(wd), moW = vsplat<f32, f64>(momentum)
  const whole = n & ~(L - 1)
  let i = 0
  while (i < whole) {
    const end = min(i + RUN, whole)
    if (anySubnormal<T>(s, i, end) || anySubnormal<T>(a, i, end) || anySubnormal<T>(buf, i, end)) {
      for (let j = i; j < end; j += width<f64>()) rmspropLanes<f32, f64>(p, g, s, a, buf, <usize>j << 2, lrW, alW, c1W, epW, wdW, moW)
    } else {
      for (let j = i; j < end; j += L) rmspropLanes<T, T>(p, g, s, a, buf, <usize>j * sz, lrV, alV, c1V, epV, wdV, moV)
    }
    i = end
  }
  for (; i < n; i++) {
    const o = <usize>i * sz
    const pv = load<T>(p + o)
    const gi = load<T>(g + o) + wdT * pv
    const sv = alT * load<T>(s + o) + c1T * gi * gi
    store<T>(s + o, sv)
    let avg: T
    if (a != 0) {
      let av = load<T>(a + o)
      av += c1T * (gi - av)
      store<T>(a + o, av)
      avg = <T>sqrt<T>(sv - av * av) + epT
    } else {
      avg = <T>sqrt<T>(sv) + epT
    }
    if (buf != 0) {
      const b = moT * load<T>(buf + o) + gi / avg
      store<T>(buf + o, b)
      store<T>(p + o, pv - lrT * b)
    } else {
      store<T>(p + o, pv - (lrT * gi) / avg)
    }
  }
}

/** One vector of RMSprop's update at byte offset o. */
// @ts-ignore: decorator
@inline function rmspropLanes<S, C>(p: usize, g: usize, s: usize, a: usize, buf: usize, o: usize, lr: v128, al: v128, c1: v128, ep: v128, wd: v128, mo: v128): void {
  const pv = vload<S, C>(p + o)
  const gi = vadd<S, C>(vload<S, C>(g + o), vmul<S, C>(wd, pv))
  const sv = vadd<S, C>(vmul<S, C>(al, vload<S, C>(s + o)), vmul<S, C>(vmul<S, C>(c1, gi), gi))
  vstore<S, C>(s + o, sv)
  let avg: v128
  if (a != 0) {
    let av = vload<S, C>(a + o)
    av = vadd<S, C>(av, vmul<S, C>(c1, vsub<S, C>(gi, av)))
    vstore<S, C>(a + o, av)
    avg = vadd<S, C>(vsqrt<S, C>(vsub<S, C>(sv, vmul<S, C>(av, av))), ep)
  } else {
    avg = vadd<S, C>(vsqrt<S, C>(sv), ep)
  }
  if (buf != 0) {
    const b = vadd<S, C>(vmul<S, C>(mo, vload<S, C>(buf + o)), vdiv<S, C>(gi, avg))
    vstore<S, C>(buf + o, b)
    vstore<S, C>(p + o, vsub<S, C>(pv, vmul<S, C>(lr, b)))
  } else {
    vstore<S, C>(p + o, vsub<S, C>(pv, vdiv<S, C>(vmul<S, C>(lr, gi), avg)))
  }
}

export function rmspropStep_f32(p: usize, g: usize, s: usize, a: usize, buf: usize, n: i32, lr: f64, alpha: f64, eps: f64, wd: f64, momentum: f64): void {
  rmspropStep<f32>(p, g, s, a, buf, n, lr, alpha, eps, wd, momentum)
}
export function rmspropStep_f64(p: usize, g: usize, s: usize, a: usize, buf: usize, n: i32, lr: f64, alpha: f64, eps: f64, wd: f64, momentum: f64): void {
  rmspropStep<f64>(p, g, s, a, buf, n, lr, alpha, eps, wd, momentum)
}

/** g' = g + wd·p; s += g'²; p −= lr·g' / (sqrt(s) + eps), lr already decayed for this step. */
function adagradStep<T>(p: usize, g: usize, s: usize, n: i32, lr: f64, eps: f64, wd: f64): void {
  const sz = <usize>sizeof<T>()
  const L = lanes<T>()
  const lrT = <T>lr
  const epT = <T>eps
  const wdT = <T>wd
  const lrV = v128.splat<T>(lrT)
  const epV = v128.splat<T>(epT)
  const wdV = v128.splat<T>(wdT)
  let i = 0
  for (; i + L <= n; i += L) {
    const o = <usize>i * sz
    const pv = v128.load(p + o)
    const gi = v128.add<T>(v128.load(g + o), v128.mul<T>(wdV, pv))
    const sv = v128.add<T>(v128.load(s + o), v128.mul<T>(gi, gi))
    v128.store(s + o, sv)
    v128.store(p + o, v128.sub<T>(pv, v128.div<T>(v128.mul<T>(lrV, gi), v128.add<T>(v128.sqrt<T>(sv), epV))))
  }
  for (; i < n; i++) {
    const o = <usize>i * sz
    const pv = load<T>(p + o)
    const gi = load<T>(g + o) + wdT * pv
    const sv = load<T>(s + o) + gi * gi
    store<T>(s + o, sv)
    store<T>(p + o, pv - (lrT * gi) / (<T>sqrt<T>(sv) + epT))
  }
}

export function adagradStep_f32(p: usize, g: usize, s: usize, n: i32, lr: f64, eps: f64, wd: f64): void {
  adagradStep<f32>(p, g, s, n, lr, eps, wd)
}
export function adagradStep_f64(p: usize, g: usize, s: usize, n: i32, lr: f64, eps: f64, wd: f64): void {
  adagradStep<f64>(p, g, s, n, lr, eps, wd)
}
