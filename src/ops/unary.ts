import { record } from '../autograd/engine.js'
import { backend } from '../backend/index.js'
import type { UnaryOp } from '../backend/types.js'
import type { Tensor } from '../tensor.js'
import { asFloat, empty, floatDType, floats } from './operands.js'

/** Elementwise functions of one tensor. Each backward is the kernel's own derivative. */

function unaryOp(op: UnaryOp, gradFnName: string, input: Tensor): Tensor {
  const x = asFloat(input)
  const y = empty(floatDType(x), x.shape)
  backend().unary(op, floats(x), floats(y))
  return record(y, gradFnName, [x], (g) => {
    const dx = empty(floatDType(x), x.shape)
    backend().unaryBackward(op, floats(x), floats(y), floats(g), floats(dx))
    return [dx]
  })
}

export const neg = (x: Tensor): Tensor => unaryOp('neg', 'NegBackward0', x)
export const exp = (x: Tensor): Tensor => unaryOp('exp', 'ExpBackward0', x)
export const log = (x: Tensor): Tensor => unaryOp('log', 'LogBackward0', x)
export const sqrt = (x: Tensor): Tensor => unaryOp('sqrt', 'SqrtBackward0', x)
export const abs = (x: Tensor): Tensor => unaryOp('abs', 'AbsBackward0', x)
export const relu = (x: Tensor): Tensor => unaryOp('relu', 'ReluBackward0', x)
export const sigmoid = (x: Tensor): Tensor => unaryOp('sigmoid', 'SigmoidBackward0', x)
export const tanh = (x: Tensor): Tensor => unaryOp('tanh', 'TanhBackward0', x)

/** x ** exponent for a number exponent. */
export function pow(input: Tensor, exponent: number): Tensor {
  if (typeof exponent !== 'number') throw new TypeError(`pow: the exponent must be a number, got ${typeof exponent}`)
  const x = asFloat(input)
  const y = empty(floatDType(x), x.shape)
  backend().powScalar(floats(x), exponent, floats(y))
  return record(y, 'PowBackward0', [x], (g) => {
    const dx = empty(floatDType(x), x.shape)
    backend().powScalarBackward(floats(x), exponent, floats(g), floats(dx))
    return [dx]
  }, { exponent })
}

/** Clamp into [min, max]; either bound may be omitted (null), not both. */
export function clamp(input: Tensor, min?: number | null, max?: number | null): Tensor {
  if (min == null && max == null) throw new TypeError('clamp: at least one of min and max must be given')
  const lo = min ?? -Infinity
  const hi = max ?? Infinity
  const x = asFloat(input)
  const y = empty(floatDType(x), x.shape)
  backend().clamp(floats(x), lo, hi, floats(y))
  return record(y, 'ClampBackward1', [x], (g) => {
    const dx = empty(floatDType(x), x.shape)
    backend().clampBackward(floats(x), lo, hi, floats(g), floats(dx))
    return [dx]
  }, { min: lo, max: hi })
}
