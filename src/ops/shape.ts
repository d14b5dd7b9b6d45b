import { requireList } from '../argument-checks.js'
import { copyArray, replayedStep } from '../compile/hooks.js'
import { record, traced } from '../autograd/engine.js'
import { allocate, boolByte, checkDType, checkInt32Values, isFloat, type DType, type TypedArray } from '../dtype.js'
import { dimsBetween, formatShape, normalizeDim, numelOf, stridesOf } from '../shape.js'
import { Tensor } from '../tensor.js'
import { markSliceCopy, stridedTake } from './strided.js'

/** Ops that change a tensor's shape or dtype but not its values. */

/** Same elements, new shape (one dim may be -1: inferred). Shares the data. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  return reshapeAs('reshape', x, shape)
}

/** reshape, its errors naming `op` (view). */
export function reshapeAs(op: string, x: Tensor, shape: readonly number[]): Tensor {
  const target = inferShape(op, x, shape)
  return record(x.viewAs(target), 'ViewBackward0', [x], (g) => [g.viewAs(x.shape)])
}

function inferShape(op: string, x: Tensor, shape: readonly number[]): number[] {
  requireList(op, 'shape', shape, '[2, -1]')
  const n = x.numel()
  const bad = () =>
    new Error(`${op}: shape ${formatShape(shape)} is invalid for a tensor of ${n} elements (shape ${formatShape(x.shape)}); the sizes must multiply to ${n}`)
  const unknown = shape.indexOf(-1)
  if (shape.some((d, i) => !Number.isInteger(d) || d < -1 || (d === -1 && i !== unknown))) throw bad()
  if (unknown < 0) {
    if (numelOf(shape) !== n) throw bad()
    return [...shape]
  }
  const known = numelOf(shape.filter((_, i) => i !== unknown))
  if (known === 0 || n % known !== 0) throw bad()
  return shape.map((d) => (d === -1 ? n / known : d))
}

/** Reorder dims: out.shape[i] = x.shape[dims[i]]. Copies. */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  requireList('permute', 'dims', dims, '[1, 0]')
  const axes = dims.map((d) => normalizeDim('permute', d, x.ndim, x.shape))
  if (axes.length !== x.ndim || new Set(axes).size !== axes.length) {
    throw new Error(`permute: dims ${formatShape(dims)} must list each of the ${x.ndim} dims of shape ${formatShape(x.shape)} once`)
  }
  const y = gather(x, axes)
  const inverse = axes.map((_, i) => axes.indexOf(i))
  // A copy where PyTorch gives a view: in-place writes into it are refused (see ops/inplace.ts).
  return markSliceCopy(record(y, 'PermuteBackward0', [x], (g) => [gather(g, inverse)], { dims: axes }), 'permute')
}

/** Swap two dims. Copies. */
export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  return transposeAs('transpose', 'TransposeBackward0', x, dim0, dim1)
}

/** transpose, recorded as `name` (PyTorch's t() is TBackward0). */
export function transposeAs(op: string, name: string, x: Tensor, dim0: number, dim1: number): Tensor {
  const axes = x.shape.map((_, i) => i)
  const a = normalizeDim(op, dim0, x.ndim, x.shape)
  const b = normalizeDim(op, dim1, x.ndim, x.shape)
  // A 0-d tensor comes back as a view, recorded under the op's name as PyTorch does (t(): TBackward0).
  if (x.ndim === 0) return record(x.viewAs([]), name, [x], (g) => [g], { dims: axes })
  ;[axes[a], axes[b]] = [axes[b], axes[a]]
  return markSliceCopy(record(gather(x, axes), name, [x], (g) => [gather(g, axes)], { dims: axes }), op)
}

/** The permuted copy of x (any dtype), unrecorded. */
function gather(x: Tensor, axes: readonly number[]): Tensor {
  const strides = stridesOf(x.shape)
  return stridedTake(
    x,
    axes.map((d) => x.shape[d]),
    axes.map((d) => strides[d]),
    0,
  )
}

/** Insert a dim of size 1 at `dim` (in [-ndim-1, ndim]). */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = normalizeDim('unsqueeze', dim, x.ndim + 1, x.shape)
  const shape = [...dimsBetween(x.shape, 0, d), 1, ...dimsBetween(x.shape, d)]
  return record(x.viewAs(shape), 'UnsqueezeBackward0', [x], (g) => [g.viewAs(x.shape)], { dim: d })
}

/** Remove dims of size 1: all of them, or just `dim` (left alone if it is not 1, as in PyTorch). */
export function squeeze(x: Tensor, dim?: number | readonly number[]): Tensor {
  if (typeof dim === 'object') {
    requireList('squeeze', 'a dim list', dim, '[0, 2]')
    return squeezeDims(x, dim)
  }
  const d = dim === undefined ? null : normalizeDim('squeeze', dim, x.ndim, x.shape)
  const shape = x.shape.filter((s, i) => s !== 1 || (d !== null && i !== d))
  return record(x.viewAs(shape), d === null ? 'SqueezeBackward0' : 'SqueezeBackward1', [x], (g) => [g.viewAs(x.shape)], { dim: d })
}

/** squeeze over a list of dims, as PyTorch 2's squeeze(dim=(0, 2)): each listed dim of size 1 goes. */
function squeezeDims(x: Tensor, dims: readonly number[]): Tensor {
  const ds = dims.map((d) => normalizeDim('squeeze', d, x.ndim, x.shape))
  const shape = x.shape.filter((s, i) => s !== 1 || !ds.includes(i))
  return record(x.viewAs(shape), 'SqueezeBackward2', [x], (g) => [g.viewAs(x.shape)], { dim: ds })
}

/** A copy in another dtype; the gradient is cast back. */
export function cast(x: Tensor, dtype: DType): Tensor {
  checkDType(dtype, 'to')
  const out = allocate(dtype, x.numel())
  // Into int32 (range-checked, truncated) and bool (truth) as replayed steps: under compile() every call converts its own values.
  if ((dtype === 'int32' || dtype === 'bool') && x.dtype !== dtype) replayedStep('castInteger', castInteger, [x.data, out as Int32Array | Uint8Array])
  else copyArray(out, x.data)
  const y = new Tensor(out, x.shape)
  if (!isFloat(dtype)) return traced(y, 'ToCopyBackward0', [x], { dtype }) // integer and bool tensors carry no gradient; a tracer still sees the cast
  return record(y, 'ToCopyBackward0', [x], (g) => [g.to(x.dtype)], { dtype })
}

function castInteger(src: TypedArray, out: Int32Array | Uint8Array): void {
  if (out instanceof Uint8Array) {
    for (let i = 0; i < src.length; i++) out[i] = boolByte(src[i])
    return
  }
  checkInt32Values('to', src)
  out.set(src)
}

/** A copy of the data; the gradient passes through unchanged. */
export function clone(x: Tensor): Tensor {
  const out = allocate(x.dtype, x.numel())
  copyArray(out, x.data)
  return record(new Tensor(out, x.shape), 'CloneBackward0', [x], (g) => [g])
}
