import { describe, expect, it } from 'vitest'
import { manualSeed, nn, tensor } from '../../src/index.js'

describe('nn.Linear', () => {
  it('has weight [out, in] and bias [out], leaves that require grad', () => {
    const m = new nn.Linear(3, 2)
    expect(m.weight.shape).toEqual([2, 3])
    expect(m.bias!.shape).toEqual([2])
    expect(m.weight).toBeInstanceOf(nn.Parameter)
    expect(m.weight.requiresGrad && m.weight.isLeaf).toBe(true)
    expect([m.inFeatures, m.outFeatures]).toEqual([3, 2])
    expect(m.weight.dtype).toBe('float32')
    expect(new nn.Linear(3, 2, { dtype: 'float64' }).bias!.dtype).toBe('float64')
  })

  it('computes y = x·Wᵀ + b for one sample, a batch and extra leading dims', () => {
    const m = new nn.Linear(3, 2, { dtype: 'float64' })
    m.weight.data.set([1, 2, 3, 4, 5, 6])
    m.bias!.data.set([0.5, -1])
    const x = [0.1, 0.2, 0.3]
    // Row 0 of W is [1, 2, 3]: 0.1 + 0.4 + 0.9 + 0.5; row 1 is [4, 5, 6]: 0.4 + 1.0 + 1.8 − 1.
    const want = [0.1 * 1 + 0.2 * 2 + 0.3 * 3 + 0.5, 0.1 * 4 + 0.2 * 5 + 0.3 * 6 - 1]
    expect(Array.from(m.forward(tensor(x, { dtype: 'float64' })).data)).toEqual(want)
    const batch = m.forward(tensor([x, [0, 0, 0]], { dtype: 'float64' }))
    expect(batch.shape).toEqual([2, 2])
    expect(Array.from(batch.data)).toEqual([...want, 0.5, -1])
    expect(m.forward(tensor([[x, x]], { dtype: 'float64' })).shape).toEqual([1, 2, 2])
  })

  it('without bias: bias is null and not a parameter', () => {
    const m = new nn.Linear(3, 2, { bias: false })
    expect(m.bias).toBeNull()
    expect(m.parameters()).toHaveLength(1)
    m.weight.data.set([1, 0, 0, 0, 1, 0])
    expect(Array.from(m.forward(tensor([7, 8, 9])).data)).toEqual([7, 8])
  })

  it('back-propagates into weight and bias', () => {
    const m = new nn.Linear(2, 1, { dtype: 'float64' })
    m.forward(tensor([[1, 2], [3, 4]], { dtype: 'float64' })).sum().backward()
    expect(Array.from(m.weight.grad!.data)).toEqual([4, 6])
    expect(Array.from(m.bias!.grad!.data)).toEqual([2])
  })

  it('gives one row\'s bias gradient as dY itself, −0 kept (PyTorch: grad_bias = grad_output)', () => {
    const m = new nn.Linear(2, 2, { dtype: 'float64' })
    const y = m.forward(tensor([1, 2], { dtype: 'float64' }))
    y.mul(tensor([-0, 3], { dtype: 'float64' })).sum().backward()
    expect(Object.is(m.bias!.grad!.data[0], -0)).toBe(true)
    expect(Array.from(m.bias!.grad!.data)).toEqual([-0, 3])
  })

  it('says what is wrong with an input of the wrong width', () => {
    expect(() => new nn.Linear(3, 2).forward(tensor([1, 2]))).toThrow(
      'linear: input of shape [2] does not fit weight [2, 3]: the input\'s last dim must be in_features = 3',
    )
    expect(() => new nn.Linear(-1, 2)).toThrow('Linear: inFeatures must be a non-negative integer, got -1')
    expect(() => new nn.Linear(2, 2, { dtype: 'int32' as 'float32' })).toThrow('Linear: dtype must be float32 or float64, got int32')
  })
})

describe('nn.Linear initialisation (PyTorch\'s: U(±1/√in_features) for weight and bias)', () => {
  it('stays within ±1/√fan_in and fills the range uniformly', () => {
    manualSeed(1)
    const fanIn = 400
    const m = new nn.Linear(fanIn, 300, { dtype: 'float64' })
    const bound = 1 / Math.sqrt(fanIn) // 0.05
    const w = Array.from(m.weight.data)
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(bound)
    // 120 000 samples of U(−k, k): the extremes come within 0.1% of k,
    expect(Math.max(...w)).toBeGreaterThan(bound * 0.999)
    expect(Math.min(...w)).toBeLessThan(-bound * 0.999)
    // the mean is 0 (σ/√n ≈ 8e-5) and the variance k²/3, within a few standard errors.
    const n = w.length
    const mean = w.reduce((s, v) => s + v, 0) / n
    const variance = w.reduce((s, v) => s + (v - mean) ** 2, 0) / n
    expect(Math.abs(mean)).toBeLessThan((5 * bound) / Math.sqrt(3 * n))
    expect(Math.abs(variance / (bound * bound / 3) - 1)).toBeLessThan(0.02)
    // each tenth of the range holds about a tenth of the samples
    const bins = new Array(10).fill(0)
    for (const v of w) bins[Math.min(9, Math.floor(((v + bound) / (2 * bound)) * 10))]++
    for (const b of bins) expect(Math.abs(b / n - 0.1)).toBeLessThan(0.005)
    const b = Array.from(m.bias!.data)
    expect(Math.max(...b.map(Math.abs))).toBeLessThanOrEqual(bound)
    expect(new Set(b).size).toBe(300)
  })

  it('uses the bound of its own fan_in for the bias too', () => {
    manualSeed(2)
    const m = new nn.Linear(4, 1000)
    const b = Array.from(m.bias!.data)
    expect(Math.max(...b.map(Math.abs))).toBeLessThanOrEqual(0.5)
    expect(Math.max(...b.map(Math.abs))).toBeGreaterThan(0.49)
  })

  it('is reproducible from manualSeed, and differs between seeds', () => {
    manualSeed(42)
    const a = new nn.Linear(5, 4)
    manualSeed(42)
    const b = new nn.Linear(5, 4)
    manualSeed(43)
    const c = new nn.Linear(5, 4)
    expect(Array.from(b.weight.data)).toEqual(Array.from(a.weight.data))
    expect(Array.from(b.bias!.data)).toEqual(Array.from(a.bias!.data))
    expect(Array.from(c.weight.data)).not.toEqual(Array.from(a.weight.data))
    // resetParameters draws fresh values
    const before = Array.from(a.weight.data)
    a.resetParameters()
    expect(Array.from(a.weight.data)).not.toEqual(before)
  })

  it('handles in_features = 0 as PyTorch does (empty weight, zero bias)', () => {
    const m = new nn.Linear(0, 3)
    expect(m.weight.shape).toEqual([3, 0])
    expect(Array.from(m.bias!.data)).toEqual([0, 0, 0])
  })
})
