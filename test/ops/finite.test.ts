import { describe, expect, it } from 'vitest'
import { isfinite, isinf, isnan, tensor } from '../../src/index.js'

/** isnan / isinf / isfinite by IEEE 754's definitions, as PyTorch: bool results, no gradient. */
const values = [1, NaN, Infinity, -Infinity, -0, 1e38, -3.5]

describe('isnan, isinf, isfinite', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`${dtype}: NaN, ±inf, -0, a large finite value`, () => {
      const x = tensor(values, { dtype })
      expect(x.isnan().toArray()).toEqual([0, 1, 0, 0, 0, 0, 0])
      expect(x.isinf().toArray()).toEqual([0, 0, 1, 1, 0, 0, 0])
      expect(x.isfinite().toArray()).toEqual([1, 0, 0, 0, 1, 1, 1])
      for (const r of [x.isnan(), x.isinf(), x.isfinite()]) expect(r.dtype).toBe('bool')
    })
  }

  it('functions, shapes kept, the largest float64', () => {
    const x = tensor([[Number.MAX_VALUE, -Infinity], [NaN, 0]], { dtype: 'float64' })
    expect(isnan(x).toArray()).toEqual([[0, 0], [1, 0]])
    expect(isinf(x).toArray()).toEqual([[0, 1], [0, 0]])
    expect(isfinite(x).toArray()).toEqual([[1, 0], [0, 1]])
  })

  it('int32 and bool tensors are all finite', () => {
    for (const x of [tensor([1, -2, 3], { dtype: 'int32' }), tensor([true, false, true])]) {
      expect(x.isnan().toArray()).toEqual([0, 0, 0])
      expect(x.isinf().toArray()).toEqual([0, 0, 0])
      expect(x.isfinite().toArray()).toEqual([1, 1, 1])
      expect(x.isfinite().dtype).toBe('bool')
    }
  })

  it('no gradient', () => {
    const x = tensor([1, NaN], { requiresGrad: true })
    for (const r of [x.isnan(), x.isinf(), x.isfinite()]) {
      expect(r.requiresGrad).toBe(false)
      expect(r.gradFn).toBeNull()
    }
  })
})
