import { afterEach, describe, expect, test } from 'vitest'
import { compile, manualSeed, matmul, nn, optim, Tensor, tensor, where } from '../../src/index.js'
import * as F from '../../src/functional.js'
import { compileSwitch } from '../../src/compile/compile.js'
import { bits } from './helpers.js'
import { classBatch } from './setups.js'

/**
 * Integer results under compile() (src/promote.ts): they come from float64 kernels narrowed by
 * a replayed step, so a replay recomputes them from each call's inputs (never the recorded
 * number), and an overflow at a replay is eager's error.
 */
afterEach(() => {
  compileSwitch.interpreter = true
})

const paths = ['wasm', 'js'] as const

describe.each(paths)('compile: integer results (%s replay)', (path) => {
  test('a training step that counts correct predictions (pred.argmax(1).eq(y).sum()): bit-identical to eager, int32', () => {
    compileSwitch.interpreter = path === 'wasm'
    const build = (): ((x: Tensor, y: Tensor) => Tensor[]) => {
      manualSeed(7)
      const model = new nn.Sequential(new nn.Linear(12, 16), new nn.ReLU(), new nn.Linear(16, 5))
      const opt = new optim.SGD(model.parameters(), { lr: 0.1 })
      return (x, y) => {
        opt.zeroGrad()
        const pred = model.forward(x) as Tensor
        const loss = F.crossEntropy(pred, y)
        loss.backward()
        opt.step()
        return [loss, pred.argmax(1).eq(y).sum()]
      }
    }
    const eager = build()
    const twin = build()
    const step = compile(twin)
    const counts: number[] = []
    for (let i = 0; i < 12; i++) {
      const [x, y] = classBatch(i, 24, 'float32')
      const [l1, c1] = eager(x, y)
      const [l2, c2] = step(x, y)
      expect(c2.dtype).toBe('int32')
      expect(bits(c2)).toEqual(bits(c1))
      expect(bits(l2)).toEqual(bits(l1))
      counts.push(c2.item())
    }
    expect(step.lastRun).toBe('replay')
    expect(step.fallbackReason).toBeNull()
    expect(new Set(counts).size).toBeGreaterThan(1) // the count changed between calls: no stale number
  })

  test('where of floats replays each call\'s selection (it replayed the recorded one, silently, before)', () => {
    compileSwitch.interpreter = path === 'wasm'
    const f = (x: Tensor): Tensor => where(x.gt(0), x, 0).sum()
    const step = compile(f)
    for (let i = 0; i < 6; i++) {
      const x = tensor([[i, 1, 0], [0, 2 - i, 1], [1, 0, i - 3]])
      expect(bits(step(x))).toEqual(bits(f(x)))
    }
    expect(step.lastRun).toBe('replay')
  })

  test('where of integers replays as int32', () => {
    compileSwitch.interpreter = path === 'wasm'
    const f = (k: Tensor): Tensor => where(k.gt(0), k, k.neg().add(1))
    const step = compile(f)
    for (let i = 0; i < 6; i++) {
      const k = tensor([i - 2, 2 ** 30 + 1, -i], { dtype: 'int32' })
      const w = step(k)
      expect(w.dtype).toBe('int32')
      expect(bits(w)).toEqual(bits(f(k)))
    }
    expect(step.lastRun).toBe('replay')
    expect(step.fallbackReason).toBeNull()
  })

  test('an overflow at a replay throws eager\'s error; int32 matmul checks its operands at every call', () => {
    compileSwitch.interpreter = path === 'wasm'
    const f = (a: Tensor, b: Tensor): Tensor => matmul(a, b).add(a.sum())
    const step = compile(f)
    const small = (i: number): Tensor => tensor([[i, 2], [3, 4]], { dtype: 'int32' })
    for (let i = 0; i < 3; i++) expect(step(small(i), small(1)).toArray()).toEqual(f(small(i), small(1)).toArray())
    expect(step.lastRun).toBe('replay')
    const big = tensor([[2 ** 30, 2 ** 30], [3, 4]], { dtype: 'int32' })
    expect(() => step(big, small(1))).toThrow(/^add: integer overflow|^sum: integer overflow|^matmul: integer overflow/)
    const huge = tensor([[2 ** 30 + 1, 0], [0, 0]], { dtype: 'int32' })
    expect(() => step(huge, huge)).toThrow(/^matmul: int32 operands \[2, 2\] and \[2, 2\] are too large for an exact product/)
  })

  test('a cast to int32 range-checks at every replay (it wrapped 2^32 to 0 silently before)', () => {
    compileSwitch.interpreter = path === 'wasm'
    const f = (x: Tensor): Tensor => x.mul(2).int()
    const step = compile(f)
    for (const v of [1.75, -3.5, 1, 2 ** 29]) expect(bits(step(tensor([v, 0.5])))).toEqual(bits(f(tensor([v, 0.5]))))
    expect(step.lastRun).toBe('replay')
    expect(() => step(tensor([2 ** 31, 0]))).toThrow('to: value 4294967296 (element 0) cannot be converted to int32 without overflow')
  })

  test('a cast to bool replays (it fell back to eager before)', () => {
    compileSwitch.interpreter = path === 'wasm'
    const f = (x: Tensor): Tensor => x.sub(1).bool()
    const step = compile(f)
    for (const v of [1.75, 1, -2]) {
      const y = step(tensor([v, 0.5]))
      expect(y.dtype).toBe('bool')
      expect(bits(y)).toEqual(bits(f(tensor([v, 0.5]))))
    }
    expect(step.lastRun).toBe('replay')
  })

  test('cumsum and prod of integers (JavaScript loops) replay each call\'s values, an int32 overflow with eager\'s error', () => {
    compileSwitch.interpreter = path === 'wasm'
    const f = (k: Tensor): Tensor[] => [k.cumsum(0), k.prod()]
    const step = compile(f)
    for (let i = 1; i < 5; i++) {
      const k = tensor([i, 2 ** 15 + i, -1], { dtype: 'int32' })
      const [c1, p1] = f(k)
      const [c2, p2] = step(k)
      expect(bits(c2)).toEqual(bits(c1))
      expect(bits(p2)).toEqual(bits(p1))
    }
    expect(step.lastRun).toBe('replay')
    expect(step.fallbackReason).toBeNull()
    const big = tensor([2 ** 16, 2 ** 15, 1], { dtype: 'int32' }) // a product of 2³¹
    const thrown = (g: () => unknown): string => {
      try {
        g()
      } catch (e) {
        return (e as Error).message
      }
      return 'no error'
    }
    expect(thrown(() => f(big))).toMatch(/prod/)
    expect(thrown(() => step(big))).toBe(thrown(() => f(big)))
  })
})
