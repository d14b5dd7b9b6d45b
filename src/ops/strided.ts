import { backend } from '../backend/index.js'
import { tsBackend } from '../backend/ts/index.js'
import { replayedStep } from '../compile/hooks.js'
import { allocate, isFloat, type FloatArray, type TypedArray } from '../dtype.js'
import { formatShape, numelOf, type Shape } from '../shape.js'
import { Tensor } from '../tensor.js'

/** Data movement and index arguments shared by the slicing, joining and indexing ops. */

/**
 * out[idx] = x[offset + Σ idx[d]·strides[d]] over `shape`, as a new tensor of x's dtype (unrecorded).
 * Floats run the backend's kernel; int32 and bool the ts one (the same loop over other arrays).
 */
export function stridedTake(x: Tensor, shape: Shape, strides: readonly number[], offset: number): Tensor {
  const out = allocate(x.dtype, numelOf(shape))
  if (out.length > 0) {
    // The ts kernel on int32 and bool as a replayedStep: a compiled step takes each call's elements.
    if (isFloat(x.dtype)) backend().stridedCopy(x.data as FloatArray, out as FloatArray, shape, strides, offset)
    else replayedStep('stridedTake', tsBackend.stridedCopy, [x.data as FloatArray, out as FloatArray, shape, strides, offset])
  }
  return new Tensor(out, shape)
}

/** Element `i` of dim `d` as an offset and the strides of the other dims: a view's geometry on a contiguous tensor. */
export interface Window {
  shape: number[]
  strides: number[]
  offset: number
}

/**
 * An integer index argument as an int32 tensor: an int32 tensor as is, a plain (nested)
 * array of integers, or a bool tensor where `allowBool`. A float tensor is refused: indices must be exact.
 */
export function indexTensor(op: string, index: unknown, what = 'index'): Tensor {
  if (index instanceof Tensor) {
    if (index.dtype === 'int32') return index
    throw new TypeError(
      `${op}: ${what} must be an int32 tensor (or an array of integers), got a ${index.dtype} tensor of shape ${formatShape(index.shape)}; convert it with .int() if its values are whole numbers`,
    )
  }
  if (Array.isArray(index)) {
    const shape: number[] = []
    for (let a: unknown = index; Array.isArray(a); a = a[0]) shape.push(a.length)
    const flat = (index as unknown[]).flat(Infinity) as unknown[]
    const bad = flat.find((v) => !Number.isInteger(v))
    if (bad instanceof Tensor) {
      throw new TypeError(`${op}: ${what} must be integers, got an array holding a ${bad.dtype} tensor of shape ${formatShape(bad.shape)}; pass the tensor itself, not inside an array`)
    }
    if (bad !== undefined || flat.length !== numelOf(shape)) {
      throw new TypeError(`${op}: ${what} must be integers in a rectangular array, got ${JSON.stringify(bad ?? index)}`)
    }
    return new Tensor(Int32Array.from(flat as number[]), shape)
  }
  throw new TypeError(`${op}: ${what} must be an int32 tensor or an array of integers, got ${index === null ? 'null' : typeof index}`)
}

/**
 * The elements of tensors made by slicing ops, which copy: in-place writes into them would not
 * reach their base. Keyed by the data array, so reshapes and detach() of a slice are covered too.
 */
const sliceCopies = new WeakMap<object, string>()

/** Marks `t` as a copy made by `op` (narrow, select, ...) and returns it. */
export function markSliceCopy<T extends Tensor>(t: T, op: string): T {
  sliceCopies.set(t.data, op)
  return t
}

/** The slicing op that made `t`'s elements as a copy, if any (in-place ops refuse to write into them). */
export function sliceCopyOf(t: Tensor): string | undefined {
  return sliceCopies.get(t.data)
}

/** out[offset + Σ idx[d]·strides[d]] += g[idx] into zeros of `shape`: the gradient of a strided take. */
export function stridedPut(g: Tensor, shape: Shape, strides: readonly number[], offset: number): Tensor {
  const out = new Tensor(allocate(g.dtype, numelOf(shape)), shape)
  // A replayedStep: a compiled step redoes it on each call's gradient (as a kernel would).
  replayedStep('stridedPut', putStrided, [g.data, out.data, g.shape, strides, offset])
  return out
}

function putStrided(src: TypedArray, o: TypedArray, shape: Shape, strides: readonly number[], offset: number): void {
  o.fill(0) // (a replay writes the same array again)
  const rank = shape.length
  const index = new Array<number>(rank).fill(0)
  let at = offset
  for (let i = 0; i < src.length; i++) {
    o[at] += src[i]
    for (let d = rank - 1; d >= 0; d--) {
      index[d]++
      at += strides[d]
      if (index[d] < shape[d]) break
      at -= strides[d] * shape[d]
      index[d] = 0
    }
  }
}
