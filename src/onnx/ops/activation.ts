import { dataType, float } from '../graph.js'
import { needs, scalar, unsupported, type MappingTable, type OpContext } from './types.js'

/**
 * Activations with parameters, and dropout. Attributes the ops pass to record():
 * - LeakyReluBackward0 `{ negativeSlope }`, EluBackward0 `{ alpha }`
 * - SoftplusBackward0 `{ beta, threshold }`
 * - GeluBackward0 `{ approximate: 'none' | 'tanh' }`
 * - NativeDropoutBackward0 `{ p, training }` (recorded only when it drops)
 */

/** GELU: the Gelu op from opset 20, else its Erf form (or tanh form) spelled out. */
function gelu(c: OpContext): string {
  const approximate = (c.op.attributes.approximate as string | undefined) ?? 'none'
  const [x] = c.inputs
  if (c.g.opset >= 20) return c.g.op('Gelu', [x], { approximate })
  const like = c.op.inputs[0]
  const k = (v: number, hint: string) => scalar(c, hint, like, v)
  let inner: string
  if (approximate === 'tanh') {
    // tanh(√(2/π)·(x + 0.044715·x³))
    const cube = c.g.op('Mul', [c.g.op('Mul', [x, x]), x])
    inner = c.g.op('Tanh', [c.g.op('Mul', [c.g.op('Add', [x, c.g.op('Mul', [cube, k(0.044715, 'gelu_c')])]), k(Math.sqrt(2 / Math.PI), 'gelu_s')])])
  } else {
    const scaled = c.g.op('Div', [x, k(Math.SQRT2, 'sqrt2')]) // erf(x/√2)
    // ONNX Runtime's CPU Erf is float32 only: float64 computes erf in float32 (~1e-7 relative).
    inner = like.dtype === 'float64' ? c.g.op('Cast', [c.g.op('Erf', [c.g.op('Cast', [scaled], { to: dataType('float32') })])], { to: dataType('float64') }) : c.g.op('Erf', [scaled])
  }
  return c.g.op('Mul', [c.g.op('Mul', [x, k(0.5, 'half')]), c.g.op('Add', [inner, k(1, 'one')])])
}

/** PyTorch's softplus: log(1 + e^(βx))/β, and x itself where βx > threshold. */
function softplus(c: OpContext): string {
  const { beta = 1, threshold = 20 } = c.op.attributes as { beta?: number; threshold?: number }
  const [x] = c.inputs
  const like = c.op.inputs[0]
  const bx = beta === 1 ? x : c.g.op('Mul', [x, scalar(c, 'beta', like, beta)])
  // ONNX Runtime's CPU Softplus is float32 only: float64 spells out log(1 + e^(βx)).
  const plain = like.dtype === 'float64' ? c.g.op('Log', [c.g.op('Add', [c.g.op('Exp', [bx]), scalar(c, 'one', like, 1)])]) : c.g.op('Softplus', [bx])
  const soft = beta === 1 ? plain : c.g.op('Div', [plain, scalar(c, 'beta', like, beta)])
  return c.g.op('Where', [c.g.op('Greater', [bx, scalar(c, 'threshold', like, threshold)]), x, soft])
}

/** ELU; ONNX Runtime's CPU Elu is float32 only, so float64 spells out x > 0 ? x : α(eˣ − 1). */
function elu(c: OpContext): string {
  const alpha = (c.op.attributes.alpha as number | undefined) ?? 1
  const like = c.op.inputs[0]
  const [x] = c.inputs
  if (like.dtype !== 'float64') return c.g.op('Elu', [x], { alpha: float(alpha) })
  const negative = c.g.op('Mul', [c.g.op('Sub', [c.g.op('Exp', [x]), scalar(c, 'one', like, 1)]), scalar(c, 'alpha', like, alpha)])
  return c.g.op('Where', [c.g.op('Greater', [x, scalar(c, 'zero', like, 0)]), x, negative])
}

function dropout(c: OpContext): string {
  const { p = 0, training = false } = c.op.attributes as { p?: number; training?: boolean }
  if (training && p > 0) {
    throw unsupported(c, `dropout with p = ${p} and training: true; export traces in eval mode, so pass training: this.training to F.dropout (or use nn.Dropout)`)
  }
  return c.g.op('Identity', c.inputs)
}

export const activationOps: MappingTable = {
  LeakyReluBackward0: needs(['negativeSlope'], (c) => c.g.op('LeakyRelu', c.inputs, { alpha: float((c.op.attributes.negativeSlope as number | undefined) ?? 0.01) })),
  EluBackward0: needs(['alpha'], elu),
  SoftplusBackward0: needs(['beta', 'threshold'], softplus),
  GeluBackward0: needs(['approximate'], gelu),
  NativeDropoutBackward0: needs(['p', 'training'], dropout),
}
