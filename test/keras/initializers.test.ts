import { describe, expect, it } from 'vitest'
import { manualSeed, tensor } from '../../src/index.js'
import * as keras from '../../src/keras.js'
import { computeFans, getInitializer } from '../../src/keras/initializers.js'

const { initializers } = keras

describe('zeros, ones, constant', () => {
  it('fill the requested shape and dtype', () => {
    expect(initializers.zeros().apply([2, 3]).toArray()).toEqual([[0, 0, 0], [0, 0, 0]])
    const o = initializers.ones().apply([2], 'float64')
    expect(o.dtype).toBe('float64')
    expect(o.toArray()).toEqual([1, 1])
  })

  it('constant(number) fills every element', () => {
    expect(initializers.constant(0.5).apply([2, 2]).toArray()).toEqual([[0.5, 0.5], [0.5, 0.5]])
    expect(initializers.constant({ value: 2 }).apply([3]).toArray()).toEqual([2, 2, 2])
  })

  it('constant(values) pours the values row-major into the shape (Keras semantics), not a transpose', () => {
    const values = [[1, 2, 3], [4, 5, 6]]
    expect(initializers.constant(values).apply([3, 2]).toArray()).toEqual([[1, 2], [3, 4], [5, 6]])
    expect(initializers.constant([1, 2, 3, 4, 5, 6]).apply([2, 3]).toArray()).toEqual(values)
    expect(initializers.constant(tensor(values)).apply([6]).toArray()).toEqual([1, 2, 3, 4, 5, 6])
    expect(initializers.constant(new Float64Array([1, 2])).apply([1, 2]).toArray()).toEqual([[1, 2]])
  })

  it('constant with the wrong number of values names both counts', () => {
    expect(() => initializers.constant([[1, 2, 3], [4, 5, 6]]).apply([2, 2])).toThrow(/has 6 values, but the requested shape holds 4/)
  })

  it('a Dense kernel from constant([2, 3] array) is the row-major [3, 2] reshape', () => {
    const layer = keras.layers.dense({ units: 2, inputShape: [3], kernelInitializer: initializers.constant([[0.9, 0.6, 0.4], [0.3, 0.8, 0.7]]) })
    keras.sequential({ layers: [layer] })
    expect(layer.kernel!.shape).toEqual([3, 2])
    const k = Array.from(layer.kernel!.data).map((v) => Number(v.toFixed(6)))
    expect(k).toEqual([0.9, 0.6, 0.4, 0.3, 0.8, 0.7])
  })
})

