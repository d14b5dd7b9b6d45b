import { afterEach, describe, expect, test } from 'vitest'
import * as yann from '../../src/index.js'
import { compile, nn, optim, Tensor } from '../../src/index.js'
import { compileSwitch } from '../../src/compile/compile.js'
import { interpreterStats } from '../../src/compile/wasm-replay.js'
import { bits, type DT } from './helpers.js'

/**
 * index() with several int32 index tensors replays under compile(): their flat index is a
 * kernel (Backend.flatIndex) reading each call's range-checked indices, and the interpreter
 * runs it with the indexSelect and indexAdd around it. The project runs every kernel in wasm
 * at any size (test/setup.ts): on wasm these are the wasm kernels.
 */
const onWasm = process.env.YANN_BACKEND === 'wasm'
const ints = (v: number[], shape: number[]): Tensor => new Tensor(Int32Array.from(v), shape)

/** Indices of step i: rows [40, 1] in [−6, 6), cols [1, 8] in [−5, 5) (negative ones wrap), broadcast to [40, 8]. */
function indices(i: number): [Tensor, Tensor] {
  const rows = ints(Array.from({ length: 40 }, (_, k) => ((k * 7 + i * 5) % 12) - 6), [40, 1])
  const cols = ints(Array.from({ length: 8 }, (_, k) => ((k * 3 + i) % 10) - 5), [1, 8])
  return [rows, cols]
}

/** A table W [6, 5, 4] picked at W[rows, cols] → [40, 8, 4], a loss on the picks, SGD with momentum. */
function table(dtype: DT): { step: (r: Tensor, c: Tensor) => Tensor; w: nn.Parameter } {
  const w = new nn.Parameter(yann.randn([6, 5, 4], { dtype }))
  const opt = new optim.SGD([w], { lr: 0.1, momentum: 0.9 })
  const step = (r: Tensor, c: Tensor): Tensor => {
    opt.zeroGrad()
    const loss = w.index(r, c).tanh().square().mean()
    loss.backward()
    opt.step()
    return loss
  }
  return { step, w }
}

afterEach(() => {
  compileSwitch.interpreter = true
})

describe.each(['float32', 'float64'] as const)('compile: index() with several index tensors (%s)', (dtype) => {
  test('a training step picking W[rows, cols]: 25 steps bit-identical to eager, in the interpreter on wasm', () => {
    yann.manualSeed(3)
    const eager = table(dtype)
    yann.manualSeed(3)
    const twin = table(dtype)
    const step = compile(twin.step)
    for (let i = 0; i < 25; i++) expect(step(...indices(i)).item()).toBe(eager.step(...indices(i)).item())
    expect(bits(twin.w)).toEqual(bits(eager.w))
    expect(step.lastRun).toBe('replay')
    expect(step.fallbackReason).toBeNull()
    expect(step.replayPath).toBe(onWasm ? 'wasm' : 'js')
    const calls = interpreterStats.calls
    step(...indices(30))
    // The index checks run in JS first; the rest, the optimiser's update included, is one call.
    expect(interpreterStats.calls - calls).toBe(onWasm ? 1 : 0)
  })

  test.each(['wasm', 'js'] as const)('an index out of range at replay: eager\'s error, not a trap or a wrong number (%s replay)', (path) => {
    compileSwitch.interpreter = path === 'wasm'
    yann.manualSeed(4)
    const w = new nn.Parameter(yann.randn([6, 5, 4], { dtype })) // (in wasm memory: closure tensors in JS memory keep a plan off the interpreter)
    const f = (r: Tensor, c: Tensor): Tensor => w.index(r, c).mul(2)
    const step = compile(f)
    for (let i = 0; i < 4; i++) expect(bits(step(...indices(i)))).toEqual(bits(f(...indices(i))))
    expect(step.lastRun).toBe('replay')
    expect(step.replayPath).toBe(path === 'wasm' && onWasm ? 'wasm' : 'js')
    const [rows, cols] = indices(0)
    const badRows = (v: number) => ints(Array.from(rows.data, (x, k) => (k === 9 ? v : x)), [40, 1])
    const badCols = (v: number) => ints(Array.from(cols.data, (x, k) => (k === 2 ? v : x)), [1, 8])
    for (const [r, c, message] of [
      [badRows(6), cols, 'index: index 6 is out of range for dim 0 of size 6 (tensor of shape [6, 5, 4]); valid indices are -6 to 5'],
      [badRows(-7), cols, 'index: index -7 is out of range for dim 0 of size 6'],
      [rows, badCols(5), 'index: index 5 is out of range for dim 1 of size 5 (tensor of shape [6, 5, 4]); valid indices are -5 to 4'],
      [rows, badCols(1000000), 'index: index 1000000 is out of range for dim 1 of size 5'],
    ] as const) {
      expect(() => f(r, c)).toThrow(message)
      expect(() => step(r, c)).toThrow(message)
    }
    expect(bits(step(...indices(5)))).toEqual(bits(f(...indices(5))))
    expect(step.lastRun).toBe('replay')
  })
})
