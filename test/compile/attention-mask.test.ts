import { describe, expect, test } from 'vitest'
import * as yann from '../../src/index.js'
import { nn, optim, Tensor, tensor } from '../../src/index.js'
import { setInvokeTap } from '../../src/backend/wasm/invoke.js'
import { interpreterStats } from '../../src/compile/wasm-replay.js'
import { batch, bits, type DT } from './helpers.js'

/**
 * scaledDotProductAttention with an attnMask replays under compile(): the additive mask is a
 * kernel call (stridedCopy for a float mask, additiveMask for a bool one), so a new mask at
 * every call is read at replay. The project runs every kernel in wasm at any size
 * (test/setup.ts): on wasm these are the wasm kernels, run in the interpreter with attention.
 */
const onWasm = process.env.YANN_BACKEND === 'wasm'

/** The names of the kernels that run through invoke (wasm calls outside the interpreter) while `fn` runs. */
function invoked(fn: () => void): string[] {
  const names: string[] = []
  const before = setInvokeTap({ before: (name) => void names.push(name), after: () => {} })
  try {
    fn()
  } finally {
    setInvokeTap(before)
  }
  return names
}

type Step = (x: Tensor, y: Tensor, m: Tensor) => Tensor

/** One attention block: q, k, v projections of x [B, L, E], attention with the mask, a projection out; MSE, Adam. */
function block(dtype: DT): { step: Step; params: Tensor[] } {
  const [q, k, v, out] = [0, 1, 2, 3].map(() => new nn.Linear(8, 8, { dtype }))
  const params = [q, k, v, out].flatMap((m) => [...m.parameters()])
  const opt = new optim.Adam(params, { lr: 0.01 })
  const step = (x: Tensor, y: Tensor, m: Tensor): Tensor => {
    opt.zeroGrad()
    const a = yann.F.scaledDotProductAttention(q.forward(x), k.forward(x), v.forward(x), { attnMask: m })
    const loss = yann.F.mseLoss(out.forward(a), y)
    loss.backward()
    opt.step()
    return loss
  }
  return { step, params }
}

const B = 3
const L = 10
/** Keeps the diagonal (no row fully masked) and a pattern that moves with the step. */
const keep = (i: number, k: number): boolean => k % (L + 1) === 0 || (k * 7 + i) % 3 !== 0

describe.each(['float32', 'float64'] as const)('compile: attention with attnMask replays (%s)', (dtype) => {
  const masks: [string, (i: number) => Tensor][] = [
    ['a float mask [L, S]', (i) => tensor(Array.from({ length: L * L }, (_, k) => 2 * Math.sin(0.3 * k + i)), { dtype }).reshape([L, L])],
    ['a float mask per batch [B, 1, S]', (i) => tensor(Array.from({ length: B * L }, (_, k) => (k % 4 === 1 ? -Infinity : Math.cos(k + i))), { dtype }).reshape([B, 1, L])],
    ['a bool mask [L, S]', (i) => new Tensor(Uint8Array.from({ length: L * L }, (_, k) => (keep(i, k) ? 1 : 0)), [L, L])],
    ['a bool mask per batch [B, L, S]', (i) => new Tensor(Uint8Array.from({ length: B * L * L }, (_, k) => (keep(i, k % (L * L)) && (k + i) % 5 !== 2 ? 1 : 0) || (k % (L + 1) === 0 ? 1 : 0)), [B, L, L])],
  ]
  test.each(masks)('%s, a new one at every call: 25 steps bit-identical to eager', (_name, mask) => {
    const inputs = (i: number): [Tensor, Tensor, Tensor] => [...batch(i, [B, L, 8], [B, L, 8], dtype), mask(i)]
    yann.manualSeed(7)
    const eager = block(dtype)
    yann.manualSeed(7)
    const twin = block(dtype)
    const step = yann.compile(twin.step)
    const eagerLosses = Array.from({ length: 25 }, (_, i) => eager.step(...inputs(i)).item())
    const compiledLosses: number[] = []
    const calls = interpreterStats.calls
    const outside = invoked(() => {
      for (let i = 0; i < 25; i++) compiledLosses.push(step(...inputs(i)).item())
    })
    expect(compiledLosses).toEqual(eagerLosses)
    expect(new Set(eagerLosses).size).toBe(25)
    eager.params.forEach((p, i) => expect(bits(twin.params[i])).toEqual(bits(p)))
    expect(step.lastRun).toBe('replay')
    expect(step.fallbackReason).toBeNull()
    expect(step.replayPath).toBe(onWasm ? 'wasm' : 'js')
    expect(step.recordings).toBe(2) // (.grad null at the first call, set after)
    // The 23 replays are one interpreter call each, attention and the mask's kernel in it: no kernel from JavaScript.
    // (The recordings' calls go to compile's own tap.)
    expect(outside).toEqual([])
    expect(interpreterStats.calls - calls).toBe(onWasm ? 23 : 0)
  })
})
