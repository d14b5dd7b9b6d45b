/**
 * The op table: every elementwise function of one tensor, written once. Everything else comes
 * from it: the UnaryOp type and op codes (code = position here), the ts kernels (`forward`,
 * `derivative`), which arrays the wasm backend stages for the backward (`reads`), the
 * gradFn name autograd shows, and the per-op test's inputs (`domain`). Its AssemblyScript
 * forms sit in optable-as.ts (codegen only, so they stay out of the runtime bundle), from
 * which `npm run gen` writes assembly/unary.generated.ts.
 *
 * Adding an op: one entry here and its forms in optable-as.ts, `npm run gen && npm run build:wasm`, one line in
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
  },
  exp: {
    gradFn: 'ExpBackward0',
    forward: Math.exp,
    derivative: (_x, y, dy) => dy * y,
    reads: 'y',
    transcendental: true,
    domain: [-3, 3],
  },
  log: {
    gradFn: 'LogBackward0',
    forward: Math.log,
    derivative: (x, _y, dy) => dy / x,
    reads: 'x',
    transcendental: true,
    domain: [0.1, 4],
  },
  sqrt: {
    gradFn: 'SqrtBackward0',
    forward: Math.sqrt,
    derivative: (_x, y, dy) => dy / (2 * y),
    reads: 'y',
    domain: [0.1, 4],
  },
  abs: {
    gradFn: 'AbsBackward0',
    forward: Math.abs,
    derivative: (x, _y, dy) => (x > 0 ? dy : x < 0 ? -dy : 0),
    reads: 'x',
    domain: [-3, 3],
  },
  relu: {
    gradFn: 'ReluBackward0',
    forward: (x) => (x > 0 ? x : x === x ? 0 : x), // keeps NaN, like torch.relu
    derivative: (_x, y, dy) => (y > 0 ? dy : 0), // relu'(0) = 0, as in PyTorch
    reads: 'y',
    domain: [-3, 3],
  },
  sigmoid: {
    gradFn: 'SigmoidBackward0',
    forward: (x) => 1 / (1 + Math.exp(-x)),
    derivative: (_x, y, dy) => dy * y * (1 - y),
    reads: 'y',
    transcendental: true,
    domain: [-4, 4],
  },
  tanh: {
    gradFn: 'TanhBackward0',
    forward: Math.tanh,
    derivative: (_x, y, dy) => dy * (1 - y * y),
    reads: 'y',
    transcendental: true,
    domain: [-3, 3],
  },
  log1p: {
    gradFn: 'Log1PBackward0',
    forward: Math.log1p,
    derivative: (x, _y, dy) => dy / (1 + x),
    reads: 'x',
    transcendental: true,
    domain: [-0.5, 3],
  },
  sin: {
    gradFn: 'SinBackward0',
    forward: Math.sin,
    derivative: (x, _y, dy) => dy * Math.cos(x),
    reads: 'x',
    transcendental: true,
    domain: [-4, 4],
  },
  cos: {
    gradFn: 'CosBackward0',
    forward: Math.cos,
    derivative: (x, _y, dy) => -dy * Math.sin(x),
    reads: 'x',
    transcendental: true,
    domain: [-4, 4],
  },
  expm1: {
    gradFn: 'Expm1Backward0',
    forward: Math.expm1,
    derivative: (_x, y, dy) => dy * (y + 1),
    reads: 'y',
    transcendental: true,
    domain: [-3, 3],
  },
  square: {
    gradFn: 'PowBackward0',
    forward: (x) => x * x,
    derivative: (x, _y, dy) => dy * 2 * x,
    reads: 'x',
    domain: [-3, 3],
  },
  rsqrt: {
    gradFn: 'RsqrtBackward0',
    forward: (x) => 1 / Math.sqrt(x),
    derivative: (_x, y, dy) => -0.5 * dy * y * y * y,
    reads: 'y',
    domain: [0.2, 4],
  },
  reciprocal: {
    gradFn: 'ReciprocalBackward0',
    forward: (x) => 1 / x,
    derivative: (_x, y, dy) => -dy * y * y,
    reads: 'y',
    domain: [0.2, 4],
  },
  sign: {
    gradFn: 'SignBackward0',
    forward: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0), // NaN and −0 give 0, as torch.sign's (0 < x) − (x < 0)
    ...ZERO_GRAD,
    domain: [-3, 3],
  },
  floor: {
    gradFn: 'FloorBackward0',
    forward: Math.floor,
    ...ZERO_GRAD,
    domain: [-3, 3],
  },
  round: {
    gradFn: 'RoundBackward0',
    forward: roundHalfEven,
    ...ZERO_GRAD,
    domain: [-3, 3],
  },
  erf: {
    gradFn: 'ErfBackward0',
    forward: erf,
    derivative: (x, _y, dy) => dy * 1.1283791670955126 * Math.exp(-x * x),
    reads: 'x',
    transcendental: true,
    domain: [-3, 3],
  },
} as const satisfies Record<string, UnaryEntry>

export type UnaryOpName = keyof typeof UNARY_TABLE

/** The table's ops in order: an op's code is its index. */
export const UNARY_NAMES = Object.keys(UNARY_TABLE) as UnaryOpName[]

/** The entry of `op`, typed as the interface (the table itself keeps literal types for the names). */
export function unaryEntry(op: UnaryOpName): UnaryEntry {
  return UNARY_TABLE[op]
}

