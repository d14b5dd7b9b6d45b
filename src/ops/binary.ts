import { requireTensor } from '../argument-checks.js'
import { record, traced } from '../autograd/engine.js'
import type { Saved } from '../autograd/version.js'
import { backend } from '../backend/index.js'
import { constantArray } from '../compile/hooks.js'
import { binaryEntry, type GradientKit } from '../backend/optable-binary.js'
import type { BinaryOp } from '../backend/types.js'
import { broadcastShapes, broadcastStrides, formatShape } from '../shape.js'
import type { Operand, Tensor } from '../tensor.js'
import { scaled, type AlphaOptions } from './alpha.js'
import { isFloat } from '../dtype.js'
import { narrow, resultType } from '../promote.js'
import { asFloat, empty, exact, floatDType, floats, promote } from './operands.js'
import { rounded, roundingModeOf, type DivOptions } from './rounding.js'
import { sumTo } from './reduce.js'

/** Elementwise functions of two tensors, with NumPy/PyTorch broadcasting. */

/** The kernel call, unrecorded: for forward passes and for masks in backward passes. */
function compute(op: BinaryOp, name: string, a: Tensor, b: Tensor): Tensor {
  const shape = broadcastShapes(name, a.shape, b.shape)
  const out = empty(floatDType(a), shape)
  backend().binary(op, floats(a), floats(b), floats(out), shape, broadcastStrides(a.shape, shape), broadcastStrides(b.shape, shape))
  return out
}

/** What the table's gradient rules call: unrecorded kernels (masks) and a typed zero. */
const kit: GradientKit = {
  compute: (op, a, b) => compute(op, op, a, b),
  zero: (a) => {
    const z = empty(floatDType(a), [])
    constantArray(z.data) // (a number in code: a compiled step keeps it)
    return z
  },
}

/** op(x, y) recorded with the table's gradient rules (src/backend/optable-binary.ts). */
function binaryOp(op: BinaryOp, x: Operand, y: Operand, gradFnName = binaryEntry(op).gradFn!): Tensor {
  const [a, b, dtype] = promote(op, x, y)
  const out = compute(op, op, a, b)
  // Integers carry no gradient; a tracer still sees the float64 op and the cast back.
  if (!isFloat(dtype)) return narrow(op, traced(out, gradFnName, [a, b]), dtype, op === 'pow' ? NEGATIVE_POWER : undefined)
  const rule = binaryEntry(op).gradient!
  // Each operand's gradient is summed over the dims it was broadcast along.
  return record(out, gradFnName, [a, b], (g) => [
    a.requiresGrad ? sumTo(rule.a(g, a, b, kit), a.shape) : null,
    b.requiresGrad ? sumTo(rule.b(g, a, b, kit), b.shape) : null,
  ], undefined, savedBy(rule.reads, a, b))
}

/** pow's only non-integer results from integers: negative exponents. */
const NEGATIVE_POWER = 'Integers to negative integer powers are not allowed (as in PyTorch); convert the base with .float() first'

const NO_READS: readonly ('a' | 'b')[] = []

/** The operands read by the gradients of those that require grad: what PyTorch saves (x·w with x constant saves x alone). */
function savedBy(reads: { a: readonly ('a' | 'b')[]; b: readonly ('a' | 'b')[] }, a: Tensor, b: Tensor): Saved | undefined {
  const ra = a.requiresGrad ? reads.a : NO_READS
  const rb = b.requiresGrad ? reads.b : NO_READS
  const names = rb.length === 0 ? ra : ra.length === 0 ? rb : [...ra, ...rb]
  if (names.length === 0) return undefined
  return names.length === 1 ? (names[0] === 'a' ? a : b) : names.map((n) => (n === 'a' ? a : b))
}

export const add = (a: Operand, b: Operand, options?: AlphaOptions): Tensor => binaryOp('add', a, scaled('add', a, b, options))

/** `sub(2, x)` is PyTorch's `2 - x`, which records RsubBackward1. */
export function sub(a: Operand, b: Operand, options?: AlphaOptions): Tensor {
  if (isBoolTensor(a) && isBoolTensor(b)) {
    throw new TypeError(`sub: subtracting two bool tensors (shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}) is not supported, as in PyTorch; for their exclusive or use a.ne(b)`)
  }
  if (isBoolTensor(a) || isBoolTensor(b)) {
    const t = isBoolTensor(a) ? a : (b as Tensor)
    throw new TypeError(`sub: subtraction with a bool tensor (shape ${formatShape(t.shape)}) is not supported, as in PyTorch; to invert a mask use logicalNot(), or convert it with .int() first`)
  }
  return binaryOp('sub', a, scaled('sub', a, b, options), typeof a === 'number' ? 'RsubBackward1' : undefined)
}

const isBoolTensor = (v: Operand): v is Tensor => typeof v === 'object' && v !== null && v.dtype === 'bool'

export const mul = (a: Operand, b: Operand): Tensor => binaryOp('mul', a, b)

/**
 * True division of integers is float32, as PyTorch; rounded (floor, trunc) it stays int32, from
 * the float64 quotient (exact: it never rounds across an integer for int32 operands).
 */
export function div(a: Operand, b: Operand, options?: DivOptions): Tensor {
  if (isFloat(resultType(a, b))) return rounded(binaryOp('div', a, b), options)
  if (roundingModeOf(options) === null) return binaryOp('div', floatOperand(a), floatOperand(b))
  return narrow('div', rounded(binaryOp('div', exactOperand(a), exactOperand(b)), options), 'int32', 'integer division by zero (as in PyTorch); divide floats for ±inf')
}

const floatOperand = (v: Operand): Operand => (typeof v === 'number' ? v : asFloat(v))
const exactOperand = (v: Operand): Operand => (typeof v === 'number' ? v : exact(v))

/** Elementwise max, NaN propagating; a tie gives each operand half the gradient (PyTorch's rule). */
export const maximum = (a: Tensor, b: Tensor): Tensor => binaryOp('maximum', a, b)

/** Elementwise min: max of the negations, negated (PyTorch's NaN and tie rules follow from maximum's). */
export function minimum(a: Tensor, b: Tensor): Tensor {
  requireTensor('minimum', 'input', a)
  requireTensor('minimum', 'other', b)
  broadcastShapes('minimum', a.shape, b.shape) // first, so that the error names minimum, not the maximum it runs
  const dtype = resultType(a, b)
  if (!isFloat(dtype)) return narrow('minimum', minimum(exact(a), exact(b)), dtype) // int32's −(−2³¹) does not fit
  return maximum(a.neg(), b.neg()).neg()
}

/** a ** b for a tensor exponent, broadcast (log a read as 0 where a = 0 in b's gradient, as PyTorch). */
export const powTensor = (a: Tensor, b: Tensor): Tensor => binaryOp('pow', a, b)
