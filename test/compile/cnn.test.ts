import { afterEach, expect, test } from 'vitest'
import { nn, optim, setBackend, type Tensor } from '../../src/index.js'
import { wasmExports } from '../../src/backend/wasm/runtime.js'
import { interpreterStats } from '../../src/compile/wasm-replay.js'
import { batch, expectSameAsEager, type DT, type Setup } from './helpers.js'
import { trainingStep } from './setups.js'

/**
 * A compiled CNN step (convolutions and pooling, run in the plan interpreter on wasm) against
 * the same step run eagerly, bit for bit.
 */
const onWasm = process.env.YANN_BACKEND === 'wasm'

afterEach(() => setBackend(onWasm ? 'wasm' : 'ts', onWasm ? { dispatchSmall: false } : {}))

class Flatten extends nn.Module {
  forward(x: Tensor): Tensor {
    return x.reshape([x.shape[0], -1])
  }
}

/** bench/cnn.ts's reference CNN: cross-entropy on one-hot (probability) targets, SGD with momentum. */
function referenceCnn(dtype: DT): Setup {
  const model = new nn.Sequential(
    new nn.Conv2d(1, 8, 3, { padding: 1, dtype }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(8, 16, 3, { padding: 1, dtype }), new nn.ReLU(), new nn.MaxPool2d(2),
    new Flatten(), new nn.Linear(784, 10, { dtype }),
  )
  return trainingStep(model, new optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 }), new nn.CrossEntropyLoss())
}

test.each(['float32', 'float64'] as const)('the reference CNN at batch 64 (one-hot targets, %s): 20 compiled steps bit-identical to eager, a replay one call into wasm', (dtype) => {
  if (onWasm) setBackend('wasm') // as the bench runs it: small arrays on the ts kernels
  // (Fewer steps on the ts backend, where one takes ~0.15 s.)
  const step = expectSameAsEager(() => referenceCnn(dtype), (i) => batch(i, [64, 1, 28, 28], [64, 10], dtype, true), onWasm ? 20 : 4)
  expect(step.lastRun).toBe('replay')
  expect(step.fallbackReason).toBeNull()
  expect(step.replayPath).toBe(onWasm ? 'wasm' : 'js')
  expect(step.interpreterReason).toBe(onWasm ? null : 'not the wasm backend')
  // The loss's mean over the batch and the convolutions' bias sums ran on the ts kernels in eager: their wasm twins replay in the one call.
  const calls = interpreterStats.calls
  step(...batch(20, [64, 1, 28, 28], [64, 10], dtype, true))
  expect(interpreterStats.calls - calls).toBe(onWasm ? 1 : 0)
})

test('memory.grow after a convolution read its weight, during the recording: the plan lowers and replays bit-identically', () => {
  const build = (): Setup => {
    const model = new nn.Sequential(new nn.Conv2d(2, 3, 3), new nn.ReLU(), new Flatten(), new nn.Linear(12, 2))
    const forward = (x: Tensor): Tensor => {
      const h = model.forward(x) as Tensor
      if (onWasm) wasmExports()!.memory.grow(1) // detaches the weight's view the conv2d call was given
      return h
    }
    return trainingStep(model, new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.5 }), new nn.MSELoss(), forward)
  }
  const step = expectSameAsEager(build, (i) => batch(i, [3, 2, 4, 4], [3, 2], 'float32'), 8)
  expect(step.lastRun).toBe('replay')
  expect(step.replayPath).toBe(onWasm ? 'wasm' : 'js')
  expect(step.interpreterReason).toBe(onWasm ? null : 'not the wasm backend')
})
