import { describe, expect, it } from 'vitest'
import { manualSeed, nn, tensor, zeros } from '../../src/index.js'

const { init } = nn

describe('nn.init', () => {
  it('calculateGain follows PyTorch\'s table', () => {
    expect(init.calculateGain('linear')).toBe(1)
    expect(init.calculateGain('sigmoid')).toBe(1)
    expect(init.calculateGain('tanh')).toBe(5 / 3)
    expect(init.calculateGain('relu')).toBe(Math.sqrt(2))
    expect(init.calculateGain('leakyRelu')).toBe(Math.sqrt(2 / (1 + 0.01 ** 2)))
    expect(init.calculateGain('leaky_relu', Math.sqrt(5))).toBeCloseTo(Math.sqrt(1 / 3), 15)
    expect(init.calculateGain('selu')).toBe(0.75)
    expect(() => init.calculateGain('swish' as 'relu')).toThrow('calculateGain: unsupported nonlinearity "swish"')
  })

  it('calculateFanInAndFanOut reads [out, in, ...kernel]', () => {
    expect(init.calculateFanInAndFanOut(zeros([8, 5]))).toEqual([5, 8])
    expect(init.calculateFanInAndFanOut(zeros([8, 5, 3, 3]))).toEqual([45, 72])
    expect(() => init.calculateFanInAndFanOut(zeros([8]))).toThrow('fewer than 2 dims (shape [8])')
  })

  it('kaimingUniform_ with a = √5 bounds by 1/√fan_in; with relu by √(6/fan_in)', () => {
    manualSeed(3)
    const w = init.kaimingUniform_(zeros([200, 25], { dtype: 'float64' }), { a: Math.sqrt(5) })
    const m = Math.max(...Array.from(w.data).map(Math.abs))
    expect(m).toBeLessThanOrEqual(1 / 5)
    expect(m).toBeGreaterThan(0.199)
    const r = init.kaimingUniform_(zeros([200, 25], { dtype: 'float64' }), { nonlinearity: 'relu', mode: 'fanOut' })
    const rm = Math.max(...Array.from(r.data).map(Math.abs))
    expect(rm).toBeLessThanOrEqual(Math.sqrt(6 / 200))
    expect(rm).toBeGreaterThan(0.99 * Math.sqrt(6 / 200))
  })

  it('xavierUniform_ bounds by gain·√(6/(fan_in + fan_out))', () => {
    manualSeed(4)
    const w = init.xavierUniform_(zeros([100, 50], { dtype: 'float64' }))
    const m = Math.max(...Array.from(w.data).map(Math.abs))
    expect(m).toBeLessThanOrEqual(Math.sqrt(6 / 150))
    expect(m).toBeGreaterThan(0.99 * Math.sqrt(6 / 150))
  })

  it('normal_ and kaimingNormal_ have the asked standard deviation', () => {
    manualSeed(5)
    const std = (xs: number[]) => Math.sqrt(xs.reduce((s, v) => s + v * v, 0) / xs.length)
    expect(std(Array.from(init.normal_(zeros([100000], { dtype: 'float64' }), 0, 2).data))).toBeCloseTo(2, 1)
    const k = init.kaimingNormal_(zeros([400, 100], { dtype: 'float64' }), { nonlinearity: 'relu' })
    expect(std(Array.from(k.data)) / Math.sqrt(2 / 100)).toBeCloseTo(1, 1)
  })

  it('constant_, zeros_, ones_ fill in place and return the tensor', () => {
    const t = tensor([1, 2, 3])
    expect(init.constant_(t, 0.5)).toBe(t)
    expect(Array.from(t.data)).toEqual([0.5, 0.5, 0.5])
    expect(Array.from(init.zeros_(t).data)).toEqual([0, 0, 0])
    expect(Array.from(init.ones_(t).data)).toEqual([1, 1, 1])
  })

  it('records nothing in the graph and refuses integer tensors', () => {
    const p = new nn.Parameter(zeros([2, 2]))
    init.uniform_(p, -1, 1)
    expect(p.isLeaf).toBe(true)
    expect(p.gradFn).toBeNull()
    expect(() => init.uniform_(tensor([1], { dtype: 'int32' }))).toThrow('uniform_: can only fill float32 or float64 tensors, got int32')
    expect(() => init.uniform_(zeros([1]), 1, 0)).toThrow('uniform_: expects a <= b, got a = 1, b = 0')
  })
})
