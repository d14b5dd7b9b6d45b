import type { UnaryOpName } from './optable.js'
import type { BinaryOpName } from './optable-binary.js'

/**
 * The op tables' AssemblyScript forms, which scripts/generate.ts (`npm run gen`) writes into
 * assembly/unary.generated.ts and assembly/binary.generated.ts. Codegen only: no runtime
 * module imports this file, so the strings stay out of the bundle. Keyed by the tables' op
 * names (an op missing here is a type error); each op's ts math is in its table entry.
 */

/**
 * A unary op, generic over the float type T: expressions in x, y, dy (scalars of type T) or,
 * for the vector forms, v128 values x, y, dy, `zero`, `one`. A vector form missing means the
 * scalar loop; `vecF32` is a float32-only vector form (float64 keeps the scalar one).
 */
export interface UnaryAs {
  forward: string
  derivative: string
  vec?: string
  vecF32?: string
  vecDerivative?: string
}

/** A binary op: `scalar` over a, b of type T; `vec` over v128 a, b (missing: scalar loop). */
export interface BinaryAs {
  scalar: string
  vec?: string
}

export const UNARY_AS: Record<UnaryOpName, UnaryAs> = {
  neg: { forward: '-x', derivative: '-dy', vec: 'v128.neg<T>(x)', vecDerivative: 'v128.neg<T>(dy)' },
  exp: { forward: 'exp_<T>(x)', derivative: 'dy * y', vecF32: 'expf4(x)', vecDerivative: 'v128.mul<T>(dy, y)' },
  log: { forward: 'log_<T>(x)', derivative: 'dy / x', vecDerivative: 'v128.div<T>(dy, x)' },
  sqrt: { forward: '<T>sqrt<T>(x)', derivative: 'dy / (<T>2 * y)', vec: 'v128.sqrt<T>(x)', vecDerivative: 'v128.div<T>(dy, v128.add<T>(y, y))' },
  abs: {
    forward: '<T>abs<T>(x)',
    derivative: 'x > <T>0 ? dy : x < <T>0 ? -dy : <T>0',
    vec: 'v128.abs<T>(x)',
    vecDerivative: 'v128.bitselect(v128.neg<T>(dy), v128.and(dy, v128.gt<T>(x, zero)), v128.lt<T>(x, zero))',
  },
  relu: {
    forward: 'x > <T>0 ? x : x == x ? <T>0 : x',
    derivative: 'y > <T>0 ? dy : <T>0',
    vec: 'v128.and(x, v128.or(v128.gt<T>(x, zero), v128.ne<T>(x, x)))',
    vecDerivative: 'v128.and(dy, v128.gt<T>(y, zero))',
  },
  sigmoid: {
    forward: 'sigmoid_<T>(x)',
    derivative: 'dy * y * (<T>1 - y)',
    vecF32: 'sigmoidf4(x)',
    vecDerivative: 'v128.mul<T>(v128.mul<T>(dy, y), v128.sub<T>(one, y))',
  },
  tanh: { forward: 'tanh_<T>(x)', derivative: 'dy * (<T>1 - y * y)', vecF32: 'tanhf4(x)', vecDerivative: 'v128.mul<T>(dy, v128.sub<T>(one, v128.mul<T>(y, y)))' },
  log1p: { forward: 'log1p_<T>(x)', derivative: 'dy / (<T>1 + x)' },
  sin: { forward: 'sin_<T>(x)', derivative: 'dy * cos_<T>(x)' },
  cos: { forward: 'cos_<T>(x)', derivative: '-dy * sin_<T>(x)' },
  expm1: { forward: 'expm1_<T>(x)', derivative: 'dy * (y + <T>1)', vecDerivative: 'v128.mul<T>(dy, v128.add<T>(y, one))' },
  square: { forward: 'x * x', derivative: 'dy * <T>2 * x', vec: 'v128.mul<T>(x, x)', vecDerivative: 'v128.mul<T>(v128.mul<T>(dy, v128.add<T>(one, one)), x)' },
  rsqrt: { forward: '<T>1 / <T>sqrt<T>(x)', derivative: '<T>-0.5 * dy * y * y * y' },
  reciprocal: { forward: '<T>1 / x', derivative: '-dy * y * y', vec: 'v128.div<T>(one, x)', vecDerivative: 'v128.neg<T>(v128.mul<T>(dy, v128.mul<T>(y, y)))' },
  sign: { forward: 'x > <T>0 ? <T>1 : x < <T>0 ? <T>-1 : <T>0', derivative: '<T>0', vecDerivative: 'zero' },
  floor: { forward: 'floor<T>(x)', derivative: '<T>0', vec: 'v128.floor<T>(x)', vecDerivative: 'zero' },
  round: { forward: 'nearest<T>(x)', derivative: '<T>0', vec: 'v128.nearest<T>(x)', vecDerivative: 'zero' },
  erf: { forward: 'erf_<T>(x)', derivative: 'dy * <T>1.1283791670955126 * exp_<T>(-x * x)' },
}

export const BINARY_AS: Record<BinaryOpName, BinaryAs> = {
  add: { scalar: 'a + b', vec: 'v128.add<T>(a, b)' },
  sub: { scalar: 'a - b', vec: 'v128.sub<T>(a, b)' },
  mul: { scalar: 'a * b', vec: 'v128.mul<T>(a, b)' },
  div: { scalar: 'a / b', vec: 'v128.div<T>(a, b)' },
  maximum: {
    scalar: 'a != a || b != b ? <T>NaN : a > b ? a : b',
    // b when b is NaN (gt is false), then a when a is NaN
    vec: 'v128.bitselect(a, v128.bitselect(a, b, v128.gt<T>(a, b)), v128.ne<T>(a, a))',
  },
  gt: { scalar: 'a > b ? <T>1 : <T>0', vec: 'v128.and(v128.gt<T>(a, b), v128.splat<T>(<T>1))' },
  eq: { scalar: 'a == b ? <T>1 : <T>0', vec: 'v128.and(v128.eq<T>(a, b), v128.splat<T>(<T>1))' },
  pow: { scalar: 'pow_<T>(a, b)' },
}
