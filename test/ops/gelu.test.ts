import { describe, expect, it } from 'vitest'
import { gradcheck, Tensor } from '../../src/index.js'
import * as F from '../../src/functional.js'
import { erf } from '../../src/backend/ts/erf.js'

/** The fused GELU kernel (ts, and wasm in the wasm project): float64 gradients, float32 lanes and tails. */
describe('gelu (fused kernel)', () => {
  const xs = Array.from({ length: 23 }, (_, i) => -7 + i * 0.61)
  for (const approximate of ['none', 'tanh'] as const) {
    it(`${approximate}: float64 gradient matches finite differences`, () => {
      const x = new Tensor(Float64Array.from(xs), [23])
      x.requiresGrad = true
      expect(gradcheck((t: Tensor) => F.gelu(t, { approximate }), [x])).toBe(true)
    })
  }

  it('float32 (4 lanes and a scalar tail) agrees with the float64 formula, forward and backward', () => {
    const x = new Tensor(Float32Array.from(xs), [23])
    x.requiresGrad = true
    const y = F.gelu(x)
    y.backward(new Tensor(new Float32Array(23).fill(1), [23]))
    for (let i = 0; i < 23; i++) {
      const v = Math.fround(xs[i])
      const cdf = 0.5 * (1 + erf(v * Math.SQRT1_2))
      const want = v * cdf
      const slope = cdf + (v * Math.exp(-0.5 * v * v)) / Math.sqrt(2 * Math.PI)
      expect(Math.abs(y.data[i] - want)).toBeLessThan(1e-6 * Math.max(1, Math.abs(want)))
      expect(Math.abs(x.grad!.data[i] - slope)).toBeLessThan(1e-6)
    }
  })
})

describe('gelu of an int32 tensor', () => {
  it('computes in float32 like the other activations (the wasm kernel read the int bits as floats: gelu(1) was 0)', () => {
    // gelu(1) = Φ(1) = 0.8413447, gelu(2) = 2·Φ(2) = 1.9544997
    const y = F.gelu(new Tensor(Int32Array.of(1, 2), [2]))
    expect(y.dtype).toBe('float32')
    expect(y.data[0]).toBeCloseTo(0.8413447, 6)
    expect(y.data[1]).toBeCloseTo(1.9544997, 6)
  })
})
