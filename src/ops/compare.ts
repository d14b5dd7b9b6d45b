import { requireTensor } from '../argument-checks.js'
import { boolByte, isFloat, type DType, type FloatArray } from '../dtype.js'
import { replayedStep } from '../compile/hooks.js'
import { narrow } from '../promote.js'
import { composite, NO_ATTRIBUTES, record, traced, type OpAttributes } from '../autograd/engine.js'
import { backend } from '../backend/index.js'
import type { CompareOp } from '../backend/types.js'
import { broadcastShapes, broadcastStrides, formatShape, normalizeDim, numelOf, type Shape } from '../shape.js'
import { Tensor, type Operand } from '../tensor.js'
import { dimsOf, keepdimOf, type KeepdimOptions } from './dims.js'
import { empty, exact, floatDType, floats, operandAs, promote } from './operands.js'
import { sumTo } from './reduce.js'
import { stridedTake } from './strided.js'

/**
 * Comparisons (→ bool), logical ops, where and maskedFill. Autograd records none but where's
 * values; a tracer (ONNX export) sees each under its own name (`gt`, `logicalAnd`), and where
 * with its condition as the first input.
 */

function compareOp(op: CompareOp, a: Operand, b: Operand): Tensor {
  const [x, y] = promote(op, a, b)
  const shape = broadcastShapes(op, x.shape, y.shape)
  // Padded to whole 4-byte words: the wasm backend stages the bytes as float32 lanes.
  const n = numelOf(shape)
  const out = new Uint8Array(new ArrayBuffer((n + 3) & ~3), 0, n)
  backend().compare(op, floats(x), floats(y), out, shape, broadcastStrides(x.shape, shape), broadcastStrides(y.shape, shape))
  return traced(new Tensor(out, shape), op, [x, y])
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

// The loops below run as replayedSteps: a compiled step redoes them on each call's values, as kernels.

export function logicalNot(x: Tensor): Tensor {
  const t = truth(x)
  const out = new Tensor(new Uint8Array(t.numel()), x.shape)
  replayedStep('logicalNot', notBytes, [t.data as Uint8Array, out.data as Uint8Array])
  return traced(out, 'logicalNot', [t])
}

function notBytes(d: Uint8Array, out: Uint8Array): void {
  for (let i = 0; i < d.length; i++) out[i] = d[i] ? 0 : 1
}

type Logic = (p: number, q: number) => boolean

function logical(op: string, a: Tensor, b: Tensor, f: Logic): Tensor {
  requireTensor(op, 'other', b)
  const shape = broadcastShapes(op, a.shape, b.shape)
  const s = truth(a)
  const t = truth(b)
  const p = stridedTake(s, shape, broadcastStrides(a.shape, shape), 0).data
  const q = stridedTake(t, shape, broadcastStrides(b.shape, shape), 0).data
  const out = new Tensor(new Uint8Array(p.length), shape)
  replayedStep('logical', combineBytes, [p as Uint8Array, q as Uint8Array, out.data as Uint8Array, f])
  return traced(out, op, [s, t])
}

function combineBytes(p: Uint8Array, q: Uint8Array, out: Uint8Array, f: Logic): void {
  for (let i = 0; i < out.length; i++) out[i] = f(p[i], q[i]) ? 1 : 0
}

export const logicalAnd = (a: Tensor, b: Tensor): Tensor => logical('logicalAnd', a, b, (p, q) => p !== 0 && q !== 0)
export const logicalOr = (a: Tensor, b: Tensor): Tensor => logical('logicalOr', a, b, (p, q) => p !== 0 || q !== 0)

/** True if any element is nonzero: a 0-d bool, or along `dim` ({ keepdim }) as PyTorch's any(dim). */
export function any(x: Tensor, dim?: number | readonly number[], options?: KeepdimOptions): Tensor {
  const t = truth(x)
  return composite('any', [t], reductionOf('any', t, dim, keepdimOf('any', options)), () => {
    if (dim === undefined && options === undefined) return everything(t, false)
    return t.sum(dim ?? null, { keepdim: keepdimOf('any', options) }).gt(0) // an empty line has none: false
  })
}

/** True if every element is nonzero: a 0-d bool, or along `dim` ({ keepdim }) as PyTorch's all(dim). */
export function all(x: Tensor, dim?: number | readonly number[], options?: KeepdimOptions): Tensor {
  const t = truth(x)
  return composite('all', [t], reductionOf('all', t, dim, keepdimOf('all', options)), () => {
    if (dim === undefined && options === undefined) return everything(t, true)
    return logicalNot(t).sum(dim ?? null, { keepdim: keepdimOf('all', options) }).eq(0) // an empty line has no false: true
  })
}

/** any() (or all(), `every`) of a bool tensor's elements, as a 0-d bool. */
function everything(t: Tensor, every: boolean): Tensor {
  const out = new Tensor(new Uint8Array(1), [])
  replayedStep('anyAll', anyAllBytes, [t.data as Uint8Array, out.data as Uint8Array, every])
  return out
}

function anyAllBytes(d: Uint8Array, out: Uint8Array, every: boolean): void {
  out[0] = (every ? d.every((v) => v !== 0) : d.some((v) => v !== 0)) ? 1 : 0
}

/**
 * any/all's attributes for a tracer (ONNX export), as the reductions pass them: dims non-negative,
 * null for all. Checked here so that a bad dim's error names any/all, not the sum they run.
 */
function reductionOf(op: string, x: Tensor, dim: number | readonly number[] | undefined | null, keepdim: boolean): OpAttributes {
  return { dim: dim == null ? null : typeof dim === 'number' ? normalizeDim(op, dim, x.ndim, x.shape) : dimsOf(op, x.shape, dim), keepdim }
}

/**
 * out = cond ? a : b, all three broadcast together, in the dtype PyTorch promotes a and b to
 * (src/promote.ts; integers select in float64 and narrow back). The gradient goes to a where
 * cond holds and to b elsewhere, summed back over broadcast dims.
 */
export function where(condition: Tensor, a: Operand, b: Operand): Tensor {
  const cond = requireBool('where', condition, 'condition')
  const [x, y, dtype] = promote('where', a, b)
  // A tracer sees the condition too (autograd records only x and y: cond has no gradient).
  return composite('WhereBackward0', [cond, x, y], NO_ATTRIBUTES, () => whereOf(cond, x, y, dtype))
}

function whereOf(cond: Tensor, x: Tensor, y: Tensor, dtype: DType): Tensor {
  const out = selected(cond, x, y)
  if (!isFloat(dtype)) return narrow('where', out, dtype)
  const zero = operandAs(0, floatDType(out))
  return record(out, 'WhereBackward0', [x, y], (g) => [
    x.requiresGrad ? sumTo(selected(cond, g, zero), x.shape) : null,
    y.requiresGrad ? sumTo(selected(cond, zero, g), y.shape) : null,
  ], undefined, cond) // the backward reads cond: saved, as PyTorch saves it
}

/** cond ? x : y over the three broadcast together, in x's float dtype (unrecorded; under compile() every call selects again). */
function selected(cond: Tensor, x: Tensor, y: Tensor): Tensor {
  const shape = broadcastShapes('where', broadcastShapes('where', cond.shape, x.shape), y.shape)
  const out = empty(floatDType(x), shape)
  const strides = [cond, x, y].map((t) => broadcastStrides(t.shape, shape))
  replayedStep('select', select, [cond.data as Uint8Array, floats(x), floats(y), floats(out), shape, strides])
  return out
}

function select(c: Uint8Array, x: FloatArray, y: FloatArray, out: FloatArray, shape: Shape, strides: number[][]): void {
  const [cs, xs, ys] = strides
  // A row (the last dim) at a time, each operand stepping by its own stride there (1, or 0 when broadcast).
  const last = shape.length - 1
  const n = last < 0 ? 1 : shape[last]
  const [cl, xl, yl] = last < 0 ? [0, 0, 0] : [cs[last], xs[last], ys[last]]
  const at = shape.map(() => 0)
  let ci = 0
  let xi = 0
  let yi = 0
  for (let i = 0; i < out.length; i += n) {
    for (let j = 0; j < n; j++) out[i + j] = c[ci + j * cl] ? x[xi + j * xl] : y[yi + j * yl]
    // The next row: step each operand's offset by its stride, rewinding a dim that wrapped.
    for (let d = last - 1; d >= 0; d--) {
      ci += cs[d]
      xi += xs[d]
      yi += ys[d]
      if (++at[d] < shape[d]) break
      ci -= cs[d] * shape[d]
      xi -= xs[d] * shape[d]
      yi -= ys[d] * shape[d]
      at[d] = 0
    }
  }
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
  // The result keeps x's dtype, as PyTorch's masked_fill: an int32 or bool tensor stays one (the value truncated).
  if (!isFloat(x.dtype)) {
    const v = value instanceof Tensor ? value.item() : value
    const filled = where(m, x.dtype === 'bool' ? boolByte(v) : Math.trunc(v), exact(x))
    return narrow('maskedFill', filled, x.dtype)
  }
  const v = value instanceof Tensor ? value.detach().to(floatDType(x)) : value
  return where(m, v, x)
}
