import { requireList } from '../argument-checks.js'
import { backend } from '../backend/index.js'
import { newArray } from '../compile/hooks.js'
import { broadcastShapes, broadcastStrides, dimsBetween, formatShape, numelOf, stridesOf } from '../shape.js'
import { Tensor } from '../tensor.js'
import { reshape, permute, unsqueeze } from './shape.js'
import { select, selectRows, slice } from './slice.js'
import { checkedIndices } from './index-check.js'
import { indexTensor } from './strided.js'

/**
 * `t.index(...)`: PyTorch's `t[...]`. A number selects (the dim goes), null takes a whole dim
 * (`:`), 'a:b:c' slices, '...' stands for the dims not named, and int32 tensors (or integer
 * arrays) and bool masks index as PyTorch's advanced indexing: the index tensors broadcast
 * together and their shape replaces the indexed dims, in place when they are adjacent, else
 * in front. Built from select, slice, permute and indexSelect, so gradients flow back.
 */
export type IndexItem = number | null | string | Tensor | readonly number[] | readonly (readonly number[])[]

export function index(x: Tensor, items: readonly IndexItem[]): Tensor {
  requireList('index', 'the index items', items, "[0, ':', null]")
  const expanded = expandEllipsis(x, items)
  let y = x
  let d = 0
  const advanced: { dim: number; index: Tensor }[] = []
  for (const item of expanded) {
    if (typeof item === 'number') {
      if (!Number.isInteger(item)) throw new TypeError(`index: a number index must be an integer, got ${item} (tensor of shape ${formatShape(x.shape)})`)
      y = select(y, d, item)
    } else if (item === null) {
      d++
    } else if (typeof item === 'string') {
      const [start, end, step] = parseSlice(item)
      y = slice(y, d, start, end, step ?? 1)
      d++
    } else if (item instanceof Tensor && item.dtype === 'bool') {
      // A 0-d mask adds a dim of size 1 and masks it, as PyTorch's x[True] ([1, ...]) and x[False] ([0, ...]).
      const mask = item.ndim === 0 ? reshape(item, [1]) : item
      if (item.ndim === 0) y = unsqueeze(y, d)
      const covered = dimsBetween(y.shape, d, d + mask.ndim)
      if (covered.length !== mask.ndim || covered.some((s, i) => s !== mask.shape[i])) {
        throw new Error(`index: bool mask of shape ${formatShape(mask.shape)} does not match dims ${d}..${d + mask.ndim - 1} of shape ${formatShape(y.shape)}`)
      }
      nonzero(mask).forEach((coords, i) => advanced.push({ dim: d + i, index: coords }))
      d += mask.ndim
    } else {
      const t = indexTensor('index', item, 'an index tensor')
      if (d >= y.ndim) throw new RangeError(`index: too many indices for a tensor of shape ${formatShape(x.shape)}`)
      const at = checkedIndices('index', t, y.shape[d], d, y.shape, true)
      advanced.push({ dim: d, index: new Tensor(at, t.shape) })
      d++
    }
  }
  return advanced.length === 0 ? y : advancedIndex(y, advanced)
}

/** How many dims each item consumes; '...' becomes enough nulls to cover the rest. */
function expandEllipsis(x: Tensor, items: readonly IndexItem[]): IndexItem[] {
  const used = items.reduce<number>((n, it) => n + (it === '...' ? 0 : it instanceof Tensor && it.dtype === 'bool' ? it.ndim : 1), 0)
  const ellipses = items.filter((it) => it === '...').length
  if (ellipses > 1) throw new Error("index: only one '...' is allowed")
  if (used > x.ndim) throw new RangeError(`index: ${used} indices for a tensor of shape ${formatShape(x.shape)} with ${x.ndim} dims`)
  return items.flatMap((it) => (it === '...' ? new Array<IndexItem>(x.ndim - used).fill(null) : [it]))
}

/** 'a:b:c' (each part optional; ':' alone is everything) → [start, end, step]. */
function parseSlice(text: string): [number | null, number | null, number | null] {
  const parts = text.split(':')
  const num = (p: string | undefined): number | null => {
    if (p === undefined || p.trim() === '') return null
    const v = Number(p)
    if (!Number.isInteger(v)) throw new TypeError(`index: cannot read slice ${JSON.stringify(text)}; write 'start:end:step' with integers, e.g. '1:5' or '::2'`)
    return v
  }
  if (parts.length < 2 || parts.length > 3) throw new TypeError(`index: cannot read slice ${JSON.stringify(text)}; write 'start:end:step' with integers, e.g. '1:5' or '::2'`)
  const step = num(parts[2])
  if (step !== null && step < 1) throw new RangeError(`index: slice ${JSON.stringify(text)} has step ${step}; a step must be a positive integer (negative steps are not supported, as in PyTorch)`)
  return [num(parts[0]), num(parts[1]), step]
}

/** The coordinates of a mask's true elements, one int32 tensor per dim (row-major order). */
function nonzero(mask: Tensor): Tensor[] {
  const m = mask.data
  const strides = stridesOf(mask.shape)
  const hits: number[] = []
  for (let i = 0; i < m.length; i++) if (m[i]) hits.push(i)
  return mask.shape.map((size, d) => new Tensor(Int32Array.from(hits, (h) => Math.floor(h / strides[d]) % size), [hits.length]))
}

function advancedIndex(y: Tensor, advanced: { dim: number; index: Tensor }[]): Tensor {
  const dims = advanced.map((a) => a.dim)
  const B = advanced.reduce<readonly number[]>((s, a) => broadcastShapes('index', s, a.index.shape), [])
  // One flat index into the advanced dims (taken to the front, in order).
  const sizes = dims.map((d) => y.shape[d])
  const sizeStrides = stridesOf(sizes)
  // One index tensor is its own flat index; several add up in a kernel (flatIndex), which a compiled step replays.
  const flat = advanced.length === 1 ? (advanced[0].index.data as Int32Array) : newArray(new Int32Array(numelOf(B)))
  if (advanced.length > 1) {
    advanced.forEach((a, j) => backend().flatIndex(a.index.data as Int32Array, flat, B, broadcastStrides(a.index.shape, B), sizeStrides[j], j > 0))
  }
  const rest = y.shape.map((_, i) => i).filter((i) => !dims.includes(i))
  const front = permute(y, [...dims, ...rest])
  const picked = selectRows(reshape(front, [numelOf(sizes), ...rest.map((i) => y.shape[i])]), 0, flat, new Tensor(flat, [flat.length]))
  const out = reshape(picked, [...B, ...rest.map((i) => y.shape[i])])
  const adjacent = dims.every((d, j) => j === 0 || d === dims[j - 1] + 1)
  const p = dims[0]
  if (!adjacent || p === 0) return out
  // Adjacent advanced dims keep their place: move the rest dims that came before them to the front.
  const before = rest.filter((i) => i < p).length
  const nB = B.length
  const range = (n: number, from: number): number[] => Array.from({ length: n }, (_, i) => from + i)
  return permute(out, [...range(before, nB), ...range(nB, 0), ...range(rest.length - before, nB + before)])
}
