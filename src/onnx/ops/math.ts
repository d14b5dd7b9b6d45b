import { dataType } from '../graph.js'
import { needs, scalar, type MappingTable, type OnnxMapping, type OpContext } from './types.js'

/**
 * The elementwise functions of the op table (issue 12) under PyTorch's gradFn names. ONNX
 * Runtime's CPU provider lacks float64 kernels for Softplus, Softsign and Mish, so those are
 * spelled out with ops that have both. Attributes: HardtanhBackward0 `{ minVal, maxVal }`.
 */

const same =
  (opType: string): OnnxMapping =>
  ({ g, inputs }) =>
    g.op(opType, inputs)

const one = (c: OpContext): string => scalar(c, 'one', c.op.inputs[0], 1)

/** log(1 + eˣ), stably: relu(x) + log(1 + e^−|x|). */
function softplusOf(c: OpContext, x: string): string {
  const tail = c.g.op('Log', [c.g.op('Add', [c.g.op('Exp', [c.g.op('Neg', [c.g.op('Abs', [x])])]), one(c)])])
  return c.g.op('Add', [c.g.op('Relu', [x]), tail])
}

function clip(c: OpContext, lo: number, hi: number): string {
  const x = c.op.inputs[0]
  return c.g.op('Clip', [c.inputs[0], scalar(c, 'min', x, lo), scalar(c, 'max', x, hi)])
}

/**
 * x·σ(x). ONNX Runtime fuses Mul(x, Sigmoid(x)) into a float32-only kernel, so float64 is
 * written x / (1 + e^−x), which it leaves alone.
 */
function silu(c: OpContext): string {
  const [x] = c.inputs
  if (c.op.inputs[0].dtype !== 'float64') return c.g.op('Mul', [x, c.g.op('Sigmoid', [x])])
  return c.g.op('Div', [x, c.g.op('Add', [c.g.op('Exp', [c.g.op('Neg', [x])]), one(c)])])
}

/** erf; ONNX Runtime's CPU Erf is float32 only, so float64 computes it in float32 (~1e-7 relative). */
function erf(c: OpContext): string {
  if (c.op.inputs[0].dtype !== 'float64') return c.g.op('Erf', c.inputs)
  const asFloat = c.g.op('Cast', c.inputs, { to: dataType('float32') })
  return c.g.op('Cast', [c.g.op('Erf', [asFloat])], { to: dataType('float64') })
}

export const mathOps: MappingTable = {
  ErfBackward0: erf,
  SinBackward0: same('Sin'),
  CosBackward0: same('Cos'),
  Log1PBackward0: (c) => c.g.op('Log', [c.g.op('Add', [c.inputs[0], one(c)])]),
  Expm1Backward0: (c) => c.g.op('Sub', [c.g.op('Exp', c.inputs), one(c)]),
  SquareBackward0: (c) => c.g.op('Mul', [c.inputs[0], c.inputs[0]]),
  RsqrtBackward0: (c) => c.g.op('Reciprocal', [c.g.op('Sqrt', c.inputs)]),
  ReciprocalBackward0: same('Reciprocal'),
  SignBackward0: same('Sign'),
  FloorBackward0: same('Floor'),
  RoundBackward0: same('Round'), // half to even, as torch.round
  PowBackward1: same('Pow'), // tensor ** tensor
  MinimumBackward0: same('Min'),
  SiluBackward0: silu,
  MishBackward0: (c) => c.g.op('Mul', [c.inputs[0], c.g.op('Tanh', [softplusOf(c, c.inputs[0])])]),
  LogSigmoidBackward0: (c) => c.g.op('Neg', [softplusOf(c, c.g.op('Neg', c.inputs))]),
  SoftsignBackward0: (c) => c.g.op('Div', [c.inputs[0], c.g.op('Add', [c.g.op('Abs', c.inputs), one(c)])]),
  HardtanhBackward0: needs(['minVal', 'maxVal'], (c) => {
    const { minVal = -1, maxVal = 1 } = c.op.attributes as { minVal?: number; maxVal?: number }
    return clip(c, minVal, maxVal)
  }),
  Relu6Backward0: (c) => clip(c, 0, 6),
}
