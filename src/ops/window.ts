import type { ConvGeometry } from '../backend/types.js'
import { formatShape } from '../shape.js'
import { Tensor } from '../tensor.js'

/** Shared by convolution and pooling: sizes given as a number or per spatial dim, and output sizes. */

/** `v` as `dims` sizes: a number repeats, an array must have `dims` entries; each a non-negative integer (≥ `min`). */
export function perDim(op: string, name: string, v: number | readonly number[], dims: number, min: number): number[] {
  const list = typeof v === 'number' ? Array<number>(dims).fill(v) : Array.isArray(v) ? [...v] : null
  if (!list || list.length !== dims || list.some((d) => !Number.isInteger(d) || d < min)) {
    throw new RangeError(`${op}: ${name} must be an integer ≥ ${min} or a list of ${dims} of them, got ${JSON.stringify(v)}`)
  }
  return list
}

/** out = ⌊(in + 2p − d·(k − 1) − 1) / s⌋ + 1, or with ceil mode ⌈…⌉ when that window still starts inside the input or left padding (PyTorch's rule). */
export function outputSize(size: number, k: number, s: number, p: number, d: number, ceil = false): number {
  const span = size + 2 * p - d * (k - 1) - 1
  let out = Math.floor((span + (ceil ? s - 1 : 0)) / s) + 1
  if (ceil && (out - 1) * s >= size + p) out--
  return out
}

/** The 2-d geometry of a sweep over `x`'s last two dims. */
export function geometry(h: number, w: number, k: number[], s: number[], p: number[], d: number[], oh: number, ow: number): ConvGeometry {
  return { h, w, kh: k[0], kw: k[1], sh: s[0], sw: s[1], ph: p[0], pw: p[1], dh: d[0], dw: d[1], oh, ow }
}

/** A tensor with the expected number of dims, or an error naming the op, the shape and the layout. */
export function requireRank(op: string, what: string, x: Tensor, ranks: readonly number[], layout: string): void {
  if (!(x instanceof Tensor)) throw new TypeError(`${op}: expected ${what} tensor of ${ranks.join(' or ')} dims (${layout}), got ${x === null ? 'null' : typeof x}`)
  if (!ranks.includes(x.ndim)) {
    throw new Error(`${op}: expected ${what} of ${ranks.join(' or ')} dims (${layout}), got shape ${formatShape(x.shape)}`)
  }
}
