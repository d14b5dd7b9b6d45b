import { record } from '../autograd/engine.js'
import { backend } from '../backend/index.js'
import { unaryEntry } from '../backend/optable.js'
import { powTensor } from './binary.js'
import type { UnaryOp } from '../backend/types.js'
import { formatShape } from '../shape.js'
import type { Tensor } from '../tensor.js'
import { isFloat } from '../dtype.js'
import { narrow, resultType } from '../promote.js'
import { asFloat, empty, floatDType, floats } from './operands.js'

/** Elementwise functions of one tensor: the op table's (src/backend/optable.ts), whose derivative is the backward. */

/**
 * What the ops that keep integers integral give on int32 and bool (PyTorch's dtypes): `bool`
 * is the result on bool, null where PyTorch refuses bool. floor and round are the identity on
 * integers. Every other op computes int32 and bool in float32.
 */
const ON_INTEGERS: Partial<Record<UnaryOp, { bool: 'bool' | 'int32' | null; identity?: true }>> = {
  neg: { bool: null }, abs: { bool: null }, relu: { bool: null }, sign: { bool: 'bool' }, square: { bool: 'int32' },
  floor: { bool: null, identity: true }, round: { bool: null, identity: true },
}

function integerOp(op: UnaryOp, x: Tensor, rule: { bool: 'bool' | 'int32' | null; identity?: true }): Tensor {
  const dtype = x.dtype === 'int32' ? 'int32' : rule.bool
  if (dtype === null) throw new TypeError(`${op}: not supported on a bool tensor (shape ${formatShape(x.shape)}), as in PyTorch; convert it with .int() or .float() first`)
  return rule.identity ? x.clone() : narrow(op, unaryOp(op, x.to('float64')), dtype)
}

function unaryOp(op: UnaryOp, input: Tensor): Tensor {
  const rule = isFloat(input.dtype) ? undefined : ON_INTEGERS[op]
  if (rule !== undefined) return integerOp(op, input, rule)
  const x = asFloat(input)
  const y = empty(floatDType(x), x.shape)
  backend().unary(op, floats(x), floats(y))
  const { gradFn, reads } = unaryEntry(op)
  return record(y, gradFn, [x], (g) => {
    const dx = empty(floatDType(x), x.shape)
    backend().unaryBackward(op, floats(x), floats(y), floats(g), floats(dx))
    return [dx]
  }, { op }, reads === 'x' ? x : reads === 'y' ? y : undefined) // { op }: the table's op name (gradFn names repeat: square is PowBackward0)
}

export function neg(x: Tensor): Tensor {
  // PyTorch refuses it: -mask is not the inverted mask.
  if (x?.dtype === 'bool') throw new TypeError(`neg: negating a bool tensor (shape ${formatShape(x.shape)}) is not supported, as in PyTorch; to invert a mask use logicalNot()`)
  return unaryOp('neg', x)
}
export const exp = (x: Tensor): Tensor => unaryOp('exp', x)
export const log = (x: Tensor): Tensor => unaryOp('log', x)
export const sqrt = (x: Tensor): Tensor => unaryOp('sqrt', x)
export const abs = (x: Tensor): Tensor => unaryOp('abs', x)
export const relu = (x: Tensor): Tensor => unaryOp('relu', x)
export const sigmoid = (x: Tensor): Tensor => unaryOp('sigmoid', x)
export const tanh = (x: Tensor): Tensor => unaryOp('tanh', x)
export const log1p = (x: Tensor): Tensor => unaryOp('log1p', x)
export const sin = (x: Tensor): Tensor => unaryOp('sin', x)
export const cos = (x: Tensor): Tensor => unaryOp('cos', x)
export const expm1 = (x: Tensor): Tensor => unaryOp('expm1', x)
export const square = (x: Tensor): Tensor => unaryOp('square', x)
export const rsqrt = (x: Tensor): Tensor => unaryOp('rsqrt', x)
export const reciprocal = (x: Tensor): Tensor => unaryOp('reciprocal', x)
export const sign = (x: Tensor): Tensor => unaryOp('sign', x)
export const floor = (x: Tensor): Tensor => unaryOp('floor', x)
export const round = (x: Tensor): Tensor => unaryOp('round', x)
export const erf = (x: Tensor): Tensor => unaryOp('erf', x)

/** x ** exponent: a number, or a tensor broadcast against x (ops/binary.ts's powTensor). */
export function pow(input: Tensor, exponent: number | Tensor): Tensor {
  if (typeof exponent === 'object' && exponent !== null) return powTensor(input, exponent)
  if (typeof exponent !== 'number') throw new TypeError(`pow: the exponent must be a number or a tensor, got ${typeof exponent}`)
  const dtype = resultType(input, exponent)
  if (!isFloat(dtype)) {
    if (exponent < 0) throw new RangeError(`pow: Integers to negative integer powers are not allowed (${input.dtype} tensor of shape ${formatShape(input.shape)} to the power ${exponent}, as in PyTorch); convert it with .float() first`)
    return narrow('pow', pow(input.to('float64'), exponent), dtype)
  }
  const x = asFloat(input)
  const y = empty(floatDType(x), x.shape)
  backend().powScalar(floats(x), exponent, floats(y))
  return record(y, 'PowBackward0', [x], (g) => {
    const dx = empty(floatDType(x), x.shape)
    backend().powScalarBackward(floats(x), exponent, floats(g), floats(dx))
    return [dx]
  }, { exponent }, x)
}

/** Clamp into [min, max]; either bound may be omitted (null), not both. */
export const clamp = (input: Tensor, min?: number | null, max?: number | null): Tensor => clampAs('clamp', input, min, max)

/** clamp, its errors naming `op` (clip is an alias). */
export function clampAs(op: string, input: Tensor, min?: number | null, max?: number | null): Tensor {
  if (min == null && max == null) throw new TypeError(`${op}: at least one of min and max must be given`)
  if ((min != null && typeof min !== 'number') || (max != null && typeof max !== 'number')) {
    const [name, v] = min != null && typeof min !== 'number' ? ['min', min] : ['max', max]
    throw new TypeError(`${op}: ${name} must be a number or null, got ${typeof v} (tensor of shape ${formatShape(input.shape)}); for a tensor bound use maximum/minimum`)
  }
  const lo = min ?? -Infinity
  const hi = max ?? Infinity
  const dtype = resultType(input, min ?? null, max ?? null)
  if (!isFloat(dtype)) return narrow(op, clampAs(op, input.to('float64'), min, max), dtype)
  const x = asFloat(input)
  const y = empty(floatDType(x), x.shape)
  backend().clamp(floats(x), lo, hi, floats(y))
  return record(y, 'ClampBackward1', [x], (g) => {
    const dx = empty(floatDType(x), x.shape)
    backend().clampBackward(floats(x), lo, hi, floats(g), floats(dx))
    return [dx]
  }, { min: lo, max: hi }, x)
}
