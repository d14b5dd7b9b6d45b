/**
 * The op table: every elementwise function of one tensor, written once. Everything else comes
 * from it: the UnaryOp type and op codes (code = position here), the ts kernels (`forward`,
 * `derivative`), which arrays the wasm backend stages for the backward (`reads`), the
 * AssemblyScript kernels (`as`, generated into assembly/unary.generated.ts by `npm run gen`),
 * the gradFn name autograd shows, and the per-op test's inputs (`domain`).
 *
 * Adding an op: one entry here, `npm run gen && npm run build:wasm`, one line in
 * src/ops/unary.ts, its method in src/methods/math.ts, its export in src/api.ts, one line in
 * test/ops/table.test.ts. See CONTRIBUTING.md.
 */

import { erf } from './ts/erf.js'

export interface UnaryEntry {
  /** PyTorch's name for the backward node (`y.gradFn.name`). */
  gradFn: string
  /** y = f(x), the ts kernel (computed in float64, stored in the output's type). */
  forward(x: number): number
  /** dy·f'(x) given the input x and the output y. */
  derivative(x: number, y: number, dy: number): number
  /** What the derivative reads besides dy: only those arrays are staged into wasm. */
  reads: 'x' | 'y' | 'none'
  /** Costly per element (exp, log, sin…): the wasm backend crosses into wasm at smaller sizes. */
  transcendental?: boolean
  /** The per-op test's inputs: uniform in [lo, hi]. */
  domain: readonly [number, number]
  /** Piecewise constant (floor, sign…): zero gradient, no finite-difference check. */
  stepwise?: boolean
  /**
   * AssemblyScript, generic over the float type T: expressions in x, y, dy (scalars of type T)
   * or, for the vector forms, v128 values x, y, dy, `zero`, `one`. A vector form missing means
   * the scalar loop; `vecF32` is a float32-only vector form (float64 keeps the scalar one).
   */
  as: { forward: string; derivative: string; vec?: string; vecF32?: string; vecDerivative?: string }
}

const ZERO_GRAD = { derivative: () => 0, reads: 'none', stepwise: true } as const

/** Round half to even, as torch.round (JavaScript's Math.round rounds half up). */
function roundHalfEven(x: number): number {
  const r = Math.round(x)
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r
}

