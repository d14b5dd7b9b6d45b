import { afterEach, describe, expect, test } from 'vitest'
import { compile, nn, Tensor, tensor } from '../../src/index.js'
import * as F from '../../src/functional.js'
import { compileSwitch } from '../../src/compile/compile.js'
import { interpreterStats } from '../../src/compile/wasm-replay.js'
import { bits, expectSameAsEager } from './helpers.js'
import { classBatch as batch, classMlp as mlp } from './setups.js'

/**
 * crossEntropy and nllLoss with int32 class targets replay under compile(): the pick and its
 * gradient are kernels (Backend.nllLoss), the targets are range-checked at every replay.
 */
const onWasm = process.env.YANN_BACKEND === 'wasm'

afterEach(() => {
  compileSwitch.interpreter = true
})

describe.each(['float32', 'float64'] as const)('compile: class-index targets (%s)', (dtype) => {
  const losses: [string, () => { forward(y: Tensor, t: Tensor): Tensor }][] = [
    ['crossEntropy (mean)', () => new nn.CrossEntropyLoss()],
    ['crossEntropy with class weights, ignoreIndex 4 (mean)', () => new nn.CrossEntropyLoss({ weight: tensor([1, 0.5, 2, 1.5, 1], { dtype }), ignoreIndex: 4 })],
    ['crossEntropy (sum)', () => new nn.CrossEntropyLoss({ reduction: 'sum' })],
    ['nllLoss of logSoftmax, per sample (none) then summed', () => ({ forward: (y: Tensor, t: Tensor) => F.nllLoss(y.logSoftmax(1), t, { reduction: 'none' }).sum() })],
  ]
  for (const [name, lossFn] of losses) {
    test(`an MLP step with ${name}: bit-identical to eager over 100 steps, no fallback`, () => {
      const step = expectSameAsEager(() => mlp(dtype, lossFn()), (i) => batch(i, 24, dtype), 100)
      expect(step.lastRun).toBe('replay')
      expect(step.fallbackReason).toBeNull()
      expect(step.recordings).toBe(2) // (.grad null at the first call, set after)
      // (A class weight made before the call, in JS memory, keeps a plan off the interpreter.)
      if (!name.includes('weights')) expect(step.replayPath).toBe(onWasm ? 'wasm' : 'js')
    })
  }

  test('the interpreter runs the loss: one call into wasm per replay', () => {
    const step = expectSameAsEager(() => mlp(dtype, new nn.CrossEntropyLoss()), (i) => batch(i, 24, dtype), 5)
    const calls = interpreterStats.calls
    step(...batch(9, 24, dtype))
    expect(interpreterStats.calls - calls).toBe(onWasm ? 1 : 0)
  })

  test.each(['wasm', 'js'] as const)('a target out of range at replay: eager\'s error (%s replay)', (path) => {
    compileSwitch.interpreter = path === 'wasm'
    const lin = new nn.Linear(12, 5, { dtype })
    const f = (x: Tensor, t: Tensor): Tensor => F.crossEntropy(lin.forward(x), t, { ignoreIndex: -1 })
    const step = compile(f)
    const [x, t] = batch(0, 24, dtype)
    for (let i = 0; i < 3; i++) expect(bits(step(x, t))).toEqual(bits(f(x, t)))
    expect(step.lastRun).toBe('replay')
    for (const bad of [5, -2, 1000000]) {
      const tb = new Tensor(Int32Array.from(t.data, (v, k) => (k === 7 ? bad : v)), [24])
      expect(() => step(x, tb)).toThrow(`crossEntropy: target class ${bad} at position 7 is out of range for 5 classes (expected 0 to 4, or ignoreIndex -1; input shape [24, 5], target shape [24])`)
    }
    const none = new Tensor(new Int32Array(24).fill(-1), [24])
    expect(step(x, none).item()).toBeNaN() // the mean over no counted target, as PyTorch
    expect(bits(step(x, t))).toEqual(bits(f(x, t)))
  })
})
