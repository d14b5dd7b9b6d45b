import { record, type OpAttributes } from '../autograd/engine.js'
import { copyArray, recording } from '../compile/hooks.js'
import { backend } from '../backend/index.js'
import { tsBackend } from '../backend/ts/index.js'
import { allocate, isFloat, type FloatArray } from '../dtype.js'
import { formatShape, normalizeDim, numelBetween, numelOf, sameShape, sizedDim, splitAt, stridesOf } from '../shape.js'
import { empty, floatDType, floats } from './operands.js'
import { Tensor } from '../tensor.js'
import { checkedIndices } from './index-check.js'
import { indexTensor, markSliceCopy, stridedPut, stridedTake } from './strided.js'

/** narrow, select, slice, indexSelect, gather, scatterAdd. Results are copies; gradients flow back into the chosen elements. */

/** Elements start, start+step, … below end along dim d: the strided window, recorded. */
function window(op: string, name: string, x: Tensor, d: number, start: number, count: number, step: number, drop: boolean, attributes: OpAttributes): Tensor {
  const strides = stridesOf(x.shape)
  const shape = x.shape.map((s, i) => (i === d ? count : s))
  const wStrides = strides.map((s, i) => (i === d ? s * step : s))
  const offset = count > 0 ? start * strides[d] : 0
  if (step === 1 && isFloat(x.dtype) && numelBetween(x.shape, 0, d) === 1) {
    // One contiguous block (e.g. q, k, v out of a packed [3, …] projection): copied whole.
    const out = empty(floatDType(x), shape)
    copyArray(floats(out), floats(x).subarray(offset, offset + out.numel()))
    const block = drop ? out.viewAs(shape.filter((_, i) => i !== d)) : out
    return markSliceCopy(record(block, name, [x], (g) => {
      const dx = empty(floatDType(g), x.shape)
      copyArray(floats(dx).subarray(offset, offset + g.numel()), floats(g))
      return [dx]
    }, attributes), op)
  }
  const y = stridedTake(x, shape, wStrides, offset)
  const out = drop ? y.viewAs(shape.filter((_, i) => i !== d)) : y
  return markSliceCopy(
    record(out, name, [x], (g) => [stridedPut(g.viewAs(shape), x.shape, wStrides, offset)], attributes),
    op,
  )
}

function integer(op: string, name: string, v: unknown): number {
  if (!Number.isInteger(v)) throw new TypeError(`${op}: ${name} must be an integer, got ${String(v)}`)
  return v as number
}

/** An integer, or a 0-d int32 tensor read as one (PyTorch takes both: `x.select(0, t.argmax())`). */
function integerOrScalar(op: string, name: string, v: unknown): number {
  if (!(v instanceof Tensor)) return integer(op, name, v)
  if (v.ndim !== 0 || v.dtype !== 'int32') {
    throw new TypeError(`${op}: ${name} must be an integer or a 0-d int32 tensor, got a ${v.dtype} tensor of shape ${formatShape(v.shape)}`)
  }
  return v.item() // (item(): a compiled step that reads it runs eagerly)
}

/** `length` elements of dim from `start` (start may be negative, a number or a 0-d int32 tensor). */
export function narrow(x: Tensor, dim: number, startArg: number | Tensor, length: number): Tensor {
  const d = sizedDim('narrow', dim, x.shape)
  const size = x.shape[d]
  const start = integerOrScalar('narrow', 'start', startArg)
  integer('narrow', 'length', length)
  if (start < -size || start > size) {
    throw new RangeError(`narrow: start ${start} is out of range for dim ${d} of size ${size} (shape ${formatShape(x.shape)}); expected ${-size} to ${size}`)
  }
  const s = start < 0 ? start + size : start
  if (length < 0 || s + length > size) {
    throw new RangeError(`narrow: start ${start} + length ${length} exceeds dim ${d} of size ${size} (shape ${formatShape(x.shape)})`)
  }
  return window('narrow', 'NarrowBackward0', x, d, s, length, 1, false, { dim: d, start: s, length })
}

/** The slice at `index` of dim, which is removed (index may be negative). */
export function select(x: Tensor, dim: number, indexArg: number | Tensor): Tensor {
  const d = normalizeDim('select', dim, x.ndim, x.shape)
  if (x.ndim === 0) throw new Error('select: cannot select from a 0-d tensor')
  const size = x.shape[d]
  const index = integerOrScalar('select', 'index', indexArg)
  if (index < -size || index >= size) {
    throw new RangeError(`select: index ${index} is out of range for dim ${d} of size ${size} (shape ${formatShape(x.shape)}); valid indices are ${-size} to ${size - 1}`)
  }
  const i = index < 0 ? index + size : index
  return window('select', 'SelectBackward0', x, d, i, 1, 1, true, { dim: d, index: i })
}

export interface SliceRange {
  start: number
  count: number
  /** The end clamped to [0, size], as Python's slice.indices. */
  end: number
}