describe('random initializers', () => {
  it('computeFans follows Keras: [in, out] for kernels, receptive field for convolutions', () => {
    expect(computeFans([3, 5])).toEqual([3, 5])
    expect(computeFans([7])).toEqual([7, 7])
    expect(computeFans([])).toEqual([1, 1])
    expect(computeFans([3, 3, 4, 8])).toEqual([36, 72])
  })

  it('glorotUniform stays within ±√(6 / (fanIn + fanOut)) and fills that range', () => {
    const shape = [30, 20]
    const limit = Math.sqrt(6 / (30 + 20))
    const v = Array.from(initializers.glorotUniform({ seed: 3 }).apply(shape).data)
    expect(v.length).toBe(600)
    expect(Math.max(...v.map(Math.abs))).toBeLessThanOrEqual(limit)
    expect(Math.max(...v)).toBeGreaterThan(0.95 * limit)
    expect(Math.min(...v)).toBeLessThan(-0.95 * limit)
    // U(−limit, limit) has mean 0 and standard deviation limit/√3: the sample mean stays within
    // 4 standard errors (a 2-standard-error bound fails for about one seed in twenty).
    const mean = v.reduce((a, b) => a + b, 0) / v.length
    expect(Math.abs(mean)).toBeLessThan((4 * limit) / Math.sqrt(3 * v.length))
  })

  it('glorotUniform is the Dense default kernel initializer', () => {
    const layer = keras.layers.dense({ units: 40, inputShape: [10] })
    keras.sequential({ layers: [layer] })
    expect(layer.kernelInitializer.className).toBe('GlorotUniform')
    const limit = Math.sqrt(6 / 50)
    expect(Math.max(...Array.from(layer.kernel!.data, Math.abs))).toBeLessThanOrEqual(limit)
    expect(Array.from(layer.bias!.data)).toEqual(new Array(40).fill(0))
  })

  it('a seed makes every call give the same values; different seeds differ', () => {
    const a = initializers.glorotUniform({ seed: 42 }).apply([4, 4]).toArray()
    manualSeed(7) // the global generator plays no part
    const init = initializers.glorotUniform({ seed: 42 })
    expect(init.apply([4, 4]).toArray()).toEqual(a)
    expect(init.apply([4, 4]).toArray()).toEqual(a)
    expect(initializers.glorotUniform({ seed: 43 }).apply([4, 4]).toArray()).not.toEqual(a)
    expect(initializers.heNormal({ seed: 1 }).apply([5, 5]).toArray()).toEqual(initializers.heNormal({ seed: 1 }).apply([5, 5]).toArray())
    expect(initializers.randomNormal({ seed: 1 }).apply([5]).toArray()).toEqual(initializers.randomNormal({ seed: 1 }).apply([5]).toArray())
  })

  it('without a seed they draw from the global generator: manualSeed repeats them', () => {
    manualSeed(123)
    const a = initializers.glorotUniform().apply([3, 3]).toArray()
    const b = initializers.glorotUniform().apply([3, 3]).toArray()
    expect(b).not.toEqual(a)
    manualSeed(123)
    expect(initializers.glorotUniform().apply([3, 3]).toArray()).toEqual(a)
  })

  it('heNormal is a normal truncated at 2σ, scaled so its spread is √(2 / fanIn)', () => {
    const fanIn = 50
    const v = Array.from(initializers.heNormal({ seed: 9 }).apply([fanIn, 400], 'float64').data)
    const sigma = Math.sqrt(2 / fanIn) / 0.87962566103423978
    expect(Math.max(...v.map(Math.abs))).toBeLessThanOrEqual(2 * sigma)
    const mean = v.reduce((a, b) => a + b, 0) / v.length
    const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length)
    expect(Math.abs(std / Math.sqrt(2 / fanIn) - 1)).toBeLessThan(0.05)
  })

  it('randomNormal has Keras defaults (mean 0, stddev 0.05) and takes mean and stddev', () => {
    const stats = (v: number[]) => {
      const m = v.reduce((a, b) => a + b, 0) / v.length
      return [m, Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length)]
    }
    const [m0, s0] = stats(Array.from(initializers.randomNormal({ seed: 5 }).apply([10000], 'float64').data))
    expect(Math.abs(m0)).toBeLessThan(0.003)
    expect(Math.abs(s0 - 0.05)).toBeLessThan(0.003)
    const [m1, s1] = stats(Array.from(initializers.randomNormal({ mean: 3, stddev: 2, seed: 5 }).apply([10000], 'float64').data))
    expect(Math.abs(m1 - 3)).toBeLessThan(0.1)
    expect(Math.abs(s1 - 2)).toBeLessThan(0.1)
  })
})

describe('initializers by name', () => {
  it("accepts TF.js names and Python's", () => {
    expect(getInitializer('glorotUniform', 'x').className).toBe('GlorotUniform')
    expect(getInitializer('he_normal', 'x').className).toBe('HeNormal')
    expect(getInitializer('zeros', 'x').className).toBe('Zeros')
  })

  it('an unknown name lists the valid ones', () => {
    expect(() => keras.layers.dense({ units: 1, kernelInitializer: 'glorot' as never })).toThrow(/unknown initializer 'glorot'; use one of 'zeros', 'ones', 'glorotUniform'/)
  })
})
