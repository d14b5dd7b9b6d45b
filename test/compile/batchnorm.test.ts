import { afterEach, describe, expect, test } from 'vitest'
import { compile, F, manualSeed, nn, optim, ones, Tensor, zeros } from '../../src/index.js'
import { compileSwitch } from '../../src/compile/compile.js'
import { versionOf } from '../../src/autograd/version.js'
import { interpreterStats } from '../../src/compile/wasm-replay.js'
import { batch, bits, type DT, type Setup } from './helpers.js'
import { trainingStep } from './setups.js'

/**
 * BatchNorm in training mode replays in a compiled step: its running statistics and
 * numBatchesTracked are updated in place by JavaScript steps the replay runs again (they made
 * every such step fall back to eager). Both replay paths; every parameter, buffer and version
 * equal to eager's bit for bit after each call.
 */
const onWasm = process.env.YANN_BACKEND === 'wasm'

afterEach(() => {
  compileSwitch.interpreter = true
})

class Flatten extends nn.Module {
  forward(x: Tensor): Tensor {
    return x.reshape([x.shape[0], -1])
  }
}

function cnn(dtype: DT, momentum: number | null = 0.1): Setup {
  const model = new nn.Sequential(
    new nn.Conv2d(1, 4, 3, { padding: 1, dtype }), new nn.BatchNorm2d(4, { dtype, momentum }), new nn.ReLU(), new nn.MaxPool2d(2),
    new Flatten(), new nn.Linear(16, 6, { dtype }), new nn.BatchNorm1d(6, { dtype, momentum }), new nn.Tanh(), new nn.Linear(6, 3, { dtype }),
  )
  return trainingStep(model, new optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 }))
}

/** Runs `steps` calls of the step eagerly and compiled on twins; every loss, parameter, buffer and buffer version must agree. */
function sameAsEager(build: () => Setup, dtype: DT, steps: number) {
  manualSeed(3)
  const eager = build()
  manualSeed(3)
  const twin = build()
  const step = compile(twin.step)
  for (let i = 0; i < steps; i++) {
    const [x, y] = batch(i, [5, 1, 4, 4], [5, 3], dtype)
    expect(bits(step(x, y)), `loss ${i}`).toEqual(bits(eager.step(x, y)))
    const [a, b] = [eager.model, twin.model].map((m) => [...m.parameters(), ...m.buffers()])
    a.forEach((t, k) => {
      expect(bits(b[k]), `tensor ${k} after call ${i}`).toEqual(bits(t))
      expect(versionOf(b[k]), `version of tensor ${k} after call ${i}`).toBe(versionOf(t))
    })
  }
  return step
}

describe.each(['wasm', 'js'] as const)('compile: BatchNorm in training mode replays (%s replay)', (path) => {
  test.each(['float32', 'float64'] as const)('a CNN with BatchNorm2d and BatchNorm1d: 6 calls bit-identical to eager, running statistics included (%s)', (dtype) => {
    compileSwitch.interpreter = path === 'wasm'
    const step = sameAsEager(() => cnn(dtype), dtype, 6)
    expect(step.lastRun).toBe('replay')
    expect(step.fallbackReason).toBeNull()
    // (On wasm the statistics are updated by the interpreter, copied in and out at each call.)
    expect(step.replayPath).toBe(onWasm && path === 'wasm' ? 'wasm' : 'js')
  })

  test('F.batchNorm on running statistics passed as inputs updates each call\'s tensors', () => {
    compileSwitch.interpreter = path === 'wasm'
    const f = (x: Tensor, rm: Tensor, rv: Tensor): Tensor => F.batchNorm(x, rm, rv, null, null, { training: true, momentum: 0.3 })
    const step = compile(f)
    for (let i = 0; i < 4; i++) {
      const [x] = batch(i, [5, 3], [1], 'float32')
      const [rm, rv] = [zeros([3]).add(i), ones([3]).mul(i + 1)]
      const [erm, erv] = [rm.clone(), rv.clone()]
      expect(bits(step(x, rm, rv))).toEqual(bits(f(x, erm, erv)))
      expect([bits(rm), bits(rv)]).toEqual([bits(erm), bits(erv)])
    }
    expect(step.lastRun).toBe('replay')
    expect(step.fallbackReason).toBeNull()
  })
})

describe.each(['float32', 'float64'] as const)('compile: the batchNorm kernels in the wasm plan interpreter (%s)', (dtype) => {
  /**
   * An MLP with BatchNorm1d, with batch statistics or (eval) running ones: the whole step is one
   * interpreter call on wasm (the running statistics, buffers in JS memory, copied in at each call).
   */
  const mlp = (train: boolean) => () => {
    const bn = new nn.BatchNorm1d(6, { dtype, trackRunningStats: !train })
    const model = new nn.Sequential(new nn.Linear(4, 6, { dtype }), bn, new nn.Tanh(), new nn.Linear(6, 3, { dtype }))
    if (!train) model.eval()
    return trainingStep(model, new optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 }))
  }
  test.each([['batch statistics', true], ['running statistics (eval)', false]] as const)('%s: bit-identical to eager', (_, train) => {
    manualSeed(3)
    const eager = mlp(train)()
    manualSeed(3)
    const twin = mlp(train)()
    const step = compile(twin.step)
    for (let i = 0; i < 5; i++) {
      const [x, y] = batch(i, [7, 4], [7, 3], dtype)
      const calls = interpreterStats.calls
      expect(bits(step(x, y)), `loss ${i}`).toEqual(bits(eager.step(x, y)))
      if (i >= 2) expect(interpreterStats.calls - calls).toBe(onWasm ? 1 : 0)
    }
    twin.params.forEach((p, k) => expect(bits(p)).toEqual(bits(eager.params[k])))
    expect(step.lastRun).toBe('replay')
    expect(step.fallbackReason).toBeNull()
  })
})

test('momentum null (a cumulative average, 1/numBatchesTracked read in JavaScript) falls back to eager, equal to it', () => {
  const step = sameAsEager(() => cnn('float32', null), 'float32', 4)
  expect(step.lastRun).toBe('eager')
  expect(step.fallbackReason).toMatch(/BatchNorm2d with momentum null reads numBatchesTracked/)
})

test('running statistics made inside the step from constants: a replay would update the last call\'s, so it falls back', () => {
  const f = (x: Tensor): Tensor => F.batchNorm(x, zeros([3]), ones([3]), null, null, { training: true })
  const step = compile(f)
  for (let i = 0; i < 3; i++) step(batch(i, [5, 3], [1], 'float32')[0])
  expect(step.lastRun).toBe('eager')
  expect(step.fallbackReason).toMatch(/in-place op wrote into a tensor the step made from constants/)
})
