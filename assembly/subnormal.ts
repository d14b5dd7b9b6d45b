// Subnormal float32 values (0 < |x| < 2^-126) make x86's multiplies, divides and square roots
// take a microcode assist, ~100x slower than the instruction, and wasm cannot turn on
// flush-to-zero. An optimiser's state reaches them and stays there: a unit whose gradient is
// exactly 0 (a dead ReLU) has its momentum decay by 0.9 a step, and 0.9 x the smallest
// subnormal rounds back to itself. PyTorch keeps those values, so the kernels must too. In f64
// they are normal numbers, so the optimisers step a run of elements holding one in f64,
// rounding to f32 after every operation: the same bits (rounding twice is exact for + - x / sqrt
// when the wider format has at least 2p + 2 bits: 53 >= 50), and no assists.
//
// The vector ops below are generic over S, the type in memory, and C, the type computed in:
// <T, T> is plain SIMD on T; <f32, f64> is two f32 lanes at a time in f64, rounded after each
// operation. An optimiser writes its update once over them and runs it either way.

/** Elements the optimisers check at once before taking the plain SIMD path. */
export const RUN = 32

/** Elements one vector of <S, C> holds. */
// @ts-ignore: decorator
@inline export function width<C>(): i32 {
  return 16 / sizeof<C>()
}

// @ts-ignore: decorator
@inline function narrow<S, C>(x: v128): v128 {
  if (sizeof<S>() == sizeof<C>()) return x
  return f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(x))
}

// @ts-ignore: decorator
@inline export function vload<S, C>(ptr: usize): v128 {
  if (sizeof<S>() == sizeof<C>()) return v128.load(ptr)
  return f64x2.promote_low_f32x4(v128.load64_zero(ptr))
}

// @ts-ignore: decorator
@inline export function vstore<S, C>(ptr: usize, x: v128): void {
  if (sizeof<S>() == sizeof<C>()) v128.store(ptr, x)
  else v128.store64_lane(ptr, f32x4.demote_f64x2_zero(x), 0)
}

/** A coefficient rounded to S, in every lane of C. */
// @ts-ignore: decorator
@inline export function vsplat<S, C>(x: f64): v128 {
  return v128.splat<C>(<C><S>x)
}

// @ts-ignore: decorator
@inline export function vadd<S, C>(a: v128, b: v128): v128 {
  return narrow<S, C>(v128.add<C>(a, b))
}

// @ts-ignore: decorator
@inline export function vsub<S, C>(a: v128, b: v128): v128 {
  return narrow<S, C>(v128.sub<C>(a, b))
}

// @ts-ignore: decorator
@inline export function vmul<S, C>(a: v128, b: v128): v128 {
  return narrow<S, C>(v128.mul<C>(a, b))
}

// @ts-ignore: decorator
@inline export function vdiv<S, C>(a: v128, b: v128): v128 {
  return narrow<S, C>(v128.div<C>(a, b))
}

// @ts-ignore: decorator
@inline export function vsqrt<S, C>(a: v128): v128 {
  return narrow<S, C>(v128.sqrt<C>(a))
}

/**
 * Whether any f32 of a[from..to) (whole v128s) is subnormal; always false for f64 (subnormal
 * there only below 2^-1022) and for an absent array (a = 0).
 */
// @ts-ignore: decorator
@inline export function anySubnormal<T>(a: usize, from: i32, to: i32): bool {
  if (sizeof<T>() != 4 || a == 0) return false
  const magnitude = i32x4.splat(0x7fffffff)
  const one = i32x4.splat(1)
  // |x|'s bits minus one, unsigned, is below 2^23 - 1 exactly for the subnormals (0 wraps around).
  let least = i32x4.splat(-1)
  for (let i = from; i < to; i += 4) {
    least = i32x4.min_u(least, i32x4.sub(v128.and(v128.load(a + (<usize>i << 2)), magnitude), one))
  }
  return v128.any_true(i32x4.lt_u(least, i32x4.splat(0x7fffff)))
}
