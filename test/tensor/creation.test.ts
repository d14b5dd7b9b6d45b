import { describe, expect, it } from 'vitest'
import { arange, full, fullLike, manualSeed, ones, onesLike, rand, randn, tensor, zeros, zerosLike } from '../../src/index.js'

describe('tensor() from data', () => {
  it('a number is a 0-d tensor', () => {
    const t = tensor(5)
    expect(t.shape).toEqual([])
    expect(t.ndim).toBe(0)
    expect(t.numel()).toBe(1)
    expect(t.item()).toBe(5)
    expect(t.toArray()).toBe(5)
  })

  it('nested arrays give the shape, data flat row-major', () => {
    const t = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ])
    expect(t.shape).toEqual([2, 3])
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6])
    expect(t.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ])
  })

  it('3-D nested arrays', () => {
    const t = tensor([[[1], [2]], [[3], [4]], [[5], [6]]])
    expect(t.shape).toEqual([3, 2, 1])
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6])
  })

  it('empty arrays keep their shape', () => {
    expect(tensor([]).shape).toEqual([0])
    expect(tensor([[], []]).shape).toEqual([2, 0])
  })

  it('booleans become 0 and 1', () => {
    expect(Array.from(tensor([true, false]).data)).toEqual([1, 0])
  })

  it('numbers as bool are their truth, as torch.tensor([2, -1, 0.5, 0], dtype=torch.bool) is [True, True, True, False]', () => {
    // Stored bare they were 2, 255 and 0: sum() gave 257 and eq(true) false.
    expect(Array.from(tensor([2, -1, 0.5, 0], { dtype: 'bool' }).data)).toEqual([1, 1, 1, 0])
    expect(Array.from(tensor(new Float32Array([0.5, NaN]), { dtype: 'bool' }).data)).toEqual([1, 1])
    expect(Array.from(full([2], 0.5, { dtype: 'bool' }).data)).toEqual([1, 1])
    expect(Array.from(fullLike(tensor([false]), -1).data)).toEqual([1])
    expect(full([2], true).dtype).toBe('bool') // torch.full([2], True) is bool
  })

  it('defaults to float32, rounding to the nearest float32', () => {
    const t = tensor([0.1])
    expect(t.dtype).toBe('float32')
    expect(t.data).toBeInstanceOf(Float32Array)
    expect(t.data[0]).toBe(Math.fround(0.1))
  })

  it('float64 keeps the double exactly', () => {
    const t = tensor([0.1], { dtype: 'float64' })
    expect(t.data).toBeInstanceOf(Float64Array)
    expect(t.data[0]).toBe(0.1)
  })

  it('int32 truncates toward zero, like torch .to(torch.int32)', () => {
    const t = tensor([1.7, -1.7, 3], { dtype: 'int32' })
    expect(t.data).toBeInstanceOf(Int32Array)
    expect(Array.from(t.data)).toEqual([1, -1, 3])
  })

  it('typed arrays give 1-D tensors of their own dtype, copied', () => {
    const src = new Float64Array([1, 2, 3])
    const t = tensor(src)
    expect(t.dtype).toBe('float64')
    expect(t.shape).toEqual([3])
    src[0] = 99
    expect(t.data[0]).toBe(1)
    expect(tensor(new Int32Array([4, 5])).dtype).toBe('int32')
    expect(tensor(new Float32Array([4, 5])).dtype).toBe('float32')
  })

  it('a dtype option converts typed arrays', () => {
    const t = tensor(new Float32Array([1.5, 2.5]), { dtype: 'float64' })
    expect(t.dtype).toBe('float64')
    expect(Array.from(t.data)).toEqual([1.5, 2.5])
  })

  it('nested typed arrays are rows', () => {
    const t = tensor([new Float32Array([1, 2]), new Float32Array([3, 4])])
    expect(t.shape).toEqual([2, 2])
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4])
  })

  it('requiresGrad option makes a leaf that requires grad', () => {
    const t = tensor([1, 2], { requiresGrad: true })
    expect(t.requiresGrad).toBe(true)
    expect(t.isLeaf).toBe(true)
    expect(t.gradFn).toBeNull()
    expect(t.grad).toBeNull()
  })
})

