/**
 * The op codes the wasm kernels switch on: an op's code is its index in these lists.
 * `npm run gen` writes them as AssemblyScript enums (assembly/opcodes.generated.ts), so
 * both sides read one list; a code the AssemblyScript side lacks traps (`unreachable`).
 */

export const UNARY_OPS = ['neg', 'exp', 'log', 'sqrt', 'abs', 'relu', 'sigmoid', 'tanh'] as const
export const BINARY_OPS = ['add', 'sub', 'mul', 'div', 'maximum', 'gt', 'eq'] as const
export const POINTWISE_LOSSES = ['bce', 'bceWithLogits', 'mse'] as const

/** name → code for one list. */
export function codes<N extends string>(names: readonly N[]): Record<N, number> {
  const out = {} as Record<N, number>
  names.forEach((name, i) => (out[name] = i))
  return out
}
