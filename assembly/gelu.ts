// GELU and its derivative in one pass (src/backend/ts/gelu.ts is the reference, line for line).
// The exact form's forward can also write the slope gelu'(x) = Φ(x) + x·φ(x) (slope ≠ 0): it
// has Φ(x) at hand, and the backward is then one product that reads neither x nor an erf.
// float32 with the exact form runs 4 lanes: erf from Numerical Recipes' erfc (one exp and a
// polynomial, relative error 1.2e-7); float64 and the tanh form run the scalar loop.
import { erf_, expf4, lanes, splat, tanh_ } from './math'

const SQRT1_2: f64 = 0.7071067811865476
const SQRT_2_PI: f64 = 0.7978845608028654
const INV_SQRT_2PI: f64 = 0.3989422804014327

// @ts-ignore: decorator
@inline function erf32(x: f32): f32 {
  const z = Mathf.abs(x)
  const t: f32 = 1 / (1 + 0.5 * z)
  const erfc = t * Mathf.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))))
  return x >= 0 ? 1 - erfc : erfc - 1
}

// The float32 lanes' constants (splat(ERF_K + 4·i)): 1, ½, the polynomial's ten coefficients in
// Estrin's pairs, 1/√2, then 1/√(2π) and −½ for φ (math.ts says why they sit in memory).
const ERF_K: usize = memory.data<f32>([
  1, 0.5, -1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807,
  -1.13520398, 1.48851587, -0.82215223, 0.17087277, <f32>SQRT1_2, <f32>INV_SQRT_2PI, -0.5,
])

// a + b·t with a, b the coefficient pair at ERF_K + at: one step of the polynomial below.
// @ts-ignore: decorator
@inline function lin(at: usize, t: v128): v128 {
  return f32x4.add(splat(ERF_K + at), f32x4.mul(splat(ERF_K + at + 4), t))
}

// The lanes evaluate erf32's degree-9 polynomial in t by Estrin's scheme (pairs, then t², t⁴,
// t⁸): a chain of ~4 multiply-adds instead of Horner's 9. The kernel was bound by that chain's
// latency (V8 does not interleave loop iterations); results agree with Horner to float32 rounding.
// @ts-ignore: decorator
@inline function erf32x4(x: v128): v128 {
  const z = f32x4.abs(x)
  const one = splat(ERF_K)
  const t = f32x4.div(one, f32x4.add(one, f32x4.mul(splat(ERF_K + 4), z)))
  const t2 = f32x4.mul(t, t)
  const t4 = f32x4.mul(t2, t2)
  const e0 = lin(8, t)
  const e1 = lin(16, t)
  const e2 = lin(24, t)
  const e3 = lin(32, t)
  const e4 = lin(40, t)
  const f0 = f32x4.add(e0, f32x4.mul(e1, t2))
  const f1 = f32x4.add(e2, f32x4.mul(e3, t2))
  const p = f32x4.add(f32x4.add(f0, f32x4.mul(f1, t4)), f32x4.mul(e4, f32x4.mul(t4, t4)))
  const erfc = f32x4.mul(t, expf4(f32x4.sub(p, f32x4.mul(z, z))))
  const pos = f32x4.sub(one, erfc)
  return v128.bitselect(pos, f32x4.neg(pos), f32x4.ge(x, f32x4.splat(0)))
}

/** Φ(v) = ½(1 + erf(v/√2)) in 4 float32 lanes: GELU's gate, and its slope's first term. */
// @ts-ignore: decorator
@inline function cdf32x4(v: v128): v128 {
  return f32x4.mul(splat(ERF_K + 4), f32x4.add(splat(ERF_K), erf32x4(f32x4.mul(v, splat(ERF_K + 48)))))
}

// @ts-ignore: decorator
@inline function erfT<T>(x: T): T {
  return sizeof<T>() == 4 ? <T>erf32(<f32>x) : erf_<T>(x)
}

// @ts-ignore: decorator
@inline function geluAt<T>(v: T, tanhForm: bool): T {
  if (tanhForm) return <T>0.5 * v * (<T>1 + tanh_<T>(<T>SQRT_2_PI * (v + <T>0.044715 * v * v * v)))
  return <T>0.5 * v * (<T>1 + erfT<T>(v * <T>SQRT1_2))
}

// @ts-ignore: decorator
@inline function slopeAt<T>(v: T, tanhForm: bool): T {
  if (tanhForm) {
    const t = tanh_<T>(<T>SQRT_2_PI * (v + <T>0.044715 * v * v * v))
    return <T>0.5 * (<T>1 + t) + <T>0.5 * v * (<T>1 - t * t) * <T>SQRT_2_PI * (<T>1 + <T>(3 * 0.044715) * v * v)
  }
  return cdfAt<T>(v) + v * <T>INV_SQRT_2PI * expHalfSq<T>(v)
}

