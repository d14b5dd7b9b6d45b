import { describe, expect, test } from 'vitest'
import * as yann from '../../src/index.js'
import { nn, optim, type Tensor } from '../../src/index.js'
import { batch, bits, type DT } from './helpers.js'

/**
 * scaledDotProductAttention with dropoutP > 0 replays under compile(): its dropout mask is
 * dropout's kernel call (drawn anew at every replay, from the global generator, as eager
 * draws it) and its causal mask a constant of the shapes. The project runs every kernel in
 * wasm at any size (test/setup.ts): on wasm these are the wasm kernels.
 */
const path = process.env.YANN_BACKEND === 'wasm' ? 'wasm' : 'js'

/** One attention block: q, k, v projections of x [B, L, E], attention with dropout, a projection out; MSE, Adam. */
function block(dtype: DT, options: yann.F.ScaledDotProductAttentionOptions): { step: (x: Tensor, y: Tensor) => Tensor; params: Tensor[] } {
  const [q, k, v, out] = [0, 1, 2, 3].map(() => new nn.Linear(8, 8, { dtype }))
  const params = [q, k, v, out].flatMap((m) => [...m.parameters()])
  const opt = new optim.Adam(params, { lr: 0.01 })
  const step = (x: Tensor, y: Tensor): Tensor => {
    opt.zeroGrad()
    const a = yann.F.scaledDotProductAttention(q.forward(x), k.forward(x), v.forward(x), { dropoutP: 0.2, ...options })
    const loss = yann.F.mseLoss(out.forward(a), y)
    loss.backward()
    opt.step()
    return loss
  }
  return { step, params }
}

describe.each(['float32', 'float64'] as const)('compile: attention with dropout replays (%s)', (dtype) => {
  test.each([
    ['causal', { isCausal: true }],
    ['no mask, a scale', { scale: 0.3 }],
  ] as const)('%s: 25 steps bit-identical to eager, the same draws after the same manualSeed', (_, options) => {
    const inputs = (i: number) => batch(i, [3, 10, 8], [3, 10, 8], dtype)
    yann.manualSeed(7)
    const eager = block(dtype, options)
    yann.manualSeed(7)
    const twin = block(dtype, options)
    const step = yann.compile(twin.step)
    yann.manualSeed(11)
    const eagerLosses = Array.from({ length: 25 }, (_, i) => eager.step(...inputs(i)).item())
    yann.manualSeed(11)
    const compiledLosses = Array.from({ length: 25 }, (_, i) => step(...inputs(i)).item())
    expect(compiledLosses).toEqual(eagerLosses)
    eager.params.forEach((p, i) => expect(bits(twin.params[i])).toEqual(bits(p)))
    expect(step.lastRun).toBe('replay')
    expect(step.fallbackReason).toBeNull()
    expect(step.replayPath).toBe(path)
    expect(step.recordings).toBe(2) // (.grad null at the first call, set after)
  })

  test('a new mask at every replay', () => {
    const q = yann.ones([1, 6, 4], { dtype })
    const f = (v: Tensor): Tensor => yann.F.scaledDotProductAttention(q, q, v, { dropoutP: 0.5, isCausal: true }).mul(1)
    const step = yann.compile(f)
    const v = yann.ones([1, 6, 4], { dtype })
    const outs = [0, 1, 2, 3, 4].map(() => bits(step(v)))
    expect(step.lastRun).toBe('replay')
    expect(new Set(outs.map((o) => o.join())).size).toBeGreaterThan(1)
  })
})
