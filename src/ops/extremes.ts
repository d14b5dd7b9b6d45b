import { record, traced, type OpAttributes } from '../autograd/engine.js'
import { backend } from '../backend/index.js'
import { formatShape, SCALAR } from '../shape.js'
import { Tensor } from '../tensor.js'
import { eq } from './compare.js'
import { axisOf, keepdimOf, overDims, type Axis, type KeepdimOptions } from './dims.js'
import { isFloat, type FloatArray } from '../dtype.js'
import { replayedStep } from '../compile/hooks.js'
import { narrow } from '../promote.js'
import { empty, exact, floatDType, floats } from './operands.js'
import { expandTo } from './reduce.js'

/**
 * max/min (all, or along a dim with indices), amax/amin, argmax/argmin. The int32 indices have
 * no gradient: a tracer (ONNX export) sees them as an op of their own, max(dim)'s under the
 * values' gradFn name marked { output: 'indices' }, argmax's as `argmax`.
 */

export interface ValuesIndices {
  values: Tensor
  indices: Tensor
}

/** The kernel call, unrecorded: values and int32 indices of the extreme along `axis`. */
function extreme(op: string, x: Tensor, axis: Axis, min: boolean): ValuesIndices {
  if (axis.n === 0) throw new Error(`${op}: cannot reduce over dim ${axis.dim} of size 0 (tensor of shape ${formatShape(x.shape)}); it has no elements`)
  const values = empty(floatDType(x), axis.out)
  const indices = new Tensor(new Int32Array(values.numel()), axis.out)
  backend().maxAxis(floats(x), floats(values), indices.data as Int32Array, axis.outer, axis.n, axis.inner, min)
  return { values, indices }
}

/** A reduction over every element, for tracers (ONNX export). */
const ALL: OpAttributes = { dim: null, keepdim: false }

/** The whole tensor as one axis: [1, numel, 1]. */
function allAxis(op: string, x: Tensor): Axis {
  if (x.numel() === 0) throw new Error(`${op}: the tensor of shape ${formatShape(x.shape)} has no elements; specify a dim or give it elements`)
  return { dim: 0, outer: 1, n: x.numel(), inner: 1, kept: x.shape.map(() => 1), out: SCALAR }
}

/** g (of the reduced shape) scattered to the chosen index of each row; zeros elsewhere. */
function scatterToIndex(g: Tensor, indices: Int32Array, axis: Axis, shape: readonly number[]): Tensor {
  const out = empty(floatDType(g), shape)
  // A replayedStep: a compiled step scatters each call's gradient to that call's indices.
  replayedStep('scatterToIndex', putAtIndex, [floats(g), indices, floats(out), axis.outer, axis.n, axis.inner])
  return out
}

function putAtIndex(src: FloatArray, indices: Int32Array, o: FloatArray, outer: number, n: number, inner: number): void {
  o.fill(0) // (a replay writes the same array again)
  for (let a = 0; a < outer; a++) {
    for (let i = 0; i < inner; i++) {
      const k = a * inner + i
      o[(a * n + indices[k]) * inner + i] = src[k]
    }
  }
}

/** max(dim) / min(dim): values with their indices; the gradient goes to the chosen element. */
function extremeDim(op: string, name: string, input: Tensor, dim: number, options: KeepdimOptions | undefined, min: boolean): ValuesIndices {
  const x = exact(input)
  const keepdim = keepdimOf(op, options)
  const axis = axisOf(op, x.shape, dim, keepdim)
  const { values, indices } = extreme(op, x, axis, min)
  const idx = indices.data as Int32Array
  record(values, name, [x], (g) => [scatterToIndex(g, idx, axis, x.shape)], { dim: axis.dim, keepdim }, indices)
  return { values: inDTypeOf(op, input, values), indices: traced(indices, name, [x], { dim: axis.dim, keepdim, output: 'indices' }) }
}

/** Values of int32 and bool tensors (found in float64, exactly) back in their dtype, as PyTorch keeps it. */
function inDTypeOf(op: string, input: Tensor, values: Tensor): Tensor {
  if (input.dtype !== 'int32' && input.dtype !== 'bool') return values
  return narrow(op, values, input.dtype)
}

/**
 * Reductions that share the gradient evenly between tied extremes (PyTorch's amax rule,
 * and max()/min() over all elements).
 */
