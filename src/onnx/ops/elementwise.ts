import { needs, scalar, type MappingTable, type OnnxMapping } from './types.js'

/** Elementwise ops: one ONNX op each, inputs passed through (ONNX broadcasts as NumPy does). */

const same =
  (opType: string): OnnxMapping =>
  ({ g, inputs }) =>
    g.op(opType, inputs)

const pow = needs(['exponent'], (c) => c.g.op('Pow', [c.inputs[0], scalar(c, 'exponent', c.op.inputs[0], c.op.attributes.exponent as number)]))

export const elementwise: MappingTable = {
  AddBackward0: same('Add'),
  SubBackward0: same('Sub'),
  RsubBackward1: same('Sub'), // sub(2, x): inputs are already [2, x]
  MulBackward0: same('Mul'),
  DivBackward0: same('Div'),
  MaximumBackward0: same('Max'),
  NegBackward0: same('Neg'),
  ExpBackward0: same('Exp'),
  LogBackward0: same('Log'),
  SqrtBackward0: same('Sqrt'),
  AbsBackward0: same('Abs'),
  ReluBackward0: same('Relu'),
  SigmoidBackward0: same('Sigmoid'),
  TanhBackward0: same('Tanh'),
  // x.square() records PowBackward0 too, as in PyTorch, marked { op: 'square' }.
  PowBackward0: (c) => (c.op.attributes.op === 'square' ? c.g.op('Mul', [c.inputs[0], c.inputs[0]]) : pow(c)),
  ClampBackward1: needs(['min', 'max'], (c) => {
    const { min, max } = c.op.attributes as { min: number; max: number }
    const x = c.op.inputs[0]
    const lo = min === -Infinity ? '' : scalar(c, 'clamp_min', x, min)
    const hi = max === Infinity ? '' : scalar(c, 'clamp_max', x, max)
    return c.g.op('Clip', [c.inputs[0], lo, hi])
  }),
}
