import { dimsBetween, formatShape } from '../shape.js'
import { Tensor } from '../tensor.js'
import type { TypedArray } from '../dtype.js'

/**
 * Samples into one batch, like PyTorch's default_collate: tensors of one shape and dtype are
 * stacked along a new first dim; numbers become a 1-D tensor (int32 when all are integers, else
 * float64, PyTorch's float dtype for Python floats); arrays (a sample [x, y]) and plain objects
 * are collated field by field. (The stacking is written here: a general `stack` op belongs to
 * the tensor ops.)
 */
export function collate(samples: readonly unknown[]): unknown {
  const first = samples[0]
  if (first instanceof Tensor) return stackRows(samples as Tensor[])
  if (typeof first === 'number') {
    const numbers = samples as number[]
    if (numbers.some((v) => typeof v !== 'number')) throw new TypeError('DataLoader: a batch mixes numbers with other kinds of samples')
    return numbers.every(Number.isInteger) && numbers.every((v) => Math.abs(v) < 2 ** 31)
      ? new Tensor(Int32Array.from(numbers), [numbers.length])
      : new Tensor(Float64Array.from(numbers), [numbers.length])
  }
  if (Array.isArray(first)) {
    return first.map((_, k) => collate(samples.map((s, i) => {
      if (!Array.isArray(s) || s.length !== first.length) throw new TypeError(`DataLoader: sample ${i} of the batch is not an array of ${first.length} items like sample 0`)
      return s[k]
    })))
  }
  if (first !== null && typeof first === 'object') {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(first)) out[key] = collate(samples.map((s) => (s as Record<string, unknown>)[key]))
    return out
  }
  throw new TypeError(`DataLoader: cannot batch samples of type ${first === null ? 'null' : typeof first}; give tensors, numbers, or arrays/objects of them`)
}

/** Tensors of one shape and dtype stacked along a new first dim: [B, ...shape]. */
function stackRows(rows: Tensor[]): Tensor {
  const { shape, dtype } = rows[0]
  const n = rows[0].numel()
  const first = rows[0].data
  const out = new (first.constructor as new (length: number) => TypedArray)(rows.length * n)
  rows.forEach((r, i) => {
    if (!(r instanceof Tensor) || r.dtype !== dtype || r.shape.length !== shape.length || r.shape.some((s, d) => s !== shape[d])) {
      const got = r instanceof Tensor ? `${r.dtype} ${formatShape(r.shape)}` : typeof r
      throw new Error(`DataLoader: sample ${i} of the batch is ${got}, sample 0 is ${dtype} ${formatShape(shape)}; samples must share shape and dtype to be stacked`)
    }
    out.set(r.data, i * n)
  })
  return new Tensor(out, [rows.length, ...shape])
}

/** Rows `indices` of a tensor gathered into one: [indices.length, ...rest]. The TensorDataset fast path. */
export function gatherRows(t: Tensor, indices: readonly number[]): Tensor {
  const rowShape = dimsBetween(t.shape, 1)
  const n = rowShape.reduce((a, b) => a * b, 1)
  const src = t.data
  const out = new (src.constructor as new (length: number) => TypedArray)(indices.length * n)
  indices.forEach((i, k) => out.set(src.subarray(i * n, (i + 1) * n), k * n))
  return new Tensor(out, [indices.length, ...rowShape])
}
