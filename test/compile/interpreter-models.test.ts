import { afterEach, describe, expect, test } from 'vitest'
import * as yann from '../../src/index.js'
import { nn, optim, setBackend, type Tensor } from '../../src/index.js'
import { crossEntropy } from '../../src/functional.js'
import { GPT } from '../../src/models/gpt.js'
import { setInvokeTap } from '../../src/backend/wasm/invoke.js'
import { interpreterStats } from '../../src/compile/wasm-replay.js'
import { batch, expectSameAsEager, type DT, type Setup } from './helpers.js'
import { block, trainingStep } from './setups.js'

/**
 * CNN and transformer steps in the wasm plan interpreter: convolution, pooling, layer norm,
 * attention and GELU kernels run inside it, so a replay is one call into wasm where every
 * kernel ran on wasm, bit-identical to eager.
 */
const onWasm = process.env.YANN_BACKEND === 'wasm'

afterEach(() => setBackend(onWasm ? 'wasm' : 'ts', onWasm ? { dispatchSmall: false } : {}))

/** Interpreter calls, and kernel calls through invoke (wasm kernels run from JS), of one more replay. */
function replayCalls(step: (x: Tensor, y: Tensor) => Tensor, x: Tensor, y: Tensor): { interpreter: number; invokes: number } {
  let invokes = 0
  const calls = interpreterStats.calls
  const before = setInvokeTap({ before: () => void invokes++, after: () => {} })
  try {
    step(x, y)
  } finally {
    setInvokeTap(before)
  }
  return { interpreter: interpreterStats.calls - calls, invokes }
}

class Flatten extends nn.Module {
  forward(x: Tensor): Tensor {
    return x.reshape([x.shape[0], -1])
  }
}

/** bench/cnn.ts's reference CNN, with a BatchNorm2d after each convolution when `bn`. */
function referenceCnn(dtype: DT, bn: boolean): Setup {
  const norm = (c: number): nn.Module[] => (bn ? [new nn.BatchNorm2d(c, { dtype })] : [])
  const model = new nn.Sequential(
    new nn.Conv2d(1, 8, 3, { padding: 1, dtype }), ...norm(8), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(8, 16, 3, { padding: 1, dtype }), ...norm(16), new nn.ReLU(), new nn.AvgPool2d(2),
    new Flatten(), new nn.Linear(784, 10, { dtype }),
  )
  return trainingStep(model, new optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 }), new nn.CrossEntropyLoss())
}

/** A two-layer character GPT (embeddings, causal attention, layer norms, GELU, cross-entropy on class indices), AdamW in the step. */
function tinyGpt(dtype: DT): Setup {
  const model = new GPT({ vocabSize: 11, blockSize: 8, nEmbd: 16, nHead: 2, nLayer: 2, dtype })
  const opt = new optim.AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.1 })
  const lossFn = { forward: (logits: Tensor, y: Tensor) => crossEntropy(logits.reshape([-1, 11]), y) }
  return trainingStep(model, opt, lossFn)
}

function tokens(i: number): [Tensor, Tensor] {
  const ids = (k: number) => (k * 7 + i * 3 + (k >> 2)) % 11
  const x = yann.tensor(Array.from({ length: 24 }, (_, k) => ids(k)), { dtype: 'int32' }).reshape([3, 8])
  return [x, yann.tensor(Array.from({ length: 24 }, (_, k) => ids(k + 1)), { dtype: 'int32' })]
}

describe.each(['float32', 'float64'] as const)('the plan interpreter runs CNN and transformer kernels (%s)', (dtype) => {
  // Every kernel on wasm (the tests' setting on the wasm backend): nothing runs from JS, BatchNorm's
  // running statistics and batch count included (interpreter ops on buffers copied in and out at each call).
  test.each([
    [false, 1],
    [true, 1],
  ])('the reference CNN at batch 16 (BatchNorm %s): 20 steps bit-identical, %i interpreter call(s) per replay', (bn, calls) => {
    const inputs = (i: number) => batch(i, [16, 1, 28, 28], [16, 10], dtype, true)
    const step = expectSameAsEager(() => referenceCnn(dtype, bn), inputs, onWasm ? 20 : 3)
    expect(step.lastRun).toBe('replay')
    expect(step.interpreterReason).toBe(onWasm ? null : 'not the wasm backend')
    expect(replayCalls(step, ...inputs(20))).toEqual(onWasm ? { interpreter: calls, invokes: 0 } : { interpreter: 0, invokes: 0 })
  })

  test('a small GPT step (AdamW included): 20 steps bit-identical, one interpreter call per replay', () => {
    const step = expectSameAsEager(() => tinyGpt(dtype), tokens, 20)
    expect(step.replayPath).toBe(onWasm ? 'wasm' : 'js')
    expect(replayCalls(step, ...tokens(20))).toEqual({ interpreter: onWasm ? 1 : 0, invokes: 0 })
  })

  test('a transformer block (nn.MultiheadAttention, GELU MLP, AdamW): 20 steps bit-identical, one interpreter call per replay', () => {
    const inputs = (i: number) => batch(i, [2, 5, 8], [2, 5, 8], dtype)
    const step = expectSameAsEager(() => block(dtype), inputs, 20)
    expect(step.replayPath).toBe(onWasm ? 'wasm' : 'js')
    expect(replayCalls(step, ...inputs(20))).toEqual({ interpreter: onWasm ? 1 : 0, invokes: 0 })
  })

  test('a transposed convolution, max and logsumexp along a dim, a comparison: 20 steps bit-identical, 3 interpreter calls per replay', () => {
    // col2im and im2col (the transposed convolution and its gradient), maxAxis, logsumexp and
    // compare run in the interpreter; the mask's cast to float and max's gradient (scatterToIndex) in JS.
    const build = (): Setup => {
      const up = new nn.ConvTranspose2d(2, 3, 3, { stride: 2, dtype })
      const lin = new nn.Linear(11, 4, { dtype })
      const model = new nn.ModuleList([up, lin])
      const forward = (x: Tensor): Tensor => {
        const h = lin.forward(up.forward(x)) // [2, 3, 11, 4]
        const top = h.max(3).values.add(h.logsumexp(2).mean(2, { keepdim: true }))
        return top.mul(top.gt(0.1).to(dtype)).reshape([2, 33])
      }
      return trainingStep(model, new optim.Adam(model.parameters(), { lr: 0.01 }), new nn.MSELoss(), forward)
    }
    const inputs = (i: number) => batch(i, [2, 2, 5, 5], [2, 33], dtype)
    const step = expectSameAsEager(build, inputs, 20)
    expect(step.replayPath).toBe(onWasm ? 'wasm' : 'js')
    expect(replayCalls(step, ...inputs(20))).toEqual({ interpreter: onWasm ? 3 : 0, invokes: 0 })
  })
})
