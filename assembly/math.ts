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
