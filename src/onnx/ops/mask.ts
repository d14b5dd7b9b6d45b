import { isFloat } from '../../dtype.js'
import { dataType } from '../graph.js'
import { needs, type MappingTable, type OnnxMapping, type OpContext } from './types.js'

/**
 * Masks and predictions: ops with a bool or int32 result, which autograd does not record and a
 * tracer sees under their own names. Inputs: comparisons [a, b] in one float dtype (a number
 * as a 0-d tensor); logical ops their operands as bool; isnan/isinf/isfinite [x] of any dtype.
 * Attributes: argmax/argmin `{ dim, keepdim }` (dim null: over the flattened tensor); max(dim)'s
 * and min(dim)'s indices come as MaxBackward0/MinBackward0 marked `{ output: 'indices' }`.
 */

const same =
  (opType: string): OnnxMapping =>
  ({ g, inputs }) =>
    g.op(opType, inputs)

/** IsNaN and IsInf take floats only: int32 and bool (never NaN or ∞) go through float32. */
function floatInput(c: OpContext): string {
  return isFloat(c.op.inputs[0].dtype) ? c.inputs[0] : c.g.op('Cast', c.inputs, { to: dataType('float32') })
}

/**
 * ArgMax/ArgMin, the first of tied extremes as PyTorch (select_last_index 0), the int64 result
 * cast to yann's int32. NaN: yann and ONNX Runtime may pick differently (unchecked here).
 */
export const argExtreme = (opType: 'ArgMax' | 'ArgMin'): OnnxMapping =>
  needs(['dim', 'keepdim'], (c) => {
    const { dim, keepdim } = c.op.attributes as { dim: number | null; keepdim: boolean }
    const flat = dim === null
    const x = flat ? c.g.op('Reshape', [c.inputs[0], c.g.int64s('flat', [-1])]) : c.inputs[0]
    const index = c.g.op(opType, [x], { axis: dim ?? 0, keepdims: keepdim ? 1 : 0, select_last_index: 0 })
    const out = c.g.op('Cast', [index], { to: dataType('int32') })
    // Over everything with keepdim: a 1 for every dim of x, as PyTorch.
    return flat && keepdim ? c.g.op('Reshape', [out, c.g.int64s('ones', c.op.output.shape)]) : out
  })

export const maskOps: MappingTable = {
  gt: same('Greater'),
  lt: same('Less'),
  ge: same('GreaterOrEqual'),
  le: same('LessOrEqual'),
  eq: same('Equal'),
  ne: (c) => c.g.op('Not', [c.g.op('Equal', c.inputs)]),
  logicalNot: same('Not'),
  logicalAnd: same('And'),
  logicalOr: same('Or'),
  isnan: (c) => c.g.op('IsNaN', [floatInput(c)]),
  isinf: (c) => c.g.op('IsInf', [floatInput(c)]),
  isfinite: (c) => {
    const x = floatInput(c)
    return c.g.op('Not', [c.g.op('Or', [c.g.op('IsNaN', [x]), c.g.op('IsInf', [x])])])
  },
  argmax: argExtreme('ArgMax'),
  argmin: argExtreme('ArgMin'),
}