/** Φ(v) = 0.5·(1 + erf(v/√2)): the forward saves it for the backward (exact form). */
// @ts-ignore: decorator
@inline function cdfAt<T>(v: T): T {
  return <T>0.5 * (<T>1 + erfT<T>(v * <T>SQRT1_2))
}

/** e^(−v²/2). */
// @ts-ignore: decorator
@inline function expHalfSq<T>(v: T): T {
  return sizeof<T>() == 4 ? <T>Mathf.exp(<f32>(<T>-0.5 * v * v)) : <T>Math.exp(<f64>(<T>-0.5 * v * v))
}

/** gelu'(v) = Φ(v) + v·φ(v) in 4 float32 lanes, from c = Φ(v). */
// @ts-ignore: decorator
@inline function slope32x4(v: v128, c: v128): v128 {
  const pdf = f32x4.mul(splat(ERF_K + 52), expf4(f32x4.mul(splat(ERF_K + 56), f32x4.mul(v, v))))
  return f32x4.add(c, f32x4.mul(v, pdf))
}

function gelu<T>(x: usize, out: usize, slope: usize, n: i32, tanhForm: i32): void {
  const sz = <usize>sizeof<T>()
  let i = 0
  if (sizeof<T>() == 4 && !tanhForm) {
    // Eight lanes an iteration: two independent chains for the core to overlap.
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i * 4
      const v0 = v128.load(x + o)
      const v1 = v128.load(x + o, 16)
      const c0 = cdf32x4(v0)
      const c1 = cdf32x4(v1)
      v128.store(out + o, f32x4.mul(v0, c0))
      v128.store(out + o, f32x4.mul(v1, c1), 16)
      if (slope) {
        v128.store(slope + o, slope32x4(v0, c0))
        v128.store(slope + o, slope32x4(v1, c1), 16)
      }
    }
    for (; i + 4 <= n; i += 4) {
      const v = v128.load(x + <usize>i * 4)
      const c = cdf32x4(v)
      v128.store(out + <usize>i * 4, f32x4.mul(v, c))
      if (slope) v128.store(slope + <usize>i * 4, slope32x4(v, c))
    }
  }
  for (; i < n; i++) {
    const v = load<T>(x + <usize>i * sz)
    store<T>(out + <usize>i * sz, geluAt<T>(v, tanhForm != 0))
    if (slope) store<T>(slope + <usize>i * sz, slopeAt<T>(v, false))
  }
}

/** dx = g·gelu'(x): the forward's slope when given (x is then not read), else computed from x. */
function geluBackward<T>(x: usize, g: usize, slope: usize, dx: usize, n: i32, tanhForm: i32): void {
  const sz = <usize>sizeof<T>()
  let i = 0
  if (slope) {
    for (; i + lanes<T>() <= n; i += lanes<T>()) {
      const o = <usize>i * sz
      v128.store(dx + o, v128.mul<T>(v128.load(g + o), v128.load(slope + o)))
    }
    for (; i < n; i++) store<T>(dx + <usize>i * sz, load<T>(g + <usize>i * sz) * load<T>(slope + <usize>i * sz))
    return
  }
  if (sizeof<T>() == 4 && !tanhForm) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i * 4
      const v = v128.load(x + o)
      v128.store(dx + o, f32x4.mul(v128.load(g + o), slope32x4(v, cdf32x4(v))))
    }
  }
  for (; i < n; i++) {
    const o = <usize>i * sz
    store<T>(dx + o, load<T>(g + o) * slopeAt<T>(load<T>(x + o), tanhForm != 0))
  }
}

export function gelu_f32(x: usize, out: usize, slope: usize, n: i32, tanhForm: i32): void { gelu<f32>(x, out, slope, n, tanhForm) }
export function gelu_f64(x: usize, out: usize, slope: usize, n: i32, tanhForm: i32): void { gelu<f64>(x, out, slope, n, tanhForm) }
export function geluBackward_f32(x: usize, g: usize, slope: usize, dx: usize, n: i32, tanhForm: i32): void { geluBackward<f32>(x, g, slope, dx, n, tanhForm) }
export function geluBackward_f64(x: usize, g: usize, slope: usize, dx: usize, n: i32, tanhForm: i32): void { geluBackward<f64>(x, g, slope, dx, n, tanhForm) }
