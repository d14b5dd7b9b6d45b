import { boolByte } from '../dtype.js'
import { record } from '../autograd/engine.js'
import { backend } from '../backend/index.js'
import type { CompareOp } from '../backend/types.js'
import { broadcastShapes, broadcastStrides, formatShape, numelOf } from '../shape.js'
import { Tensor, type Operand } from '../tensor.js'
import { keepdimOf, type KeepdimOptions } from './dims.js'
import { empty, floatDType, floats, promote } from './operands.js'
import { sumTo } from './reduce.js'
import { stridedTake } from './strided.js'

/** Comparisons (→ bool), logical ops, where and maskedFill. */

function compareOp(op: CompareOp, a: Operand, b: Operand): Tensor {
  const [x, y] = promote(op, a, b)
  const shape = broadcastShapes(op, x.shape, y.shape)
  // Padded to whole 4-byte words: the wasm backend stages the bytes as float32 lanes.
  const n = numelOf(shape)
  const out = new Uint8Array(new ArrayBuffer((n + 3) & ~3), 0, n)
  backend().compare(op, floats(x), floats(y), out, shape, broadcastStrides(x.shape, shape), broadcastStrides(y.shape, shape))
  return new Tensor(out, shape)
}

export const gt = (a: Operand, b: Operand): Tensor => compareOp('gt', a, b)
export const lt = (a: Operand, b: Operand): Tensor => compareOp('lt', a, b)
export const ge = (a: Operand, b: Operand): Tensor => compareOp('ge', a, b)
export const le = (a: Operand, b: Operand): Tensor => compareOp('le', a, b)
export const eq = (a: Operand, b: Operand): Tensor => compareOp('eq', a, b)
export const ne = (a: Operand, b: Operand): Tensor => compareOp('ne', a, b)

/** A tensor that must be bool (a mask, a condition), or an error naming the op and what it got. */
export function requireBool(op: string, t: unknown, what: string): Tensor {
  if (!(t instanceof Tensor)) throw new TypeError(`${op}: ${what} must be a bool tensor, got ${t === null ? 'null' : typeof t}`)
  if (t.dtype !== 'bool') {
    throw new TypeError(`${op}: ${what} must be a bool tensor, got ${t.dtype} of shape ${formatShape(t.shape)}; make one with a comparison (x.gt(0)) or .bool()`)
  }
  return t
}

/** x as bool: nonzero is true (bool tensors as they are). */
const truth = (x: Tensor): Tensor => (x.dtype === 'bool' ? x : x.to('bool'))

export function logicalNot(x: Tensor): Tensor {
  const d = truth(x).data
  const out = new Uint8Array(d.length)
  for (let i = 0; i < d.length; i++) out[i] = d[i] ? 0 : 1
  return new Tensor(out, x.shape)
}

function logical(op: string, a: Tensor, b: Tensor, f: (p: number, q: number) => boolean): Tensor {
  const shape = broadcastShapes(op, a.shape, b.shape)
  const p = stridedTake(truth(a), shape, broadcastStrides(a.shape, shape), 0).data
  const q = stridedTake(truth(b), shape, broadcastStrides(b.shape, shape), 0).data
  const out = new Uint8Array(p.length)
  for (let i = 0; i < out.length; i++) out[i] = f(p[i], q[i]) ? 1 : 0
  return new Tensor(out, shape)
}

export const logicalAnd = (a: Tensor, b: Tensor): Tensor => logical('logicalAnd', a, b, (p, q) => p !== 0 && q !== 0)
export const logicalOr = (a: Tensor, b: Tensor): Tensor => logical('logicalOr', a, b, (p, q) => p !== 0 || q !== 0)

/** True if any element is nonzero: a 0-d bool, or along `dim` ({ keepdim }) as PyTorch's any(dim). */
export function any(x: Tensor, dim?: number | readonly number[], options?: KeepdimOptions): Tensor {
  if (dim === undefined && options === undefined) return new Tensor(Uint8Array.of(truth(x).data.some((v) => v !== 0) ? 1 : 0), [])
  return truth(x).sum(dim ?? null, { keepdim: keepdimOf('any', options) }).gt(0) // an empty line has none: false
}