export const UNARY_TABLE = {
  neg: {
    gradFn: 'NegBackward0',
    forward: (x) => -x,
    derivative: (_x, _y, dy) => -dy,
    reads: 'none',
    domain: [-3, 3],
    as: { forward: '-x', derivative: '-dy', vec: 'v128.neg<T>(x)', vecDerivative: 'v128.neg<T>(dy)' },
  },
  exp: {
    gradFn: 'ExpBackward0',
    forward: Math.exp,
    derivative: (_x, y, dy) => dy * y,
    reads: 'y',
    transcendental: true,
    domain: [-3, 3],
    as: { forward: 'exp_<T>(x)', derivative: 'dy * y', vecF32: 'expf4(x)', vecDerivative: 'v128.mul<T>(dy, y)' },
  },
  log: {
    gradFn: 'LogBackward0',
    forward: Math.log,
    derivative: (x, _y, dy) => dy / x,
    reads: 'x',
    transcendental: true,
    domain: [0.1, 4],
    as: { forward: 'log_<T>(x)', derivative: 'dy / x', vecDerivative: 'v128.div<T>(dy, x)' },
  },
  sqrt: {
    gradFn: 'SqrtBackward0',
    forward: Math.sqrt,
    derivative: (_x, y, dy) => dy / (2 * y),
    reads: 'y',
    domain: [0.1, 4],
    as: { forward: '<T>sqrt<T>(x)', derivative: 'dy / (<T>2 * y)', vec: 'v128.sqrt<T>(x)', vecDerivative: 'v128.div<T>(dy, v128.add<T>(y, y))' },
  },
  abs: {
    gradFn: 'AbsBackward0',
    forward: Math.abs,
    derivative: (x, _y, dy) => (x > 0 ? dy : x < 0 ? -dy : 0),
    reads: 'x',
    domain: [-3, 3],
    as: {
      forward: '<T>abs<T>(x)',
      derivative: 'x > <T>0 ? dy : x < <T>0 ? -dy : <T>0',
      vec: 'v128.abs<T>(x)',
      vecDerivative: 'v128.bitselect(v128.neg<T>(dy), v128.and(dy, v128.gt<T>(x, zero)), v128.lt<T>(x, zero))',
    },
  },
  relu: {
    gradFn: 'ReluBackward0',
    forward: (x) => (x > 0 ? x : x === x ? 0 : x), // keeps NaN, like torch.relu
    derivative: (_x, y, dy) => (y > 0 ? dy : 0), // relu'(0) = 0, as in PyTorch
    reads: 'y',
    domain: [-3, 3],
    as: {
      forward: 'x > <T>0 ? x : x == x ? <T>0 : x',
      derivative: 'y > <T>0 ? dy : <T>0',
      vec: 'v128.and(x, v128.or(v128.gt<T>(x, zero), v128.ne<T>(x, x)))',
      vecDerivative: 'v128.and(dy, v128.gt<T>(y, zero))',
    },
  },
  sigmoid: {
    gradFn: 'SigmoidBackward0',
    forward: (x) => 1 / (1 + Math.exp(-x)),
    derivative: (_x, y, dy) => dy * y * (1 - y),
    reads: 'y',
    transcendental: true,
    domain: [-4, 4],
    as: {
      forward: 'sigmoid_<T>(x)',
      derivative: 'dy * y * (<T>1 - y)',
      vecF32: 'sigmoidf4(x)',
      vecDerivative: 'v128.mul<T>(v128.mul<T>(dy, y), v128.sub<T>(one, y))',
    },
  },
  tanh: {
    gradFn: 'TanhBackward0',
    forward: Math.tanh,
    derivative: (_x, y, dy) => dy * (1 - y * y),
    reads: 'y',
    transcendental: true,
    domain: [-3, 3],
    as: { forward: 'tanh_<T>(x)', derivative: 'dy * (<T>1 - y * y)', vecF32: 'tanhf4(x)', vecDerivative: 'v128.mul<T>(dy, v128.sub<T>(one, v128.mul<T>(y, y)))' },
  },
  log1p: {
    gradFn: 'Log1PBackward0',
    forward: Math.log1p,
    derivative: (x, _y, dy) => dy / (1 + x),
    reads: 'x',
    transcendental: true,
    domain: [-0.5, 3],
    as: { forward: 'log1p_<T>(x)', derivative: 'dy / (<T>1 + x)' },
  },
  sin: {
    gradFn: 'SinBackward0',
    forward: Math.sin,
    derivative: (x, _y, dy) => dy * Math.cos(x),
    reads: 'x',
    transcendental: true,
    domain: [-4, 4],
    as: { forward: 'sin_<T>(x)', derivative: 'dy * cos_<T>(x)' },
  },
  cos: {
    gradFn: 'CosBackward0',
    forward: Math.cos,
    derivative: (x, _y, dy) => -dy * Math.sin(x),
    reads: 'x',
    transcendental: true,
    domain: [-4, 4],
    as: { forward: 'cos_<T>(x)', derivative: '-dy * sin_<T>(x)' },
  },
  expm1: {
    gradFn: 'Expm1Backward0',
    forward: Math.expm1,
    derivative: (_x, y, dy) => dy * (y + 1),
    reads: 'y',
    transcendental: true,
    domain: [-3, 3],
    as: { forward: 'expm1_<T>(x)', derivative: 'dy * (y + <T>1)', vecDerivative: 'v128.mul<T>(dy, v128.add<T>(y, one))' },
  },
  square: {
    gradFn: 'PowBackward0',
    forward: (x) => x * x,
    derivative: (x, _y, dy) => dy * 2 * x,
    reads: 'x',
    domain: [-3, 3],
    as: { forward: 'x * x', derivative: 'dy * <T>2 * x', vec: 'v128.mul<T>(x, x)', vecDerivative: 'v128.mul<T>(v128.mul<T>(dy, v128.add<T>(one, one)), x)' },
  },
  rsqrt: {
    gradFn: 'RsqrtBackward0',
    forward: (x) => 1 / Math.sqrt(x),
    derivative: (_x, y, dy) => -0.5 * dy * y * y * y,
    reads: 'y',
    domain: [0.2, 4],
    as: { forward: '<T>1 / <T>sqrt<T>(x)', derivative: '<T>-0.5 * dy * y * y * y' },
  },
  reciprocal: {
    gradFn: 'ReciprocalBackward0',
    forward: (x) => 1 / x,
    derivative: (_x, y, dy) => -dy * y * y,
    reads: 'y',
    domain: [0.2, 4],
    as: { forward: '<T>1 / x', derivative: '-dy * y * y', vec: 'v128.div<T>(one, x)', vecDerivative: 'v128.neg<T>(v128.mul<T>(dy, v128.mul<T>(y, y)))' },
  },
  sign: {
    gradFn: 'SignBackward0',
    forward: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0), // NaN and −0 give 0, as torch.sign's (0 < x) − (x < 0)
    ...ZERO_GRAD,
    domain: [-3, 3],
    as: { forward: 'x > <T>0 ? <T>1 : x < <T>0 ? <T>-1 : <T>0', derivative: '<T>0', vecDerivative: 'zero' },
  },
  floor: {
    gradFn: 'FloorBackward0',
    forward: Math.floor,
    ...ZERO_GRAD,
    domain: [-3, 3],
    as: { forward: 'floor<T>(x)', derivative: '<T>0', vec: 'v128.floor<T>(x)', vecDerivative: 'zero' },
  },
  round: {
    gradFn: 'RoundBackward0',
    forward: roundHalfEven,
    ...ZERO_GRAD,
    domain: [-3, 3],
    as: { forward: 'nearest<T>(x)', derivative: '<T>0', vec: 'v128.nearest<T>(x)', vecDerivative: 'zero' },
  },
  erf: {
    gradFn: 'ErfBackward0',
    forward: erf,
    derivative: (x, _y, dy) => dy * 1.1283791670955126 * Math.exp(-x * x),
    reads: 'x',
    transcendental: true,
    domain: [-3, 3],
    as: { forward: 'erf_<T>(x)', derivative: 'dy * <T>1.1283791670955126 * exp_<T>(-x * x)' },
  },
} as const satisfies Record<string, UnaryEntry>

export type UnaryOpName = keyof typeof UNARY_TABLE

/** The table's ops in order: an op's code is its index. */
export const UNARY_NAMES = Object.keys(UNARY_TABLE) as UnaryOpName[]

/** The entry of `op`, typed as the interface (the table itself keeps literal types for the names). */
export function unaryEntry(op: UnaryOpName): UnaryEntry {
  return UNARY_TABLE[op]
}

