/**
 * The op table's functions of two tensors (broadcast), written once. From it come the
 * BinaryOp type and op codes (code = position here), the ts kernel (`forward`), and
 * src/ops/binary.ts's autograd node: its gradFn name and each operand's gradient. The
 * AssemblyScript formulas sit in optable-as.ts (codegen only: `npm run gen` writes them into
 * assembly/binary.generated.ts).
 *
 * Gradients are tensor expressions (they broadcast and run on the backend's kernels);
 * src/ops/binary.ts sums each over the dims its operand was broadcast along.
 */

import type { Tensor } from '../tensor.js'

/** What a gradient rule may call besides Tensor methods: unrecorded kernel calls. */
export interface GradientKit {
  /** op(a, b) broadcast, not recorded (the masks gt, eq; pow). */
  compute(op: 'gt' | 'eq' | 'pow', a: Tensor, b: Tensor): Tensor
  /** A 0-d zero of a's float type. */
  zero(a: Tensor): Tensor
}

/** The gradient of one operand: from the incoming gradient g and both operands. */
export type OperandGradient = (g: Tensor, a: Tensor, b: Tensor, kit: GradientKit) => Tensor

export interface BinaryEntry {
  /** The ts kernel, one element (computed in float64, stored in the output's type). */
  forward(a: number, b: number): number
  /** PyTorch's name for the backward node; absent for the masks (gt, eq), which have none. */
  gradFn?: string
  /** Each operand's gradient, and the operands that rule reads (what autograd must keep). */
  gradient?: { a: OperandGradient; b: OperandGradient; reads: { a: readonly ('a' | 'b')[]; b: readonly ('a' | 'b')[] } }
  /** The per-op test's inputs: uniform in [lo, hi]. */
  domain: readonly [number, number]
}

/** maximum's rule: the gradient unless this operand is the smaller one, half of it on a tie. */
function maximumGradient(mine: 'a' | 'b'): OperandGradient {
  return (g, a, b, kit) => {
    const tie = kit.compute('eq', a, b).mul(0.5)
    const smaller = mine === 'a' ? kit.compute('gt', b, a) : kit.compute('gt', a, b)
    return g.mul(smaller.add(tie).neg().add(1)) // 1 − [smaller] − ½[tie]
  }
}

export const BINARY_TABLE = {
  add: {
    forward: (a, b) => a + b,
    gradFn: 'AddBackward0',
    gradient: { a: (g) => g, b: (g) => g, reads: { a: [], b: [] } },
    domain: [-2, 2],
  },
  sub: {
    forward: (a, b) => a - b,
    gradFn: 'SubBackward0',
    gradient: { a: (g) => g, b: (g) => g.neg(), reads: { a: [], b: [] } },
    domain: [-2, 2],
  },
  mul: {
    forward: (a, b) => a * b,
    gradFn: 'MulBackward0',
    gradient: { a: (g, _a, b) => g.mul(b), b: (g, a) => g.mul(a), reads: { a: ['b'], b: ['a'] } },
    domain: [-2, 2],
  },
  div: {
    forward: (a, b) => a / b,
    gradFn: 'DivBackward0',
    gradient: { a: (g, _a, b) => g.div(b), b: (g, a, b) => g.neg().mul(a).div(b.mul(b)), reads: { a: ['b'], b: ['a', 'b'] } },
    domain: [0.5, 2],
  },
  // NaN propagates, as in torch.maximum; PyTorch's tie rule gives each operand half.
  maximum: {
    forward: (a, b) => (a !== a || b !== b ? NaN : a > b ? a : b),
    gradFn: 'MaximumBackward0',
    gradient: { a: maximumGradient('a'), b: maximumGradient('b'), reads: { a: ['a', 'b'], b: ['a', 'b'] } },
    domain: [-2, 2],
  },
  // Masks for gradient rules (1 where it holds, else 0); the bool comparisons are src/ops/compare.ts.
  gt: {
    forward: (a, b) => (a > b ? 1 : 0),
    domain: [-2, 2],
  },
  eq: {
    forward: (a, b) => (a === b ? 1 : 0),
    domain: [-2, 2],
  },
  // a ** b; gradients b·a^(b−1) and a^b·log a, log a read as 0 where a = 0 (PyTorch's rule).
  pow: {
    forward: (a, b) => a ** b,
    gradFn: 'PowBackward1',
    gradient: {
      a: (g, a, b, kit) => g.mul(b).mul(kit.compute('pow', a, b.sub(1))),
      b: (g, a, b, kit) => g.mul(kit.compute('pow', a, b)).mul(a.add(kit.compute('eq', a, kit.zero(a))).log()),
      reads: { a: ['a', 'b'], b: ['a', 'b'] },
    },
    domain: [0.5, 2],
  },
} as const satisfies Record<string, BinaryEntry>

export type BinaryOpName = keyof typeof BINARY_TABLE

/** The table's ops in order: an op's code is its index. */
export const BINARY_NAMES = Object.keys(BINARY_TABLE) as BinaryOpName[]

/** The entry of `op`, typed as the interface. */
export function binaryEntry(op: BinaryOpName): BinaryEntry {
  return BINARY_TABLE[op]
}
