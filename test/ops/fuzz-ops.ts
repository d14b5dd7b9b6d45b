import { UNARY_NAMES, UNARY_TABLE } from '../../src/backend/optable.js'
import { F, type Tensor } from '../../src/index.js'
import * as unary from '../../src/ops/unary.js'

/** The fuzz's ops: every op-table entry (inputs moved into its domain when it excludes negatives), then the rest. */

type Unary = (x: Tensor) => Tensor
const method = (x: Tensor, name: string): Tensor => (unary as unknown as Record<string, (x: Tensor) => Tensor>)[name](x)

export const FUZZ_UNARY: Unary[] = [
  ...UNARY_NAMES.map((name): Unary => {
    const [lo] = UNARY_TABLE[name].domain
    return lo < 0 ? (x) => method(x, name) : (x) => method(x.abs().add(lo), name)
  }),
  (x) => x.pow(2),
  (x) => x.pow(3),
  (x) => x.clamp(-1, 0.5),
  (x) => x.mul(0.5),
  (x) => F.silu(x),
  (x) => F.gelu(x),
  (x) => F.softplus(x, { beta: 2, threshold: 1 }),
  (x) => F.elu(x),
]

export const FUZZ_BINARY: ((a: Tensor, b: Tensor) => Tensor)[] = [
  (a, b) => a.add(b),
  (a, b) => a.sub(b),
  (a, b) => a.mul(b),
  (a, b) => a.div(b.abs().add(0.5)),
  (a, b) => a.maximum(b),
  (a, b) => a.minimum(b),
  (a, b) => a.abs().add(0.5).pow(b.clamp(-2, 2)),
]
