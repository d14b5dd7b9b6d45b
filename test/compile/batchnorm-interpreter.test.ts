import { afterEach, describe, expect, test } from 'vitest'
import { compile, full, manualSeed, nn, optim, setBackend, Tensor } from '../../src/index.js'
import { interpreterStats } from '../../src/compile/wasm-replay.js'
import { batch, bits, type DT, type Setup } from './helpers.js'
import { trainingStep } from './setups.js'

/**
 * A CNN with BatchNorm in the wasm plan interpreter: the running statistics' update and the
 * batch count are interpreter ops, and the running buffers (JS memory, made before the call)
 * are copied in before each call and out after it, so a training or eval step is one call into
 * wasm, bit-identical to eager, and a write from JavaScript between calls is seen.
 */
const onWasm = process.env.YANN_BACKEND === 'wasm'

afterEach(() => setBackend(onWasm ? 'wasm' : 'ts', onWasm ? { dispatchSmall: false } : {}))

class Flatten extends nn.Module {
  forward(x: Tensor): Tensor {
    return x.reshape([x.shape[0], -1])
  }
}

function cnn(dtype: DT, train: boolean): Setup {
  const model = new nn.Sequential(
    new nn.Conv2d(1, 8, 3, { padding: 1, dtype }), new nn.BatchNorm2d(8, { dtype, momentum: 0.3 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(8, 16, 3, { padding: 1, dtype }), new nn.BatchNorm2d(16, { dtype }), new nn.ReLU(), new nn.AvgPool2d(2),
    new Flatten(), new nn.Linear(144, 10, { dtype }), new nn.BatchNorm1d(10, { dtype }),
  )
  // Running statistics away from their initial zeros and ones, so that eval uses real values.
  for (const [k, t] of [...model.buffers()].entries()) if (t.dtype !== 'int32') (t.data as Float32Array).forEach((_, i, a) => (a[i] += 0.1 * ((i + k) % 5)))
  if (!train) model.eval()
  return trainingStep(model, new optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 }), new nn.CrossEntropyLoss())
}

const inputs = (i: number, dtype: DT) => batch(i, [8, 1, 12, 12], [8, 10], dtype, true)

/** Every parameter and buffer (running statistics, numBatchesTracked) of the two models, bit for bit. */
function expectSameState(eager: Setup, twin: Setup, when: string): void {
  const [a, b] = [eager.model, twin.model].map((m) => [...m.parameters(), ...m.buffers()])
  a.forEach((t, k) => expect(bits(b[k]), `tensor ${k} ${when}`).toEqual(bits(t)))
}

/** Runs `steps` calls eagerly and compiled on twins (`between` runs on both before each call); returns the interpreter calls of the last. */
function run(dtype: DT, train: boolean, steps: number, between?: (i: number, s: Setup) => void) {
  manualSeed(5)
  const eager = cnn(dtype, train)
  manualSeed(5)
  const twin = cnn(dtype, train)
  const step = compile(twin.step)
  let calls = 0
  for (let i = 0; i < steps; i++) {
    between?.(i, eager)
    between?.(i, twin)
    const [x, y] = inputs(i, dtype)
    const before = interpreterStats.calls
    expect(bits(step(x, y)), `loss ${i}`).toEqual(bits(eager.step(x, y)))
    calls = interpreterStats.calls - before
    expectSameState(eager, twin, `after call ${i}`)
  }
  expect(step.lastRun).toBe('replay')
  return { step, calls, eager, twin }
}

describe.each(['float32', 'float64'] as const)('compile: a CNN with BatchNorm in the plan interpreter (%s)', (dtype) => {
  test.each([['training', true], ['eval', false]] as const)('%s: 20 steps bit-identical to eager, buffers included, 1 interpreter call per replay', (_, train) => {
    const { step, calls, twin } = run(dtype, train, 20)
    expect(step.interpreterReason).toBe(onWasm ? null : 'not the wasm backend')
    expect(calls).toBe(onWasm ? 1 : 0)
    const counts = [...twin.model.modules()].flatMap((m) => (m instanceof nn.BatchNorm1d || m instanceof nn.BatchNorm2d ? [m.numBatchesTracked!.item()] : []))
    expect(counts).toEqual(train ? [20, 20, 20] : [0, 0, 0])
  })

  test('on the default wasm backend (small arrays on the ts kernels): 20 steps bit-identical, 3 interpreter calls per replay', () => {
    setBackend('wasm')
    // Kernels that ran on ts below the small-size threshold replay their wasm twins (src/backend/wasm/twins.ts) in the
    // interpreter; those without one run from JS between segments: BatchNorm1d's batchNorm and batchNormBackward on its
    // 8×10 input, and the loss's softmaxBackward.
    const { calls } = run(dtype, true, 20)
    expect(calls).toBe(3)
  })

  test('running statistics written from JavaScript between calls: the replay uses the new values', () => {
    const { step } = run(dtype, false, 6, (i, s) => {
      const bn = (s.model as nn.Sequential).at(1) as nn.BatchNorm2d
      if (i === 3) bn.runningMean!.data.fill(0.5) // in place, as a user or loadStateDict would
      if (i === 4) bn.runningVar!.copy_(full([8], 2, { dtype }))
    })
    expect(step.interpreterReason).toBe(onWasm ? null : 'not the wasm backend')
  })

  test('a running buffer replaced between calls: the plan is recorded again, equal to eager', () => {
    const { step } = run(dtype, true, 6, (i, s) => {
      if (i === 3) ((s.model as nn.Sequential).at(5) as nn.BatchNorm2d).registerBuffer('running_var', full([16], 3, { dtype }))
    })
    expect(step.interpreterReason).toBe(onWasm ? null : 'not the wasm backend')
  })
})
