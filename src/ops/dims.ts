import { checkOptionKeys } from '../nn/options.js'
import { normalizeDim, SCALAR, splitAt, withoutDim, type Shape } from '../shape.js'

/** The dim arguments of reductions: one dim, several, or all; keepdim; the shapes they give. */

export interface KeepdimOptions {
  keepdim?: boolean
}

/** `{ keepdim }` checked for unknown keys (more keys where an op knows them). */
export function keepdimOf(op: string, options: KeepdimOptions | undefined, known: readonly string[] = ['keepdim']): boolean {
  checkOptionKeys(op, options, known)
  return options?.keepdim ?? false
}

/** One reduced dim: [outer, n, inner] around it, and the output shapes with and without it kept. */
export interface Axis {
  dim: number
  outer: number
  n: number
  inner: number
  /** The input's shape with the reduced dim as 1 (the keepdim shape). */
  kept: number[]
  out: Shape
}

export function axisOf(op: string, shape: Shape, dim: number, keepdim: boolean): Axis {
  const d = normalizeDim(op, dim, shape.length, shape)
  const [outer, n, inner] = splitAt(shape, d)
  const kept = shape.map((s, i) => (i === d ? 1 : s))
  return { dim: d, outer, n, inner, kept, out: keepdim ? kept : shape.length === 0 ? SCALAR : withoutDim(shape, d) }
}

/** Several dims, normalized, sorted and checked for repeats. */
export function dimsOf(op: string, shape: Shape, dims: readonly number[]): number[] {
  const ds = dims.map((d) => normalizeDim(op, d, shape.length, shape))
  if (new Set(ds).size !== ds.length) throw new Error(`${op}: dim list [${dims.join(', ')}] names a dim more than once`)
  return ds.sort((a, b) => a - b)
}
