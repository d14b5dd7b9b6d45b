import { record } from '../autograd/engine.js'
import { copyArray } from '../compile/hooks.js'
import { formatShape, normalizeDim, sizedDim, splitAt } from '../shape.js'
import { requireList } from '../argument-checks.js'
import { allocate } from '../dtype.js'
import { promoteTypes } from '../promote.js'
import { Tensor } from '../tensor.js'
import { narrow } from './slice.js'

/** cat, stack, split, chunk. */

function checkList(op: string, tensors: unknown): void {
  if (!Array.isArray(tensors) || tensors.length === 0) {
    const got = tensors instanceof Tensor ? `one tensor of shape ${formatShape(tensors.shape)}` : Array.isArray(tensors) ? 'an empty array' : tensors === null ? 'null' : typeof tensors
    throw new TypeError(`${op}: expected a non-empty array of tensors, as ${op}([a, b], dim), got ${got}`)
  }
}

/** Joins tensors along an existing dim; every other dim must match. The gradient is split back. */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  checkList('cat', tensors)
  tensors.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new TypeError(`cat: tensors[${i}] is not a Tensor (got ${t === null ? 'null' : typeof t})`)
  })
  // PyTorch skips legacy empty 1-D tensors ([0]) when joining.
  const kept = tensors.filter((t) => !(t.ndim === 1 && t.shape[0] === 0))
  const first = kept[0] ?? tensors[0]
  if (first.ndim === 0) throw new Error('cat: zero-dimensional tensors cannot be concatenated; unsqueeze them or use stack')
  const d = normalizeDim('cat', dim, first.ndim, first.shape)
  kept.forEach((t) => {
    const bad = t.ndim !== first.ndim || t.shape.some((s, j) => j !== d && s !== first.shape[j])
    if (bad) {
      const i = tensors.indexOf(t)
      throw new Error(
        `cat: tensors[${i}] has shape ${formatShape(t.shape)} but tensors[0] has ${formatShape(first.shape)}; sizes must match in every dim except dim ${d}`,
      )
    }
  })
  // Mixed dtypes join in the promoted one, as PyTorch (float32 with float64 → float64).
  const dtype = tensors.reduce((to, t) => promoteTypes(to, t.dtype), first.dtype)
  const parts = kept.map((t) => (t.dtype === dtype ? t : t.to(dtype)))
  const sizes = parts.map((t) => t.shape[d])
  const shape = first.shape.map((s, j) => (j === d ? sizes.reduce((a, b) => a + b, 0) : s))
  const [outer, , inner] = splitAt(shape, d)
  const total = shape[d] * inner
  const out = new Tensor(allocate(dtype, outer * total), shape)
  const o = out.data
  let at = 0
  for (const t of parts) {
    const block = t.shape[d] * inner
    const src = t.data
    // (copyArray: a compiled step replays each block's copy on the call's values)
    for (let a = 0; a < outer; a++) copyArray(o.subarray(a * total + at, a * total + at + block), src.subarray(a * block, (a + 1) * block))
    at += block
  }
  return record(out, 'CatBackward0', parts, (g) => {
    let start = 0
    return sizes.map((n) => {
      const gi = narrow(g, d, start, n)
      start += n
      return gi
    })
  }, { dim: d })
}

/** Joins same-shape tensors along a new dim. */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  checkList('stack', tensors)
  const first = tensors[0]
  tensors.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new TypeError(`stack: tensors[${i}] is not a Tensor (got ${t === null ? 'null' : typeof t})`)
    if (t.ndim !== first.ndim || t.shape.some((s, j) => s !== first.shape[j])) {
      throw new Error(`stack: tensors[${i}] has shape ${formatShape(t.shape)} but tensors[0] has ${formatShape(first.shape)}; stack needs equal shapes`)
    }
  })
  const d = normalizeDim('stack', dim, first.ndim + 1, first.shape)
  return cat(
    tensors.map((t) => t.unsqueeze(d)),
    d,
  )
}

/** Pieces of `splitSize` along `dim` (the last may be smaller), or pieces of the given sizes. Views of the gradient flow back. */
export function split(x: Tensor, splitSize: number | readonly number[], dim = 0): Tensor[] {
  const d = sizedDim('split', dim, x.shape)
  const size = x.shape[d]
  let sizes: number[]
  if (typeof splitSize === 'number') {
    if (!Number.isInteger(splitSize) || splitSize < 0 || (splitSize === 0 && size > 0)) {
      throw new RangeError(`split: splitSize must be a positive integer, got ${splitSize}`)
    }
    sizes = []
    for (let at = 0; at < size || sizes.length === 0; at += splitSize) sizes.push(Math.min(splitSize, size - at))
  } else {
    requireList('split', 'splitSize', splitSize, '2 or [1, 3]')
    sizes = [...splitSize]
    const total = sizes.reduce((a, b) => a + b, 0)
    if (sizes.some((s) => !Number.isInteger(s) || s < 0) || total !== size) {
      throw new Error(`split: sizes [${sizes.join(', ')}] must be non-negative integers summing to ${size}, the size of dim ${d} of shape ${formatShape(x.shape)}`)
    }
  }
  let start = 0
  return sizes.map((n) => {
    const piece = narrow(x, d, start, n)
    start += n
    return piece
  })
}

/** `chunks` pieces (or fewer) of ⌈size / chunks⌉ along `dim`, as torch.chunk. */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  if (!Number.isInteger(chunks) || chunks < 1) throw new RangeError(`chunk: chunks must be a positive integer, got ${chunks}`)
  const d = sizedDim('chunk', dim, x.shape)
  return split(x, Math.ceil(x.shape[d] / chunks), d)
}
