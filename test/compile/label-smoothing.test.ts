import { afterEach, describe, expect, test } from 'vitest'
import { compile, nn, Tensor, tensor } from '../../src/index.js'
import * as F from '../../src/functional.js'
import { compileSwitch } from '../../src/compile/compile.js'
import { interpreterStats } from '../../src/compile/wasm-replay.js'
import { bits, expectSameAsEager } from './helpers.js'
import { classBatch as batch, classMlp as mlp } from './setups.js'

/**
 * crossEntropy with label smoothing and int32 class targets replays under compile(): the kept
 * mask and the summed weights of each call's targets are a kernel (Backend.targetMask), so
 * the wasm interpreter runs the whole step. The project runs every kernel in wasm at any size
 * (test/setup.ts), so on wasm these are the wasm kernels, not the ts ones of small inputs.
 */
const onWasm = process.env.YANN_BACKEND === 'wasm'

afterEach(() => {
  compileSwitch.interpreter = true
})

describe.each(['float32', 'float64'] as const)('compile: label smoothing with class-index targets (%s)', (dtype) => {
  const losses: [string, () => { forward(y: Tensor, t: Tensor): Tensor }][] = [
    ['labelSmoothing 0.1 (mean)', () => new nn.CrossEntropyLoss({ labelSmoothing: 0.1 })],
    ['labelSmoothing 0.2, ignoreIndex 3 (mean)', () => new nn.CrossEntropyLoss({ labelSmoothing: 0.2, ignoreIndex: 3 })],
    ['labelSmoothing 0.3, class weights, ignoreIndex 4 (mean)', () => new nn.CrossEntropyLoss({ labelSmoothing: 0.3, weight: tensor([1, 0.5, 2, 1.5, 1], { dtype }), ignoreIndex: 4 })],
    ['labelSmoothing 0.1 (sum)', () => new nn.CrossEntropyLoss({ labelSmoothing: 0.1, reduction: 'sum' })],
    ['labelSmoothing 0.5, per sample (none) then summed', () => ({ forward: (y: Tensor, t: Tensor) => F.crossEntropy(y, t, { labelSmoothing: 0.5, reduction: 'none' }).sum() })],
  ]
  for (const [name, lossFn] of losses) {
    test(`an MLP step with ${name}: bit-identical to eager over 30 steps, no fallback`, () => {
      const step = expectSameAsEager(() => mlp(dtype, lossFn()), (i) => batch(i, 150, dtype), 30)
      expect(step.lastRun).toBe('replay')
      expect(step.fallbackReason).toBeNull()
      // (A class weight made before the call, in JS memory, keeps a plan off the interpreter.)
      if (!name.includes('weights')) expect(step.replayPath).toBe(onWasm ? 'wasm' : 'js')
    })
  }

  test('the interpreter runs the whole step, the mask included: one call into wasm per replay', () => {
    const step = expectSameAsEager(() => mlp(dtype, new nn.CrossEntropyLoss({ labelSmoothing: 0.1, ignoreIndex: 2 })), (i) => batch(i, 150, dtype), 5)
    const calls = interpreterStats.calls
    step(...batch(9, 150, dtype))
    expect(interpreterStats.calls - calls).toBe(onWasm ? 1 : 0)
    expect(step.lastRun).toBe('replay')
  })

  test.each(['wasm', 'js'] as const)('a target out of range at replay: eager\'s error; every target ignored: NaN, as eager (%s replay)', (path) => {
    compileSwitch.interpreter = path === 'wasm'
    const lin = new nn.Linear(12, 5, { dtype })
    const f = (x: Tensor, t: Tensor): Tensor => F.crossEntropy(lin.forward(x), t, { ignoreIndex: -1, labelSmoothing: 0.25 })
    const step = compile(f)
    const [x, t] = batch(0, 150, dtype)
    for (let i = 0; i < 3; i++) expect(bits(step(...batch(i, 150, dtype)))).toEqual(bits(f(...batch(i, 150, dtype))))
    expect(step.lastRun).toBe('replay')
    expect(step.replayPath).toBe(path === 'wasm' && onWasm ? 'wasm' : 'js')
    for (const bad of [5, -2, 1000000]) {
      const tb = new Tensor(Int32Array.from(t.data, (v, k) => (k === 7 ? bad : v)), [150])
      expect(() => step(x, tb)).toThrow(`crossEntropy: target class ${bad} at position 7 is out of range for 5 classes (expected 0 to 4, or ignoreIndex -1; input shape [150, 5], target shape [150])`)
    }
    const none = new Tensor(new Int32Array(150).fill(-1), [150])
    expect(step(x, none).item()).toBeNaN()
    expect(step.lastRun).toBe('replay')
    expect(bits(step(x, t))).toEqual(bits(f(x, t)))
  })
})
