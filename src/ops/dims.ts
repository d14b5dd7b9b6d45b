import { checkOptionKeys } from '../nn/options.js'
import { formatShape, normalizeDim, numelOf, SCALAR, splitAt, withoutDim, type Shape } from '../shape.js'
import type { Tensor } from '../tensor.js'

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
  if (!Array.isArray(dims)) throw new TypeError(`${op}: dim must be an integer or a list of integers, got ${typeof dims} ${JSON.stringify(dims)} (tensor of shape ${formatShape(shape)})`)
  const ds = dims.map((d) => normalizeDim(op, d, shape.length, shape))
  if (new Set(ds).size !== ds.length) throw new Error(`${op}: dim list [${dims.join(', ')}] names a dim more than once`)
  return ds.sort((a, b) => a - b)
}

/**
 * A reduction over several dims, from one that reduces the last dim (`reduceLast`): the dims
 * move to the end and merge into one. An empty list means every dim, as in PyTorch.
 */
export function overDims(op: string, x: Tensor, dims: readonly number[], keepdim: boolean, reduceLast: (merged: Tensor) => Tensor): Tensor {
  const ds = dims.length === 0 ? x.shape.map((_, i) => i) : dimsOf(op, x.shape, dims)
  const rest = x.shape.map((_, i) => i).filter((i) => !ds.includes(i))
  const merged = x.permute([...rest, ...ds]).reshape([...rest.map((i) => x.shape[i]), numelOf(ds.map((d) => x.shape[d]))])
  const y = reduceLast(merged)
  return keepdim ? y.reshape(x.shape.map((s, i) => (ds.includes(i) ? 1 : s))) : y
}
