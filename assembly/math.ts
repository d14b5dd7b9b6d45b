// Scalar helpers shared by the kernels, generic over the float type T (f32 or f64).
// The branches on sizeof<T>() are resolved at compile time.

// @ts-ignore: decorator
@inline export function exp_<T>(x: T): T {
  if (sizeof<T>() == 4) return <T>Mathf.exp(<f32>x)
  return <T>Math.exp(<f64>x)
}

// @ts-ignore: decorator
@inline export function log_<T>(x: T): T {
  if (sizeof<T>() == 4) return <T>Mathf.log(<f32>x)
  return <T>Math.log(<f64>x)
}

// @ts-ignore: decorator
@inline export function log1p_<T>(x: T): T {
  if (sizeof<T>() == 4) return <T>Mathf.log1p(<f32>x)
  return <T>Math.log1p(<f64>x)
}

// @ts-ignore: decorator
@inline export function expm1_<T>(x: T): T {
  if (sizeof<T>() == 4) return <T>Mathf.expm1(<f32>x)
  return <T>Math.expm1(<f64>x)
}

// @ts-ignore: decorator
@inline export function sin_<T>(x: T): T {
  if (sizeof<T>() == 4) return <T>Mathf.sin(<f32>x)
  return <T>Math.sin(<f64>x)
}

// @ts-ignore: decorator
@inline export function cos_<T>(x: T): T {
  if (sizeof<T>() == 4) return <T>Mathf.cos(<f32>x)
  return <T>Math.cos(<f64>x)
}

/** erf, computed in f64 for both types: the algorithm of src/backend/ts/erf.ts, line for line. */
export function erf_<T>(x: T): T {
  return <T>erf64(<f64>x)
}

function erf64(x: f64): f64 {
  const a = Math.abs(x)
  let r: f64
  if (a < 2.5) {
    // erf x = 2/√π · e^{−x²} · Σ 2ⁿ x^{2n+1} / (1·3·…·(2n+1)): every term positive.
    let term = a
    let sum = a
    const x2 = a * a
    for (let n = 1; n < 200; n++) {
      term *= (2 * x2) / <f64>(2 * n + 1)
      sum += term
      if (term < sum * 1e-17) break
    }
    r = 1.1283791670955126 * Math.exp(-x2) * sum
  } else if (a < 6) {
    // erfc x = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), evaluated from the tail.
    let t = a
    for (let k = 60; k >= 1; k--) t = a + <f64>k / 2 / t
    r = 1 - Math.exp(-a * a) / (1.7724538509055159 * t)
  } else {
    r = a == a ? 1 : a
  }
  return x < 0 ? -r : r
}

// @ts-ignore: decorator
@inline export function tanh_<T>(x: T): T {
  if (sizeof<T>() == 4) return <T>Mathf.tanh(<f32>x)
  return <T>Math.tanh(<f64>x)
}

// @ts-ignore: decorator
@inline export function pow_<T>(x: T, p: T): T {
  if (sizeof<T>() == 4) return <T>Mathf.pow(<f32>x, <f32>p)
  return <T>Math.pow(<f64>x, <f64>p)
}

/** 1 / (1 + e^−x), as the ts backend writes it. */
// @ts-ignore: decorator
@inline export function sigmoid_<T>(x: T): T {
  return <T>1 / (<T>1 + exp_<T>(-x))
}

/** Number of T lanes in a v128. */
// @ts-ignore: decorator
@inline export function lanes<T>(): i32 {
  return 16 / sizeof<T>()
}

/** The sum of a v128's T lanes, in f64 (the row kernels' statistics). */
// @ts-ignore: decorator
@inline export function hsum64<T>(v: v128): f64 {
  if (sizeof<T>() == 4) return <f64>f32x4.extract_lane(v, 0) + <f64>f32x4.extract_lane(v, 1) + <f64>f32x4.extract_lane(v, 2) + <f64>f32x4.extract_lane(v, 3)
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1)
}

/** Σ row[i] over s values: in T lanes, then f64 (the norm kernels' statistics). */
// @ts-ignore: decorator
@inline export function rowSum<T>(row: usize, s: i32): f64 {
  const sz = <usize>sizeof<T>()
  let acc = v128.splat<T>(0)
  let i = 0
  for (; i + lanes<T>() <= s; i += lanes<T>()) acc = v128.add<T>(acc, v128.load(row + <usize>i * sz))
  let sum = hsum64<T>(acc)
  for (; i < s; i++) sum += <f64>load<T>(row + <usize>i * sz)
  return sum
}

/** Σ (row[i] − m)² over s values. */
// @ts-ignore: decorator
@inline export function rowSquares<T>(row: usize, s: i32, m: f64): f64 {
  const sz = <usize>sizeof<T>()
  const mv = v128.splat<T>(<T>m)
  let acc = v128.splat<T>(0)
  let i = 0
  for (; i + lanes<T>() <= s; i += lanes<T>()) {
    const d = v128.sub<T>(v128.load(row + <usize>i * sz), mv)
    acc = v128.add<T>(acc, v128.mul<T>(d, d))
  }
  let sum = hsum64<T>(acc)
  for (; i < s; i++) {
    const d = <f64>load<T>(row + <usize>i * sz) - m
    sum += d * d
  }
  return sum
}

