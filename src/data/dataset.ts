import { dimsBetween, formatShape } from '../shape.js'
import { Tensor } from '../tensor.js'

/** What a DataLoader reads: a length and the sample at an index (PyTorch's map-style Dataset). */
export interface Dataset<T = unknown> {
  readonly length: number
  getItem(index: number): T
}

/** Row `i` of a tensor (its first dim dropped), copied. */
export function row(t: Tensor, i: number): Tensor {
  const rowShape = dimsBetween(t.shape, 1)
  const n = rowShape.reduce((a, b) => a * b, 1)
  const data = t.data
  return new Tensor(data.slice(i * n, (i + 1) * n), rowShape)
}

/**
 * Tensors indexed together along their first dim, like torch.utils.data.TensorDataset:
 * sample i is [t0[i], t1[i], ...]. Every tensor must have the same first dim.
 *
 * @example
 * const ds = new data.TensorDataset(x, y)   // x [N, 3], y [N]
 * ds.getItem(0)                              // [x[0] (shape [3]), y[0] (shape [])]
 */
export class TensorDataset implements Dataset<Tensor[]> {
  readonly tensors: readonly Tensor[]

  constructor(...tensors: Tensor[]) {
    if (tensors.length === 0) throw new Error('TensorDataset: give at least one tensor, e.g. new TensorDataset(x, y)')
    tensors.forEach((t, k) => {
      if (!(t instanceof Tensor)) throw new TypeError(`TensorDataset: argument ${k} is ${t === null ? 'null' : typeof t}, not a Tensor`)
      if (t.ndim === 0) throw new Error(`TensorDataset: tensor ${k} is 0-d; every tensor needs a first dim to index samples along`)
      if (t.shape[0] !== tensors[0].shape[0]) {
        throw new Error(`TensorDataset: size mismatch between tensors: tensor 0 has shape ${formatShape(tensors[0].shape)}, tensor ${k} has ${formatShape(t.shape)}; the first dims must be equal`)
      }
    })
    this.tensors = tensors
  }

  get length(): number {
    return this.tensors[0].shape[0]
  }

  getItem(index: number): Tensor[] {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw new RangeError(`TensorDataset.getItem: index ${index} is out of range for ${this.length} samples`)
    }
    return this.tensors.map((t) => row(t, index))
  }
}
