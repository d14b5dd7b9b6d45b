import { describe, expect, it } from 'vitest'
import { gradcheck, manualSeed, tensor, Tensor } from '../../src/index.js'
import * as F from '../../src/functional.js'
import { ops2Suite } from '../oracle/ops2.js'
import { randomLeaf } from './random-leaf.js'

ops2Suite('attention', {
  sdpa: (args, [q, k, v]) => F.scaledDotProductAttention(q, k, v, { attnMask: args.attn_mask ?? null, isCausal: args.is_causal }),
})

/** The unfused composition: softmax(q·kᵀ·scale + mask)·v. */
function reference(q: Tensor, k: Tensor, v: Tensor, mask: Tensor | null, scale: number): Tensor {
  let s = q.matmul(k.transpose(-2, -1)).mul(scale)
  if (mask) s = s.add(mask)
  return s.softmax(-1).matmul(v)
}

describe('scaledDotProductAttention', () => {
  it('gradcheck in float64: causal, a float mask broadcast over heads, a per-batch mask, a custom scale', () => {
    const [q, k, v] = [randomLeaf([2, 2, 3, 4], 1), randomLeaf([2, 2, 5, 4], 2), randomLeaf([2, 2, 5, 3], 3)]
    const mask = randomLeaf([3, 5], 4)
    mask.requiresGrad = false
    const perBatch = new Tensor(Float64Array.from({ length: 30 }, (_, i) => (i % 7 === 3 ? -Infinity : Math.cos(i))), [2, 1, 3, 5])
    const qs = randomLeaf([2, 2, 5, 4], 5)
    expect(gradcheck((a, b, c) => F.scaledDotProductAttention(a, b, c, { isCausal: true }), [qs, k, v])).toBe(true)
    expect(gradcheck((a, b, c) => F.scaledDotProductAttention(a, b, c, { attnMask: mask }), [q, k, v])).toBe(true)
    expect(gradcheck((a, b, c) => F.scaledDotProductAttention(a, b, c, { attnMask: perBatch, scale: 0.3 }), [q, k, v])).toBe(true)
  })

  it('gradcheck in float64 with bool masks: [L, S], per batch [B, 1, L, S], a key mask [S]', () => {
    const [q, k, v] = [randomLeaf([2, 2, 3, 4], 1), randomLeaf([2, 2, 5, 4], 2), randomLeaf([2, 2, 5, 3], 3)]
    const keep = (shape: number[]) => new Tensor(Uint8Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => (i % 5 === 0 || i % 3 === 1 ? 1 : 0)), shape)
    for (const shape of [[3, 5], [2, 1, 3, 5], [5]]) {
      expect(gradcheck((a, b, c) => F.scaledDotProductAttention(a, b, c, { attnMask: keep(shape) }), [q, k, v])).toBe(true)
    }
  })

  it('gradcheck in float64 with dropout (the same mask at every evaluation: seeded), causal or masked', () => {
    const [q, k, v] = [randomLeaf([2, 5, 4], 1), randomLeaf([2, 5, 4], 2), randomLeaf([2, 5, 3], 3)]
    const mask = new Tensor(Float64Array.from({ length: 25 }, (_, i) => Math.sin(i)), [5, 5])
    const seeded = (o: F.ScaledDotProductAttentionOptions) => (a: Tensor, b: Tensor, c: Tensor) => {
      manualSeed(4)
      return F.scaledDotProductAttention(a, b, c, { dropoutP: 0.3, ...o })
    }
    expect(gradcheck(seeded({ isCausal: true }), [q, k, v])).toBe(true)
    expect(gradcheck(seeded({ attnMask: mask, scale: 0.4 }), [q, k, v])).toBe(true)
  })

  it('matches the unfused composition in float32 at GPT sizes (forward and gradients)', () => {
    const shape = [3, 4, 16, 32]
    const [q, k, v] = [1, 2, 3].map((s) => randomLeaf(shape, s, 'float32'))
    const causal = new Tensor(Float32Array.from({ length: 256 }, (_, i) => (i % 16 > Math.floor(i / 16) ? -Infinity : 0)), [16, 16])
    const R = randomLeaf(shape, 9, 'float32').detach()
    const fused = F.scaledDotProductAttention(q, k, v, { isCausal: true })
    fused.mul(R).sum().backward()
    const grads = [q, k, v].map((t) => Array.from(t.grad!.data))
    for (const t of [q, k, v]) t.grad = null
    const ref = reference(q, k, v, causal, 1 / Math.sqrt(32))
    ref.mul(R).sum().backward()
    const close = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).every((x, i) => Math.abs(x - b[i]) <= 1e-5 + 1e-4 * Math.abs(b[i]))
    expect(close(fused.data, ref.data)).toBe(true)
    ;[q, k, v].forEach((t, i) => expect(close(grads[i], t.grad!.data)).toBe(true))
  })

  it('a boolean mask (true = attend) equals the float mask 0 / −∞, broadcast over the batch', () => {
    const [q, k, v] = [randomLeaf([2, 3, 4], 1), randomLeaf([2, 5, 4], 2), randomLeaf([2, 5, 2], 3)]
    const keep = tensor([[true, false, true, true, false], [true, true, true, true, true], [false, false, false, true, false]])
    const additive = new Tensor(Float64Array.from(keep.data, (b) => (b ? 0 : -Infinity)), [3, 5])
    const got = F.scaledDotProductAttention(q, k, v, { attnMask: keep })
    const want = reference(q, k, v, additive, 0.5)
    Array.from(got.data).forEach((g, i) => expect(g).toBeCloseTo(want.data[i], 12))
  })

  it('a fully masked row gives 0 and no gradient', () => {
    const [q, k, v] = [randomLeaf([2, 2], 1), randomLeaf([3, 2], 2), randomLeaf([3, 2], 3)]
    const mask = tensor([[0, 0, 0], [-Infinity, -Infinity, -Infinity]], { dtype: 'float64' })
    const out = F.scaledDotProductAttention(q, k, v, { attnMask: mask })
    expect(Array.from(out.data.slice(2))).toEqual([0, 0])
    out.sum().backward()
    expect(Array.from(q.grad!.data.slice(2))).toEqual([0, 0])
  })

  it('dropoutP > 0 drops weights (composed path) and keeps shapes; dropoutP 0 is the fused result', () => {
    const [q, k, v] = [randomLeaf([1, 4, 4], 1), randomLeaf([1, 4, 4], 2), randomLeaf([1, 4, 4], 3)]
    const out = F.scaledDotProductAttention(q, k, v, { dropoutP: 0.5 })
    expect(out.shape).toEqual([1, 4, 4])
    out.sum().backward()
    expect(q.grad).not.toBeNull()
  })

  it('bad input: masks that do not broadcast, mismatched shapes, int tensors, both masks', () => {
    const [q, k, v] = [randomLeaf([2, 3, 4], 1), randomLeaf([2, 5, 4], 2), randomLeaf([2, 5, 6], 3)]
    expect(() => F.scaledDotProductAttention(q, k, v, { attnMask: tensor([[0, 0, 0, 0]]).reshape([4, 1]) })).toThrow(
      /scaledDotProductAttention: attnMask of shape \[4, 1\] does not broadcast to \[\.\.\., L, S\] = \[2, 3, 5\]/,
    )
    expect(() => F.scaledDotProductAttention(q, k, v, { attnMask: tensor([[0], [0], [0]]).reshape([3, 1, 1]) })).toThrow(/does not broadcast/)
    expect(() => F.scaledDotProductAttention(q, randomLeaf([2, 5, 3], 4), v)).toThrow(/key's last dim \(3\) must equal query's \(4\)/)
    expect(() => F.scaledDotProductAttention(q, k, randomLeaf([2, 4, 6], 5))).toThrow(/value's length \(4\) must equal key's \(5\)/)
    expect(() => F.scaledDotProductAttention(q, randomLeaf([3, 5, 4], 6), randomLeaf([3, 5, 6], 7))).toThrow(/same batch dims/)
    expect(() => F.scaledDotProductAttention(q, k, v, { attnMask: tensor([[0]]), isCausal: true })).toThrow(/either attnMask or isCausal/)
    expect(() => F.scaledDotProductAttention(tensor([[1]], { dtype: 'int32' }), k, v)).toThrow(/query must be float32 or float64/)
    expect(() => F.scaledDotProductAttention(q, k, v, { causal: true } as never)).toThrow(/causal/)
  })
})
