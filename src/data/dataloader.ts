import { checkOptionKeys } from '../options.js'
import type { Tensor } from '../tensor.js'
import { Generator, random } from '../random.js'
import { collate, gatherRows } from './collate.js'
import { TensorDataset, type Dataset } from './dataset.js'

export interface DataLoaderOptions {
  /** Samples per batch (default 1). */
  batchSize?: number
  /** Draw a new random order on every pass (default false: in order). */
  shuffle?: boolean
  /** Leave out the last batch when it is smaller than batchSize (default false). */
  dropLast?: boolean
  /** The random source for shuffling; seed it for a reproducible order (default: one seeded from the global generator). */
  generator?: Generator
}

/**
 * Batches of a dataset, like torch.utils.data.DataLoader: iterate it with for…of, once per
 * epoch. Each batch stacks batchSize samples along a new first dim (a TensorDataset of x and y
 * gives [xBatch, yBatch]). With shuffle, every pass draws a new order from the generator, so a
 * seeded generator gives the same sequence of epochs run after run.
 *
 * @example
 * const loader = new data.DataLoader(new data.TensorDataset(x, y), { batchSize: 32, shuffle: true, generator: new Generator(0) })
 * for (const [xb, yb] of loader) { ... }
 */
export class DataLoader<B = Tensor[]> implements Iterable<B> {
  /** The dataset; `B` is the type of one batch (Tensor[] for a TensorDataset). */
  readonly dataset: Dataset
  readonly batchSize: number
  readonly shuffle: boolean
  readonly dropLast: boolean
  readonly generator: Generator | null

  constructor(dataset: Dataset, options: DataLoaderOptions = {}) {
    const op = 'DataLoader'
    checkOptionKeys(op, options, ['batchSize', 'shuffle', 'dropLast', 'generator'])
    if (!dataset || typeof dataset.length !== 'number' || typeof dataset.getItem !== 'function') {
      throw new TypeError(`${op}: dataset must have a length and getItem(index), e.g. new data.TensorDataset(x, y)`)
    }
    const { batchSize = 1, shuffle = false, dropLast = false, generator = null } = options
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`${op}: batchSize must be an integer >= 1, got ${String(batchSize)}`)
    if (typeof shuffle !== 'boolean') throw new TypeError(`${op}: shuffle must be a boolean, got ${typeof shuffle}`)
    if (typeof dropLast !== 'boolean') throw new TypeError(`${op}: dropLast must be a boolean, got ${typeof dropLast}`)
    if (generator !== null && !(generator instanceof Generator)) throw new TypeError(`${op}: generator must be a yann Generator, e.g. new Generator(0)`)
    this.dataset = dataset
    this.batchSize = batchSize
    this.shuffle = shuffle
    this.dropLast = dropLast
    this.generator = generator
  }

  /** The number of batches in one pass. */
  get length(): number {
    const n = this.dataset.length
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize)
  }

  /** One pass's sample order: 0..n−1, or a Fisher–Yates shuffle of it. */
  private order(): number[] {
    const n = this.dataset.length
    const idx = Array.from({ length: n }, (_, i) => i)
    if (!this.shuffle) return idx
    // Without a generator, one seeded from the global one (PyTorch draws a seed likewise), so manualSeed() reproduces it.
    const g = this.generator ?? new Generator(Math.floor(random() * 2 ** 32))
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(g.random() * (i + 1))
      const t = idx[i]
      idx[i] = idx[j]
      idx[j] = t
    }
    return idx
  }

  *[Symbol.iterator](): Iterator<B> {
    const order = this.order()
    const batches = this.length
    for (let b = 0; b < batches; b++) {
      const indices = order.slice(b * this.batchSize, (b + 1) * this.batchSize)
      const ds = this.dataset as unknown
      // A TensorDataset batch is a gather of rows: no per-sample tensors.
      const batch = ds instanceof TensorDataset ? ds.tensors.map((t) => gatherRows(t, indices)) : collate(indices.map((i) => this.dataset.getItem(i)))
      yield batch as B
    }
  }
}
