/**
 * The op codes the wasm kernels switch on: an op's code is its index in these lists.
 * `npm run gen` writes them as AssemblyScript enums (assembly/opcodes.generated.ts), so
 * both sides read one list; a code the AssemblyScript side lacks traps (`unreachable`).
 */

import { UNARY_NAMES } from './optable.js'

/** The op table's unary ops (src/backend/optable.ts). */
export const UNARY_OPS = UNARY_NAMES
export const BINARY_OPS = ['add', 'sub', 'mul', 'div', 'maximum', 'gt', 'eq', 'pow'] as const
export const POINTWISE_LOSSES = ['bce', 'bceWithLogits', 'mse'] as const
export const COMPARE_OPS = ['gt', 'lt', 'ge', 'le', 'eq', 'ne'] as const

/** name → code for one list. */
export function codes<N extends string>(names: readonly N[]): Record<N, number> {
  const out = {} as Record<N, number>
  names.forEach((name, i) => (out[name] = i))
  return out
}