function extremeShared(op: string, name: string, input: Tensor, axis: Axis, min: boolean, attributes: OpAttributes): Tensor {
  const x = exact(input)
  const { values } = extreme(op, x, axis, min)
  if (!isFloat(input.dtype)) return inDTypeOf(op, input, traced(values, name, [x], attributes)) // integers carry no gradient
  return record(values, name, [x], (g) => {
    const ties = eq(x, values.viewAs(axis.kept)).to(floatDType(x))
    const count = ties.sum(axis.outer === 1 && axis.inner === 1 ? null : axis.dim, true)
    return [ties.mul(expandTo(g.viewAs(axis.kept), x.shape)).div(count)]
  }, attributes, [x, values])
}

/** max() over everything → 0-d; max(dim, { keepdim }) → { values, indices }. */
export function max(x: Tensor): Tensor
export function max(x: Tensor, dim: number, options?: KeepdimOptions): ValuesIndices
export function max(x: Tensor, dim?: number, options?: KeepdimOptions): Tensor | ValuesIndices {
  if (dim === undefined) return extremeShared('max', 'MaxBackward1', x, allAxis('max', x), false, ALL)
  return extremeDim('max', 'MaxBackward0', x, dim, options, false)
}

export function min(x: Tensor): Tensor
export function min(x: Tensor, dim: number, options?: KeepdimOptions): ValuesIndices
export function min(x: Tensor, dim?: number, options?: KeepdimOptions): Tensor | ValuesIndices {
  if (dim === undefined) return extremeShared('min', 'MinBackward1', x, allAxis('min', x), true, ALL)
  return extremeDim('min', 'MinBackward0', x, dim, options, true)
}

/** Largest value along `dim`, or of everything (dim omitted, as torch.amax's default); ties share the gradient evenly. */
export function amax(x: Tensor, dim?: number | readonly number[] | null, options?: KeepdimOptions): Tensor {
  return reducedExtreme('amax', 'AmaxBackward0', x, dim, options, false)
}

export function amin(x: Tensor, dim?: number | readonly number[] | null, options?: KeepdimOptions): Tensor {
  return reducedExtreme('amin', 'AminBackward0', x, dim, options, true)
}

function reducedExtreme(op: string, name: string, x: Tensor, dim: number | readonly number[] | null | undefined, options: KeepdimOptions | undefined, min: boolean): Tensor {
  const keepdim = keepdimOf(op, options)
  if (Array.isArray(dim)) return extremeOverDims(op, name, x, dim, keepdim, min)
  if (dim == null) {
    const all = allAxis(op, x)
    return extremeShared(op, name, x, keepdim ? { ...all, out: all.kept } : all, min, { dim: null, keepdim })
  }
  const axis = axisOf(op, x.shape, dim as number, keepdim)
  return extremeShared(op, name, x, axis, min, { dim: axis.dim, keepdim })
}

/** amax/amin over a list of dims: one reduction over them merged, so ties share across all of them. (Its own function: the closure would cost reducedExtreme a context per call.) */
function extremeOverDims(op: string, name: string, x: Tensor, dims: readonly number[], keepdim: boolean, min: boolean): Tensor {
  return overDims(op, x, dims, keepdim, (merged) => reducedExtreme(op, name, merged, -1, undefined, min))
}

function argExtreme(op: string, input: Tensor, dim: number | null | undefined, options: KeepdimOptions | undefined, min: boolean): Tensor {
  const keepdim = keepdimOf(op, options)
  const x = exact(input) // float32 would tie 2³⁰ and 2³⁰ + 1
  if (dim == null) {
    // Over the flattened tensor; keepdim gives all-ones dims, as in PyTorch.
    const all = allAxis(op, x)
    return traced(extreme(op, x, keepdim ? { ...all, out: all.kept } : all, min).indices, op, [x], { dim: null, keepdim })
  }
  const axis = axisOf(op, x.shape, dim, keepdim)
  return traced(extreme(op, x, axis, min).indices, op, [x], { dim: axis.dim, keepdim })
}

/** Index (int32) of the largest element along `dim`, or of the flattened tensor. */
export const argmax = (x: Tensor, dim?: number | null, options?: KeepdimOptions): Tensor => argExtreme('argmax', x, dim, options, false)
export const argmin = (x: Tensor, dim?: number | null, options?: KeepdimOptions): Tensor => argExtreme('argmin', x, dim, options, true)
