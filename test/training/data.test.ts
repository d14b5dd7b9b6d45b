import { describe, expect, it } from 'vitest'
import { data, Generator, manualSeed, tensor, Tensor } from '../../src/index.js'

const x = tensor(Array.from({ length: 10 }, (_, i) => [i, 10 * i]))
const y = tensor(Array.from({ length: 10 }, (_, i) => i), { dtype: 'int32' })
const ds = new data.TensorDataset(x, y)

/** The first column of every x batch, to read the sample order. */
const orderOf = (loader: data.DataLoader) => [...loader].map(([xb]) => Array.from(xb.data).filter((_, k) => k % 2 === 0))

describe('TensorDataset', () => {
  it('indexes its tensors together along the first dim', () => {
    expect(ds.length).toBe(10)
    const [xi, yi] = ds.getItem(3)
    expect(xi.shape).toEqual([2])
    expect(Array.from(xi.data)).toEqual([3, 30])
    expect(yi.shape).toEqual([])
    expect(yi.dtype).toBe('int32')
    expect(yi.item()).toBe(3)
  })
  it('refuses tensors of different lengths, naming the shapes', () => {
    expect(() => new data.TensorDataset(x, tensor([1, 2]))).toThrow('TensorDataset: size mismatch between tensors: tensor 0 has shape [10, 2], tensor 1 has [2]; the first dims must be equal')
    expect(() => ds.getItem(10)).toThrow(/index 10 is out of range for 10 samples/)
  })
})

describe('DataLoader', () => {
  it('batches in order, stacked; the last batch smaller unless dropLast', () => {
    const loader = new data.DataLoader(ds, { batchSize: 4 })
    const batches = [...loader]
    expect(loader.length).toBe(3)
    expect(batches.map(([xb, yb]) => [xb.shape, yb.shape, yb.dtype])).toEqual([
      [[4, 2], [4], 'int32'],
      [[4, 2], [4], 'int32'],
      [[2, 2], [2], 'int32'],
    ])
    expect(Array.from(batches[2][1].data)).toEqual([8, 9])
    expect(Array.from(batches[1][0].data)).toEqual([4, 40, 5, 50, 6, 60, 7, 70])
    const dropped = new data.DataLoader(ds, { batchSize: 4, dropLast: true })
    expect(dropped.length).toBe(2)
    expect([...dropped].length).toBe(2)
  })
  it('works with for…of, keeping x and y rows together', () => {
    let seen = 0
    for (const [xb, yb] of new data.DataLoader(ds, { batchSize: 3, shuffle: true })) {
      for (let k = 0; k < yb.numel(); k++) expect(xb.data[2 * k + 1]).toBe(10 * yb.data[k])
      seen += yb.numel()
    }
    expect(seen).toBe(10)
  })
  it('shuffles with a seeded Generator: each pass a new permutation, the same sequence for the same seed', () => {
    const a = new data.DataLoader(ds, { batchSize: 10, shuffle: true, generator: new Generator(42) })
    const b = new data.DataLoader(ds, { batchSize: 10, shuffle: true, generator: new Generator(0).manualSeed(42) })
    const [a1, a2] = [orderOf(a)[0], orderOf(a)[0]]
    const [b1, b2] = [orderOf(b)[0], orderOf(b)[0]]
    expect([...a1].sort((p, q) => p - q)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(a1).not.toEqual(a2)
    expect(a1).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect([b1, b2]).toEqual([a1, a2])
  })
  it('without a generator, shuffling follows manualSeed', () => {
    const loader = new data.DataLoader(ds, { batchSize: 10, shuffle: true })
    manualSeed(7)
    const first = orderOf(loader)
    manualSeed(7)
    expect(orderOf(loader)).toEqual(first)
  })
  it('batches any dataset: arrays of tensors and numbers, objects', () => {
    const custom = { length: 3, getItem: (i: number) => ({ x: tensor([i, i]), label: i, weight: i / 2 }) }
    const [batch] = [...new data.DataLoader<{ x: Tensor; label: Tensor; weight: Tensor }>(custom, { batchSize: 3 })]
    expect(batch.x.shape).toEqual([3, 2])
    expect(batch.label.dtype).toBe('int32')
    expect(Array.from(batch.weight.data)).toEqual([0, 0.5, 1])
    expect(batch.weight.dtype).toBe('float64')
  })
  it('checks its options', () => {
    expect(() => new data.DataLoader(ds, { batch_size: 4 } as never)).toThrow(/did you mean batchSize/)
    expect(() => new data.DataLoader(ds, { batchSize: 0 })).toThrow(/batchSize must be an integer >= 1, got 0/)
    expect(() => new data.DataLoader([1, 2] as never)).toThrow(/dataset must have a length and getItem/)
    const ragged = { length: 2, getItem: (i: number) => tensor(i === 0 ? [1, 2] : [1]) }
    expect(() => [...new data.DataLoader(ragged, { batchSize: 2 })]).toThrow('DataLoader: sample 1 of the batch is float32 [1], sample 0 is float32 [2]; samples must share shape and dtype to be stacked')
  })
})

describe('Generator', () => {
  it('rand and randn accept { generator }: the same seed gives the same tensor, the global generator is untouched', async () => {
    const { rand, randn } = await import('../../src/index.js')
    manualSeed(3)
    const globalFirst = Array.from(rand([4]).data)
    manualSeed(3)
    const a = rand([5], { generator: new Generator(9) })
    const b = rand([5], { generator: new Generator(1).manualSeed(9) })
    expect(Array.from(a.data)).toEqual(Array.from(b.data))
    expect(Array.from(rand([4]).data)).toEqual(globalFirst)
    const n = randn([3], { generator: new Generator(2), dtype: 'float64' })
    expect(Array.from(n.data)).toEqual(Array.from(randn([3], { generator: new Generator(2), dtype: 'float64' }).data))
    expect(() => rand([2], { generator: 42 as never })).toThrow(/rand: generator must be a yann Generator/)
  })
})
