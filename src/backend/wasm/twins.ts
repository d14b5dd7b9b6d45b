import type { Backend } from '../types.js'

/**
 * Kernels whose ts form (what the default wasm backend runs below the small-size threshold,
 * small-dispatch.ts) gives the same bits as their wasm export for every input: the same
 * operations, in the same order, at the same precision. compile() records such a call on the
 * wasm kernel (src/compile/recorder.ts), so a replay runs it inside the plan interpreter's one
 * call into wasm rather than as a JavaScript step between calls, and still equals eager.
 * test/backend/wasm-twins.test.ts compares the bits of each over random and special values.
 *
 * Elementwise: an f64 result of two f32 operands rounded once to f32 is the f32 operation for
 * + − × ÷ (53 ≥ 2·24 + 2 bits); neg, abs, relu, sign, floor, round, maximum and the comparisons
 * round nothing. exp, log, tanh, sigmoid… are not twins (Math.exp is not assembly/math.ts's exp).
 */
const EXACT_UNARY: ReadonlySet<string> = new Set(['neg', 'abs', 'relu', 'sign', 'floor', 'round'])
const EXACT_BINARY: ReadonlySet<string> = new Set(['add', 'sub', 'mul', 'div', 'maximum', 'gt', 'eq'])
const always = (): boolean => true

type Kernels = Omit<Backend, 'name'>
type Twins = { readonly [K in keyof Kernels]?: (...args: Parameters<Kernels[K]>) => boolean }

const TWINS: Twins = {
  unary: (op) => EXACT_UNARY.has(op),
  unaryBackward: (op) => EXACT_UNARY.has(op),
  binary: (op) => EXACT_BINARY.has(op),
  stridedCopy: always,
  // A row (inner 1) in four partial sums, a column sequentially per output: src/backend/ts/reduce.ts follows wasm's order.
  sumAxis: always,
  sgdStep: always,
  adamStep: always,
  rmspropStep: always,
  adagradStep: always,
}

/** Whether the call `name(...args)` gives the same bits on its ts and its wasm kernel. */
export function sameBits(name: string, args: readonly unknown[]): boolean {
  const test = (TWINS as Record<string, ((...a: readonly unknown[]) => boolean) | undefined>)[name]
  return test !== undefined && test(...args)
}