/** Python's slice(start, end, step).indices(size) for a positive step: where it starts and how many elements it takes. */
export function sliceRange(op: string, size: number, start: number | null | undefined, end: number | null | undefined, step: number): SliceRange {
  if (!Number.isInteger(step) || step <= 0) throw new RangeError(`${op}: step must be a positive integer, got ${step} (negative steps are not supported, as in PyTorch)`)
  const clampIndex = (v: number | null | undefined, dflt: number): number => {
    if (v == null) return dflt
    integer(op, 'start and end', v)
    const w = v < 0 ? v + size : v
    return Math.min(Math.max(w, 0), size)
  }
  const s = clampIndex(start, 0)
  const e = clampIndex(end, size)
  return { start: s, count: e > s ? Math.ceil((e - s) / step) : 0, end: e }
}

/** `t[..., start:end:step]` along dim: out-of-range bounds clamp, as Python slicing does. */
export function slice(x: Tensor, dim: number, start?: number | null, end?: number | null, step = 1): Tensor {
  const d = sizedDim('slice', dim, x.shape)
  const r = sliceRange('slice', x.shape[d], start, end, step)
  return window('slice', 'SliceBackward0', x, d, r.start, r.count, step, false, { dim: d, start: r.start, end: r.end, step })
}

/** Entries of dim at a list of indices (a 1-D int32 tensor or array); repeats allowed. The gradient adds back. */
export function indexSelect(x: Tensor, dim: number, index: Tensor | readonly number[]): Tensor {
  const d = normalizeDim('indexSelect', dim, x.ndim, x.shape)
  const idx = indexTensor('indexSelect', index)
  if (idx.ndim > 1) throw new Error(`indexSelect: index must be 1-D (or 0-d), got shape ${formatShape(idx.shape)}`)
  const size = x.ndim === 0 ? 1 : x.shape[d]
  return selectRows(x, d, checkedIndices('indexSelect', idx, size, d, x.shape), idx)
}

/**
 * indexSelect along dim d at indices `at` already checked and made non-negative (`idx` is
 * the index tensor a tracer sees): index() passes its flat index, in range by construction,
 * so a compiled step runs no second check between its kernels.
 */
export function selectRows(x: Tensor, d: number, at: Int32Array, idx: Tensor): Tensor {
  const shape = x.shape.map((s, i) => (i === d ? at.length : s))
  const [outer, n, inner] = splitAt(x.shape, d)
  const out = new Tensor(allocate(x.dtype, numelOf(shape)), shape)
  // int32 and bool rows move with the ts kernel (the same loop over other arrays).
  const run = isFloat(x.dtype) ? backend() : tsBackend
  run.indexSelect(x.data as FloatArray, at, out.data as FloatArray, outer, n, inner)
  // The index is an input too (no gradient), so a tracer (ONNX export) sees the whole lookup.
  return record(out, 'IndexSelectBackward0', [x, idx], (g) => {
    const gx = empty(floatDType(g), x.shape)
    backend().indexAdd(floats(g), at, floats(gx), outer, n, inner)
    return [gx, null]
  }, { dim: d })
}

/**
 * out[pos] = x[pos with dim d replaced by index[pos]]; index has x's rank and each of its
 * other dims at most x's. The gradient scatters back, adding repeats.
 */
export function gather(x: Tensor, dim: number, index: Tensor | readonly number[]): Tensor {
  return gatherAs('GatherBackward0', x, normalizeDim('gather', dim, x.ndim, x.shape), indexTensor('gather', index))
}

/** gather along dim d (non-negative), recorded as `name`: PyTorch names sort's and topk's values SortBackward0, TopkBackward0. */
export function gatherAs(name: string, x: Tensor, d: number, idx: Tensor): Tensor {
  checkScatterShapes('gather', x, d, idx, null)
  const at = checkedIndices('gather', idx, x.ndim === 0 ? 1 : x.shape[d], d, x.shape)
  const axis = fullAxis(x, d, idx)
  if (axis) {
    // The usual case (index covers x in every other dim): one kernel each way.
    const [outer, n, inner] = axis
    const out = empty(floatDType(x), idx.shape)
    backend().gatherAxis(floats(x), at, floats(out), outer, n, inner)
    return record(out, name, [x, idx], (g) => {
      const gx = empty(floatDType(g), x.shape)
      // The kernel adds into gx: a compiled step's replay reuses it, so the recording logs its zeroing (eager's is new).
      if (recording !== null) recording.fill(floats(gx), 0)
      backend().scatterAddAxis(floats(g), at, floats(gx), outer, n, inner)
      return [gx, null]
    }, { dim: d })
  }
  const offsets = gatherOffsets(x.shape, d, idx.shape, (k) => at[k])
  return record(takeAt(x, offsets, idx.shape), name, [x, idx], (g) => [putAt(g, offsets, x.shape), null], { dim: d })
}

