import { UNARY_NAMES, UNARY_TABLE } from '../../src/backend/optable.js'
import type { Tensor } from '../../src/index.js'

/** The fuzz's ops: every op-table entry (inputs moved into its domain when it excludes negatives), then the rest. */

type Unary = (x: Tensor) => Tensor
const method = (x: Tensor, name: string): Tensor => (x as unknown as Record<string, () => Tensor>)[name]()

export const FUZZ_UNARY: Unary[] = [
  ...UNARY_NAMES.map((name): Unary => {
    const [lo] = UNARY_TABLE[name].domain
    return lo < 0 ? (x) => method(x, name) : (x) => method(x.abs().add(lo), name)
  }),
  (x) => x.pow(2),
  (x) => x.pow(3),
  (x) => x.clamp(-1, 0.5),
  (x) => x.mul(0.5),
]

export const FUZZ_BINARY: ((a: Tensor, b: Tensor) => Tensor)[] = [
  (a, b) => a.add(b),
  (a, b) => a.sub(b),
  (a, b) => a.mul(b),
  (a, b) => a.div(b.abs().add(0.5)),
  (a, b) => a.maximum(b),
]
