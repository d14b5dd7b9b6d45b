import type { Shape } from './shape.js'

/**
 * Frozen shapes shared by value: a tensor's shape is frozen, and freezing a new array costs
 * ~80 ns, more than the rest of a small op. Ops build the same few shapes step after step
 * ([batch, out_features] in every Linear), so each is frozen once and then found here: a trie
 * keyed by the dims, one Map lookup per dim. Bounded: past MAX_SHAPES distinct shapes (a
 * program of ever-changing sizes), new shapes are frozen copies as before.
 */
interface Entry {
  shape: Shape | null
  next: Map<number, Entry> | null
}

const MAX_SHAPES = 4096
const root: Entry = { shape: null, next: null }
let count = 0

/** A frozen shape with the dims of `shape` (which is not modified): a shared one when known. */
export function frozenShape(shape: Shape): Shape {
  let e = root
  for (let i = 0; i < shape.length; i++) {
    let next = e.next?.get(shape[i])
    if (next === undefined) {
      if (count >= MAX_SHAPES) return Object.freeze(shape.slice())
      next = { shape: null, next: null }
      ;(e.next ??= new Map()).set(shape[i], next)
      count++
    }
    e = next
  }
  return (e.shape ??= Object.freeze(shape.slice()))
}