/** True if every element is nonzero: a 0-d bool, or along `dim` ({ keepdim }) as PyTorch's all(dim). */
export function all(x: Tensor, dim?: number | readonly number[], options?: KeepdimOptions): Tensor {
  if (dim === undefined && options === undefined) return new Tensor(Uint8Array.of(truth(x).data.every((v) => v !== 0) ? 1 : 0), [])
  return logicalNot(x).sum(dim ?? null, { keepdim: keepdimOf('all', options) }).eq(0) // an empty line has no false: true
}

/**
 * out = cond ? a : b, all three broadcast together. The gradient goes to a where cond holds
 * and to b elsewhere, summed back over broadcast dims. int32/bool tensors with integers select
 * as int32 (bool when both are bool), as PyTorch keeps integer dtypes, rather than in float32.
 */
export function where(condition: Tensor, a: Operand, b: Operand): Tensor {
  const cond = requireBool('where', condition, 'condition')
  if (integral(a) && integral(b) && (a instanceof Tensor || b instanceof Tensor)) {
    const dtype = a instanceof Tensor && b instanceof Tensor && a.dtype === 'bool' && b.dtype === 'bool' ? 'bool' : 'int32'
    return selected(cond, integralTensor(a, dtype), integralTensor(b, dtype)).out
  }
  const [x, y] = promote('where', a, b)
  const { out, mask } = selected(cond, x, y)
  return record(out, 'WhereBackward0', [x, y], (g) => [
    x.requiresGrad ? sumTo(masked(g, mask, true), x.shape) : null,
    y.requiresGrad ? sumTo(masked(g, mask, false), y.shape) : null,
  ])
}

/** cond ? x : y elementwise over the three broadcast together, in x's dtype (unrecorded), and the broadcast cond. */
function selected(cond: Tensor, x: Tensor, y: Tensor): { out: Tensor; mask: ArrayLike<number> } {
  const shape = broadcastShapes('where', broadcastShapes('where', cond.shape, x.shape), y.shape)
  const mask = stridedTake(cond, shape, broadcastStrides(cond.shape, shape), 0).data
  const xs = stridedTake(x, shape, broadcastStrides(x.shape, shape), 0).data
  const ys = stridedTake(y, shape, broadcastStrides(y.shape, shape), 0).data
  for (let i = 0; i < xs.length; i++) if (!mask[i]) xs[i] = ys[i]
  return { out: new Tensor(xs, shape), mask }
}

const integral = (v: Operand): boolean => (v instanceof Tensor ? v.dtype === 'int32' || v.dtype === 'bool' : Number.isInteger(v) && Math.abs(v) < 2 ** 31)

/** An int32/bool tensor or a number as a tensor of `dtype` (a number is truncated, or its truth for bool). */
function integralTensor(v: Operand, dtype: 'int32' | 'bool'): Tensor {
  if (v instanceof Tensor) return v.dtype === dtype ? v : v.to(dtype)
  return new Tensor(dtype === 'bool' ? Uint8Array.of(boolByte(v)) : Int32Array.of(Math.trunc(v)), [])
}

/** g where c is `keep`, 0 elsewhere (unrecorded). */
function masked(g: Tensor, c: ArrayLike<number>, keep: boolean): Tensor {
  const out = empty(floatDType(g), g.shape)
  const o = floats(out)
  const s = floats(g)
  for (let i = 0; i < o.length; i++) o[i] = (c[i] !== 0) === keep ? s[i] : 0
  return out
}

/** x with `value` where mask is true; mask broadcasts to x's shape. The gradient reaches x where mask is false. */
export function maskedFill(x: Tensor, mask: Tensor, value: number | Tensor): Tensor {
  const m = requireBool('maskedFill', mask, 'mask')
  const shape = broadcastShapes('maskedFill', x.shape, m.shape)
  if (shape.length !== x.ndim || shape.some((s, i) => s !== x.shape[i])) {
    throw new Error(`maskedFill: mask of shape ${formatShape(m.shape)} must broadcast to the tensor's shape ${formatShape(x.shape)}`)
  }
  if (value instanceof Tensor && value.numel() !== 1) {
    throw new Error(`maskedFill: value must be a number or a 0-d tensor, got a tensor of shape ${formatShape(value.shape)}`)
  }
  // The result keeps x's dtype, as PyTorch's masked_fill: an int32 or bool tensor stays one.
  if (x.dtype === 'int32' || x.dtype === 'bool') return selected(m, integralTensor(value instanceof Tensor ? value.item() : value, x.dtype), x).out
  const v = value instanceof Tensor ? value.detach().to(floatDType(x)) : value
  return where(m, v, x)
}