/** [outer, n, inner] around dim d when x is float and index has x's sizes in every other dim, else null. */
function fullAxis(x: Tensor, d: number, idx: Tensor): [number, number, number] | null {
  if (!isFloat(x.dtype) || x.ndim === 0 || idx.ndim !== x.ndim || idx.shape.some((s, i) => i !== d && s !== x.shape[i])) return null
  return splitAt(x.shape, d)
}

/** A copy of x with src added at the positions gather would read: out[… index[pos] …] += src[pos]. */
export function scatterAdd(x: Tensor, dim: number, index: Tensor | readonly number[], src: Tensor): Tensor {
  const d = normalizeDim('scatterAdd', dim, x.ndim, x.shape)
  const idx = indexTensor('scatterAdd', index)
  checkScatterShapes('scatterAdd', x, d, idx, src)
  if (src.dtype !== x.dtype) throw new TypeError(`scatterAdd: src has dtype ${src.dtype} but the tensor has ${x.dtype}; convert it with .to('${x.dtype}')`)
  const at = checkedIndices('scatterAdd', idx, x.ndim === 0 ? 1 : x.shape[d], d, x.shape)
  const axis = fullAxis(x, d, idx)
  if (axis && sameShape(src.shape, idx.shape)) {
    const [outer, n, inner] = axis
    // Copied by copyArray: a compiled step replays the copy (a slice() would keep the recording's values).
    const out = empty(floatDType(x), x.shape)
    copyArray(floats(out), floats(x))
    backend().scatterAddAxis(floats(src), at, floats(out), outer, n, inner)
    return record(out, 'ScatterAddBackward0', [x, src], (g) => {
      if (!src.requiresGrad) return [g, null]
      const gs = empty(floatDType(g), idx.shape)
      backend().gatherAxis(floats(g), at, floats(gs), outer, n, inner)
      return [g, gs]
    })
  }
  const offsets = gatherOffsets(x.shape, d, idx.shape, (k) => at[k])
  const srcAt = gatherOffsets(src.shape, -1, idx.shape, () => 0)
  const out = new Tensor(x.data.slice(), x.shape)
  const o = out.data
  const s = src.data
  for (let k = 0; k < offsets.length; k++) o[offsets[k]] += s[srcAt[k]]
  return record(out, 'ScatterAddBackward0', [x, src], (g) => [g, src.requiresGrad ? putAt(takeAt(g, offsets, idx.shape), srcAt, src.shape) : null])
}

function checkScatterShapes(op: string, x: Tensor, d: number, idx: Tensor, src: Tensor | null): void {
  const rank = Math.max(x.ndim, 1)
  if (Math.max(idx.ndim, 1) !== rank || (src && Math.max(src.ndim, 1) !== rank)) {
    throw new Error(`${op}: index of shape ${formatShape(idx.shape)} must have as many dims as the tensor of shape ${formatShape(x.shape)}`)
  }
  idx.shape.forEach((s, i) => {
    if (i !== d && s > x.shape[i]) {
      throw new Error(`${op}: index of shape ${formatShape(idx.shape)} is larger than the tensor of shape ${formatShape(x.shape)} in dim ${i}`)
    }
    if (src && s > src.shape[i]) {
      throw new Error(`${op}: index of shape ${formatShape(idx.shape)} is larger than src of shape ${formatShape(src.shape)} in dim ${i}`)
    }
  })
}

/**
 * For each position of `shape`: the flat offset into a tensor of `base` shape, with dim d's
 * coordinate replaced by at(k, j) (k: the flat position, j: its coordinate in dim d).
 */
function gatherOffsets(base: readonly number[], d: number, shape: readonly number[], at: (k: number, j: number) => number): Int32Array {
  const strides = stridesOf(base)
  const n = shape.reduce((a, b) => a * b, 1)
  const out = new Int32Array(n)
  const rank = shape.length
  const index = new Array<number>(rank).fill(0)
  for (let k = 0; k < n; k++) {
    let off = 0
    for (let i = 0; i < rank; i++) off += (i === d ? at(k, index[i]) : index[i]) * strides[i]
    out[k] = off
    for (let i = rank - 1; i >= 0; i--) {
      if (++index[i] < shape[i]) break
      index[i] = 0
    }
  }
  return out
}

/** x's elements at `offsets`, shaped `shape` (unrecorded). */
function takeAt(x: Tensor, offsets: Int32Array, shape: readonly number[]): Tensor {
  const C = x.data.constructor as new (n: number) => Tensor['data']
  const out = new C(offsets.length)
  const s = x.data
  for (let k = 0; k < offsets.length; k++) out[k] = s[offsets[k]]
  return new Tensor(out, shape)
}

/** Zeros of `shape` with g added at `offsets` (unrecorded): the gradient of takeAt. */
function putAt(g: Tensor, offsets: Int32Array, shape: readonly number[]): Tensor {
  const C = g.data.constructor as new (n: number) => Tensor['data']
  const out = new C(shape.reduce((a, b) => a * b, 1))
  const s = g.data
  for (let k = 0; k < offsets.length; k++) out[offsets[k]] += s[k]
  return new Tensor(out, shape)
}
