/** Shape arithmetic shared by ops: sizes, strides, broadcasting, dims. */

import { frozenShape } from './shape-intern.js'

export type Shape = readonly number[]

/** The shape of a 0-d tensor, frozen once and shared (a tensor's shape is always frozen). */
export const SCALAR: Shape = frozenShape([])

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`
}

export function numelOf(shape: Shape): number {
  let n = 1
  for (let i = 0; i < shape.length; i++) n *= shape[i]
  return n
}

/**
 * All dims of `shape` but the last `count`, as a new array. Loops here, not `shape.slice`:
 * slicing a frozen array (every tensor's shape is one) takes V8's slow path, ~150 ns.
 */
export function leadingDims(shape: Shape, count: number): number[] {
  return dimsBetween(shape, 0, shape.length - count)
}

/** `shape.slice(start, end)` for indices ≥ 0 (a loop: see leadingDims). */
export function dimsBetween(shape: Shape, start: number, end = shape.length): number[] {
  const out: number[] = []
  for (let i = start; i < Math.min(end, shape.length); i++) out.push(shape[i])
  return out
}

/** `shape` without dim `d` (a loop: filter on a frozen array is slow too, see leadingDims). */
export function withoutDim(shape: Shape, d: number): number[] {
  const out: number[] = []
  for (let i = 0; i < shape.length; i++) if (i !== d) out.push(shape[i])
  return out
}

/** The product of the dims `shape[start]` to `shape[end - 1]` (numelOf of that slice, without slicing). */
export function numelBetween(shape: Shape, start: number, end: number): number {
  let n = 1
  for (let i = Math.max(start, 0); i < Math.min(end, shape.length); i++) n *= shape[i]
  return n
}

/** Row-major element strides. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length)
  let s = 1
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s
    s *= shape[d]
  }
  return strides
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a === b) return true
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** NumPy/PyTorch broadcasting: align right; each pair of dims equal or one of them 1. */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length)
  const out = new Array<number>(rank)
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1
    const db = b[b.length - rank + i] ?? 1
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(
        `${op}: shapes ${formatShape(a)} and ${formatShape(b)} cannot broadcast: ` +
          `dim ${i - rank} is ${da} vs ${db}; sizes must match or one of them be 1 (reshape or unsqueeze one operand)`,
      )
    }
    out[i] = da === 1 ? db : da
  }
  return out
}

/** Strides that read a tensor of `shape` as if it had the (broadcast) `target` shape: 0 on stretched dims. */
export function broadcastStrides(shape: Shape, target: Shape): number[] {
  const own = stridesOf(shape)
  const offset = target.length - shape.length
  return target.map((_, i) => (i < offset || shape[i - offset] === 1 ? 0 : own[i - offset]))
}

/**
 * A dim in [-ndim, ndim) made non-negative, or a clear error naming `shape` (the tensor's shape;
 * unsqueeze passes ndim = shape.length + 1, the dims of its result).
 */
export function normalizeDim(op: string, dim: number, ndim: number, shape?: Shape): number {
  const lo = -Math.max(ndim, 1)
  const hi = Math.max(ndim, 1) - 1
  if (!Number.isInteger(dim) || dim < lo || dim > hi) {
    const of = shape ? `a tensor of shape ${formatShape(shape)}` : `a tensor with ${ndim} dims`
    if (typeof dim !== 'number') {
      const got = dim === undefined || dim === null ? String(dim) : `${typeof dim} ${JSON.stringify(dim)}`
      throw new TypeError(`${op}: dim must be an integer, got ${got} (${of}; expected ${lo} to ${hi})`)
    }
    throw new RangeError(`${op}: dim ${dim} is out of range for ${of} (expected ${lo} to ${hi})`)
  }
  return dim < 0 ? dim + Math.max(ndim, 1) : dim
}

/** normalizeDim for ops that need the dim to have a size (narrow, slice, split, size(dim)): PyTorch refuses a 0-d tensor there. */
export function sizedDim(op: string, dim: number, shape: Shape): number {
  if (shape.length === 0) throw new RangeError(`${op}: cannot be applied to a 0-d tensor (shape []): it has no dim ${dim}; make it 1-D first with reshape(1)`)
  return normalizeDim(op, dim, shape.length, shape)
}

/** View a shape as [outer, shape[dim], inner] around one dim. */
export function splitAt(shape: Shape, dim: number): [outer: number, n: number, inner: number] {
  return [numelBetween(shape, 0, dim), shape[dim] ?? 1, numelBetween(shape, dim + 1, shape.length)]
}
