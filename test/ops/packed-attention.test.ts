import { describe, expect, it } from 'vitest'
import { gradcheck, type Tensor } from '../../src/index.js'
import * as F from '../../src/functional.js'
import { packedSelfAttention } from '../../src/ops/packed-attention.js'
import { randomLeaf } from './random-leaf.js'

/**
 * The GPT's attention on q, k, v packed on dim 0: the same kernels as sdpa on the split pieces.
 * The reference is our sdpa, which test/surface/ops2.test.ts checks against PyTorch's cases; the
 * claim here is exact equality with it, plus a float64 gradcheck of its own.
 */
describe('packedSelfAttention', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    for (const isCausal of [true, false]) {
      it(`${dtype}, causal ${isCausal}: output and gradient equal sdpa on split(qkv) exactly`, () => {
        const qkv = randomLeaf([3, 2, 3, 7, 8], 11, dtype)
        const g = randomLeaf([2, 3, 7, 8], 12, dtype)
        const y = packedSelfAttention(qkv, { isCausal })
        y.backward(g)
        const packedGrad = Array.from(qkv.grad!.data)
        qkv.grad = null
        const [q, k, v] = qkv.split(1, 0).map((t) => t.reshape([2, 3, 7, 8]))
        const want = F.scaledDotProductAttention(q, k, v, { isCausal })
        want.backward(g)
        expect(Array.from(y.data)).toEqual(Array.from(want.data))
        // The split's gradient adds zeros outside each block: +0 where packed may give −0.
        expect(packedGrad.map((x) => x + 0)).toEqual(Array.from(qkv.grad!.data, (x) => x + 0))
      })
    }
  }

  it('gradcheck in float64 (causal, a custom scale)', () => {
    const qkv = randomLeaf([3, 2, 4, 3], 5, 'float64')
    expect(gradcheck((t: Tensor) => packedSelfAttention(t, { isCausal: true, scale: 0.7 }), [qkv])).toBe(true)
  })

  it('rejects a tensor whose dim 0 is not 3, naming the op and the shape', () => {
    const x = randomLeaf([2, 4, 3], 1, 'float32')
    expect(() => packedSelfAttention(x)).toThrow(/packedSelfAttention: qkv must be \[3, \.\.\., length, features\].*\[2, 4, 3\]/)
    expect(() => packedSelfAttention(randomLeaf([3, 2, 4], 1, 'float32'), { causal: true } as never)).toThrow(/packedSelfAttention: unknown option .causal./)
  })
})
