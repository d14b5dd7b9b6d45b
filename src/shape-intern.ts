import type { Shape } from './shape.js'

/**
 * Tensor shapes: frozen, and shared by value. Freezing a new array costs ~80 ns and
 * `Object.isFrozen` ~15, more than the rest of a small op. Ops build the same few shapes step
 * after step ([batch, out_features] in every Linear), so each is frozen once and then found here:
 * a trie keyed by the dims, one Map lookup per dim. Bounded: past MAX_SHAPES distinct shapes (a
 * program of ever-changing sizes), new shapes are frozen copies as before.
 */
interface Entry {
  shape: Shape | null
  next: Map<number, Entry> | null
}

/** Marks the shapes made here (frozen, never changed): the Tensor constructor takes them as they are. */
const TENSOR_SHAPE = Symbol('yann.shape')

const MAX_SHAPES = 4096
const root: Entry = { shape: null, next: null }
let count = 0

/** True for a shape that frozenShape made: a tensor's shape, already frozen. */
export function isTensorShape(shape: Shape): boolean {
  return (shape as { [TENSOR_SHAPE]?: true })[TENSOR_SHAPE] === true
}

/** A frozen shape with the dims of `shape` (which is not modified): a shared one when known. */
export function frozenShape(shape: Shape): Shape {
  let e = root
  for (let i = 0; i < shape.length; i++) {
    let next = e.next?.get(shape[i])
    if (next === undefined) {
      if (count >= MAX_SHAPES) return frozenCopy(shape)
      next = { shape: null, next: null }
      ;(e.next ??= new Map()).set(shape[i], next)
      count++
    }
    e = next
  }
  return (e.shape ??= frozenCopy(shape))
}

/**
 * The tensor shape `shape` with its last dim replaced by `size` (linear's output): found in the
 * trie without building the array when it is known, as it is from the second step on.
 */
export function frozenWithLastDim(shape: Shape, size: number): Shape {
  let e: Entry | undefined = root
  for (let i = 0; i < shape.length - 1 && e !== undefined; i++) e = e.next?.get(shape[i])
  const known = e?.next?.get(size)?.shape
  if (known) return known
  const dims: number[] = []
  for (let i = 0; i < shape.length - 1; i++) dims.push(shape[i])
  dims.push(size)
  return frozenShape(dims)
}

function frozenCopy(shape: Shape): Shape {
  const copy = shape.slice()
  Object.defineProperty(copy, TENSOR_SHAPE, { value: true }) // not enumerable: the shape still equals a plain array
  return Object.freeze(copy)
}
