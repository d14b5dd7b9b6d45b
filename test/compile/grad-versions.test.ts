import { describe, expect, it } from 'vitest'
import { compile, nn, tensor, type Tensor } from '../../src/index.js'

/**
 * A compiled step whose backward sums into a .grad from before the call writes it in place, as
 * eager's backward does: a graph that saved that .grad refuses to run after the replay, as it
 * does after an eager call (test/autograd/versions.test.ts), rather than read the new sum.
 */

describe('a replay that sums into an existing .grad bumps its version, as eager', () => {
  for (const kind of ['tensor', 'Parameter'] as const) {
    it(`on a ${kind}`, () => {
      const p = kind === 'tensor' ? tensor([1, 2], { requiresGrad: true }) : new nn.Parameter(tensor([1, 2]))
      const step = compile((x: Tensor) => {
        p.mul(p).mul(x).sum().backward() // no zeroGrad: accumulates into p.grad
      })
      const x = tensor([1, 1])
      for (let i = 0; i < 3; i++) step(x)
      expect(step.fallbackReason).toBeNull()
      expect(step.lastRun).toBe('replay')
      const w = tensor([1, 1], { requiresGrad: true })
      const y = w.mul(p.grad!).sum() // saves p.grad, now [6, 12]
      step(x) // p.grad += 2p in place: [8, 16]
      expect(step.lastRun).toBe('replay')
      expect(Array.from(p.grad!.data)).toEqual([8, 16])
      expect(() => y.backward()).toThrow(/modified by an in-place operation/)
      expect(w.grad).toBeNull()
    })
  }
})