// ---------------------------------------------------------------- f32x4 exp, sigmoid, tanh

// Cephes expf: e^x = 2^n · e^r with n = round(x·log2 e), |r| ≤ ln2/2, e^r a degree-6
// polynomial; ≲ 2 ulp over the whole range. 2^n is applied as two factors 2^(n>>1)·2^(n−(n>>1))
// so that results near overflow and gradual underflow come out right. NaN propagates
// (pmin/pmax keep it), +∞ → +∞, −∞ → 0. Used for float32 only: float64 keeps Math.exp.

// @ts-ignore: decorator
@inline function pow2i(n: v128): v128 {
  return i32x4.shl(i32x4.add(n, i32x4.splat(127)), 23)
}

// V8 builds a v128 constant where it is used, inside the loop, with three instructions (it
// hoists nothing out of wasm loops): ~20 constants tripled expf4's instruction count. A
// broadcast load from a table in memory is one instruction, off the dependency chain.
// splat(K + 4·i) is lane-for-lane f32x4.splat(the i-th value).
// @ts-ignore: decorator
@inline export function splat(at: usize): v128 {
  return v128.load32_splat(at)
}

// expf4's constants: clamp high and low, log2 e, the magic 1.5·2^23, ln 2 in two parts, the polynomial.
const EXP_K: usize = memory.data<f32>([
  88.73, -104, 1.44269504088896341, 12582912.0, 0.693359375, -2.12194440e-4,
  1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1, 1,
])

// @ts-ignore: decorator
@inline export function expf4(x0: v128): v128 {
  // pmin/pmax (one instruction each) return their first operand when it is NaN.
  const x1 = f32x4.pmax(f32x4.pmin(x0, splat(EXP_K)), splat(EXP_K + 4))
  // n = round(x·log2 e) by the 1.5·2^23 trick: adding it rounds to an integer, whose value
  // is then the low bits of the sum (no floor, no float→int conversion).
  const magic = splat(EXP_K + 12)
  const t = f32x4.add(f32x4.mul(x1, splat(EXP_K + 8)), magic)
  const fx = f32x4.sub(t, magic)
  let x = f32x4.sub(x1, f32x4.mul(fx, splat(EXP_K + 16)))
  x = f32x4.sub(x, f32x4.mul(fx, splat(EXP_K + 20)))
  const z = f32x4.mul(x, x)
  let y = splat(EXP_K + 24)
  y = f32x4.add(f32x4.mul(y, x), splat(EXP_K + 28))
  y = f32x4.add(f32x4.mul(y, x), splat(EXP_K + 32))
  y = f32x4.add(f32x4.mul(y, x), splat(EXP_K + 36))
  y = f32x4.add(f32x4.mul(y, x), splat(EXP_K + 40))
  y = f32x4.add(f32x4.mul(y, x), splat(EXP_K + 44))
  y = f32x4.add(f32x4.add(f32x4.mul(y, z), x), splat(EXP_K + 48))
  const n = i32x4.sub(t, magic)
  const n1 = i32x4.shr_s(n, 1)
  const n2 = i32x4.sub(n, n1)
  return f32x4.mul(f32x4.mul(y, pow2i(n1)), pow2i(n2))
}

/** 1 / (1 + e^−x). */
// @ts-ignore: decorator
@inline export function sigmoidf4(x: v128): v128 {
  const one = f32x4.splat(1)
  return f32x4.div(one, f32x4.add(one, expf4(f32x4.neg(x))))
}

/**
 * Cephes tanhf: an odd polynomial for |x| < 0.625, else 1 − 2/(e^{2|x|} + 1) with x's sign.
 * NaN propagates; ±∞ → ±1.
 */
// @ts-ignore: decorator
@inline export function tanhf4(x: v128): v128 {
  const ax = f32x4.abs(x)
  const z2 = f32x4.mul(x, x)
  let p = f32x4.splat(-5.70498872745e-3)
  p = f32x4.add(f32x4.mul(p, z2), f32x4.splat(2.06390887954e-2))
  p = f32x4.add(f32x4.mul(p, z2), f32x4.splat(-5.37397155531e-2))
  p = f32x4.add(f32x4.mul(p, z2), f32x4.splat(1.33314422036e-1))
  p = f32x4.add(f32x4.mul(p, z2), f32x4.splat(-3.33332819422e-1))
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z2), x), x)
  const one = f32x4.splat(1)
  const e = expf4(f32x4.add(ax, ax))
  const big = f32x4.sub(one, f32x4.div(f32x4.splat(2), f32x4.add(e, one)))
  // Put x's sign on the large branch: (big as bits) | (x's sign bit).
  const signed = v128.or(big, v128.and(x, i32x4.splat(0x80000000)))
  return v128.bitselect(small, signed, f32x4.lt(ax, f32x4.splat(0.625)))
}
