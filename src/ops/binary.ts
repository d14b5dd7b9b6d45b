import { record } from '../autograd/engine.js'
import { backend } from '../backend/index.js'
import type { BinaryOp } from '../backend/types.js'
import { broadcastShapes, broadcastStrides } from '../shape.js'
import type { Operand, Tensor } from '../tensor.js'
import { scaled, type AlphaOptions } from './alpha.js'
import { empty, floatDType, floats, promote } from './operands.js'
import { sumTo } from './reduce.js'

/** Elementwise functions of two tensors, with NumPy/PyTorch broadcasting. */

/** The kernel call, unrecorded: for forward passes and for masks in backward passes. */
function compute(op: BinaryOp, name: string, a: Tensor, b: Tensor): Tensor {
  const shape = broadcastShapes(name, a.shape, b.shape)
  const out = empty(floatDType(a), shape)
  backend().binary(op, floats(a), floats(b), floats(out), shape, broadcastStrides(a.shape, shape), broadcastStrides(b.shape, shape))
  return out
}

type Gradients = (g: Tensor, a: Tensor, b: Tensor) => [Tensor | null, Tensor | null]

function binaryOp(op: BinaryOp, gradFnName: string, x: Operand, y: Operand, gradients: Gradients): Tensor {
  const [a, b] = promote(op, x, y)
  const out = compute(op, op, a, b)
  return record(out, gradFnName, [a, b], (g) => {
    const [ga, gb] = gradients(g, a, b)
    // Each operand's gradient is summed over the dims it was broadcast along.
    return [ga && a.requiresGrad ? sumTo(ga, a.shape) : null, gb && b.requiresGrad ? sumTo(gb, b.shape) : null]
  })
}

export const add = (a: Operand, b: Operand, options?: AlphaOptions): Tensor => binaryOp('add', 'AddBackward0', a, scaled('add', b, options), (g) => [g, g])

/** `sub(2, x)` is PyTorch's `2 - x`, which records RsubBackward1. */
export const sub = (a: Operand, b: Operand, options?: AlphaOptions): Tensor =>
  binaryOp('sub', typeof a === 'number' ? 'RsubBackward1' : 'SubBackward0', a, scaled('sub', b, options), (g) => [g, g.neg()])

export const mul = (a: Operand, b: Operand): Tensor =>
  binaryOp('mul', 'MulBackward0', a, b, (g, a, b) => [a.requiresGrad ? g.mul(b) : null, b.requiresGrad ? g.mul(a) : null])

export const div = (a: Operand, b: Operand): Tensor =>
  binaryOp('div', 'DivBackward0', a, b, (g, a, b) => [
    a.requiresGrad ? g.div(b) : null,
    b.requiresGrad ? g.neg().mul(a).div(b.mul(b)) : null,
  ])

/**
 * Elementwise max. PyTorch's gradient rule: each operand gets the gradient unless it is the
 * smaller one, half of it on a tie; so where either is NaN both get all of it.
 */
export const maximum = (a: Tensor, b: Tensor): Tensor =>
  binaryOp('maximum', 'MaximumBackward0', a, b, (g, a, b) => {
    const tie = compute('eq', 'maximum', a, b).mul(0.5)
    // mask = 1 − [smaller] − ½[tie]
    const mask = (smaller: Tensor) => smaller.add(tie).neg().add(1)
    return [
      a.requiresGrad ? g.mul(mask(compute('gt', 'maximum', b, a))) : null,
      b.requiresGrad ? g.mul(mask(compute('gt', 'maximum', a, b))) : null,
    ]
  })

/** Elementwise min: max of the negations, negated (PyTorch's NaN and tie rules follow from maximum's). */
export const minimum = (a: Tensor, b: Tensor): Tensor => maximum(a.neg(), b.neg()).neg()

/**
 * a ** b for a tensor exponent, broadcast. Gradients: b·a^(b−1) and a^b·log a, with log a
 * read as 0 where a = 0 (PyTorch's rule: 0^b has no gradient in b there).
 */
export const powTensor = (a: Tensor, b: Tensor): Tensor =>
  binaryOp('pow', 'PowBackward1', a, b, (g, a, b) => [
    a.requiresGrad ? g.mul(b).mul(compute('pow', 'pow', a, b.sub(1))) : null,
    b.requiresGrad ? g.mul(compute('pow', 'pow', a, b)).mul(a.add(compute('eq', 'pow', a, zeroLike(a))).log()) : null,
  ])

function zeroLike(a: Tensor): Tensor {
  return empty(floatDType(a), [])
}