describe('filled tensors', () => {
  it('zeros', () => {
    const t = zeros([2, 3])
    expect(t.shape).toEqual([2, 3])
    expect(t.dtype).toBe('float32')
    expect(Array.from(t.data)).toEqual([0, 0, 0, 0, 0, 0])
  })

  it('ones in float64', () => {
    const t = ones([3], { dtype: 'float64' })
    expect(t.dtype).toBe('float64')
    expect(Array.from(t.data)).toEqual([1, 1, 1])
  })

  it('full in int32', () => {
    const t = full([2, 2], 7, { dtype: 'int32' })
    expect(t.dtype).toBe('int32')
    expect(t.toArray()).toEqual([
      [7, 7],
      [7, 7],
    ])
  })

  it('a 0-d zeros', () => {
    expect(zeros([]).shape).toEqual([])
    expect(zeros([]).item()).toBe(0)
  })

  it('zerosLike and onesLike copy shape and dtype', () => {
    const like = tensor([[1, 2, 3]], { dtype: 'float64' })
    expect(zerosLike(like).shape).toEqual([1, 3])
    expect(zerosLike(like).dtype).toBe('float64')
    expect(Array.from(onesLike(like).data)).toEqual([1, 1, 1])
  })

  it('requiresGrad option', () => {
    expect(zeros([2], { requiresGrad: true }).requiresGrad).toBe(true)
  })
})

describe('sizes as numbers', () => {
  it('zeros/ones/rand/randn take the sizes as numbers, then the options, as torch.zeros(2, 3, dtype=...) (the options were refused)', () => {
    expect(zeros(2, 3).shape).toEqual([2, 3])
    expect([ones(2, { dtype: 'int32' }).dtype, ones(2, { dtype: 'int32' }).toArray()]).toEqual(['int32', [1, 1]])
    expect(rand(2, 3, { dtype: 'float64' }).dtype).toBe('float64')
    expect(randn(4, { dtype: 'float64' }).shape).toEqual([4])
    expect(zeros([2, 3], { dtype: 'float64' }).dtype).toBe('float64')
  })
})

describe('arange', () => {
  it('arange(n) is 0..n-1', () => expect(Array.from(arange(5).data)).toEqual([0, 1, 2, 3, 4]))
  it('start, end, step', () => expect(Array.from(arange(1, 2, 0.25).data)).toEqual([1, 1.25, 1.5, 1.75]))
  it('negative step', () => expect(Array.from(arange(5, 0, -2).data)).toEqual([5, 3, 1]))
  it('empty when end ≤ start', () => expect(arange(3, 3).shape).toEqual([0]))
  it('int32', () => expect(arange(0, 3, 1, { dtype: 'int32' }).dtype).toBe('int32'))
  it('options after any count of numbers, as arange(5, dtype=...)', () => {
    expect(arange(3, { dtype: 'int32' }).toArray()).toEqual([0, 1, 2])
    expect(arange(1, 3, { dtype: 'float64' }).dtype).toBe('float64')
    expect(arange(1, 3, { dtype: 'float64' }).toArray()).toEqual([1, 2])
  })
  it('step 0 is an error', () => expect(() => arange(0, 1, 0)).toThrow(/arange: step must be a non-zero finite number, got 0/))
})

describe('rand, randn and manualSeed', () => {
  it('rand is uniform in [0, 1)', () => {
    manualSeed(0)
    const t = rand([10000], { dtype: 'float64' })
    expect(t.shape).toEqual([10000])
    const d = Array.from(t.data)
    expect(d.every((v) => v >= 0 && v < 1)).toBe(true)
    const mean = d.reduce((a, b) => a + b) / d.length
    // The mean of n uniforms has standard deviation 1/sqrt(12 n) ≈ 0.0029.
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.015)
  })

  it('randn has mean 0 and standard deviation 1', () => {
    manualSeed(0)
    const d = Array.from(randn([10000], { dtype: 'float64' }).data)
    const mean = d.reduce((a, b) => a + b) / d.length
    const std = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / d.length)
    expect(Math.abs(mean)).toBeLessThan(0.05)
    expect(Math.abs(std - 1)).toBeLessThan(0.05)
  })

  it('the same seed gives the same numbers, another seed others', () => {
    manualSeed(42)
    const a = [...rand([5]).data, ...randn([5]).data]
    manualSeed(42)
    const b = [...rand([5]).data, ...randn([5]).data]
    manualSeed(43)
    const c = [...rand([5]).data, ...randn([5]).data]
    expect(b).toEqual(a)
    expect(c).not.toEqual(a)
  })

  it('default float32, shape as given, requiresGrad option', () => {
    const t = randn([2, 3], { requiresGrad: true })
    expect(t.dtype).toBe('float32')
    expect(t.shape).toEqual([2, 3])
    expect(t.requiresGrad).toBe(true)
  })

  it('int32 is refused', () => {
    expect(() => rand([2], { dtype: 'int32' })).toThrow(/rand: dtype must be float32 or float64, got int32/)
    expect(() => randn([2], { dtype: 'int32' })).toThrow(/randn: dtype must be float32 or float64, got int32/)
  })
})
