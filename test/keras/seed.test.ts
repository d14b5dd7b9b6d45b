import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { noGrad, tensor, type Tensor } from '../../src/index.js'
import * as keras from '../../src/keras.js'
import { GradientTape, valueAndGrads } from '../../src/keras.js'
import { seedBinaryCrossentropy } from '../../examples/seed-tape.js'
import { expectClose } from './helpers.js'

/**
 * The seed's TensorFlow results (§5), reproduced. Every expected number below is typed from the
 * seed's printout (seed/yann-backprop-example.txt), never from yann's output.
 */

const TRAIN = [[0.23, 0.82, 0.47]]
const WEIGHTS1 = [[0.1, 0.5, 0.3], [0.7, 0.2, 0.9], [0.4, 0.25, 0.75]]
const WEIGHTS2 = [[0.9, 0.6, 0.4], [0.3, 0.8, 0.7]]

function seedModel(dtype: 'float32' | 'float64' = 'float32', k1: number[][] | Tensor = WEIGHTS1, k2: number[][] | Tensor = WEIGHTS2): keras.Sequential {
  const m = keras.sequential()
  m.add(keras.layers.dense({ units: 3, inputShape: [3], kernelInitializer: keras.initializers.constant(k1), useBias: true, biasInitializer: 'zeros', activation: 'relu', dtype }))
  m.add(keras.layers.dense({ units: 2, kernelInitializer: keras.initializers.constant(k2), useBias: true, biasInitializer: 'zeros', activation: 'sigmoid', dtype }))
  m.compile({ loss: 'binary_crossentropy', optimizer: 'SGD' })
  return m
}

async function fitOnce(m: keras.Sequential, dtype: 'float32' | 'float64' = 'float32'): Promise<number> {
  let loss = NaN
  await m.fit(tensor(TRAIN, { dtype }), tensor([[1.0, 0.0]], { dtype }), { batchSize: 1, epochs: 1, verbose: 0, callbacks: { onBatchEnd: (_b, logs) => void (loss = logs!.loss) } })
  return loss
}

describe('§5.2 tf.keras: Dense(3, relu), Dense(2, sigmoid), constant kernels, one epoch of SGD', () => {
  it('gives the seed\'s loss and all four weight tensors to 1e-6', async () => {
    const m = seedModel()
    const loss = await fitOnce(m)
    expect(Math.abs(loss - 0.8878588)).toBeLessThanOrEqual(1e-6)
    const [k1, b1, k2, b2] = m.weights
    expect([k1.name, b1.name, k2.name, b2.name].map((n) => n.replace(/^dense_\d+/, 'D').replace(/^dense/, 'D'))).toEqual(['D/kernel', 'D/bias', 'D/kernel', 'D/bias'])
    expect(k1.shape).toEqual([3, 3])
    expect(k2.shape).toEqual([3, 2])
    expectClose(k1.read(), [[0.09959406, 0.49978882, 0.2994854], [0.6985527, 0.1992471, 0.89816517], [0.39917046, 0.24956846, 0.74894834]], 1e-6)
    expectClose(b1.read(), [-0.00176497, -0.00091817, -0.00223756], 1e-6)
    expectClose(k2.read(), [[0.90056026, 0.59685045], [0.40028298, 0.2984092], [0.80082756, 0.69534785]], 1e-6)
    expectClose(b2.read(), [0.00071371, -0.00401219], 1e-6)
  })

  it('the [2, 3] WEIGHTS2 is reshaped row-major into the [3, 2] kernel, not transposed', () => {
    const m = seedModel()
    expectClose(m.weights[2].read(), [[0.9, 0.6], [0.4, 0.3], [0.8, 0.7]], 1e-7)
  })

  it('the printed loss is the logits formula: the clipped-probability formula is 3e-7 away (float64, so float32 rounding cannot blur it)', async () => {
    const logits = await fitOnce(seedModel('float64'), 'float64')
    expect(Math.abs(logits - 0.8878588)).toBeLessThan(1.5e-7)
    const probs = keras.losses.binaryCrossentropy(tensor([[1, 0]], { dtype: 'float64' }), seedModel('float64').predict(tensor(TRAIN, { dtype: 'float64' }))).item()
    expect(Math.abs(probs - 0.8878588)).toBeGreaterThan(2.5e-7)
    expect(Math.abs(probs - 0.8878588)).toBeLessThan(1e-6)
  })

  it("given PyTorch's network (kernels = PyTorch's weights transposed), fit gives PyTorch's loss and weights", async () => {
    const m = seedModel('float32', tensor(WEIGHTS1).T, tensor(WEIGHTS2).T)
    const loss = await fitOnce(m)
    // The seed's PyTorch printout (§2), 4 decimals.
    expect(Math.abs(loss - 0.8701)).toBeLessThanOrEqual(5e-5)
    const [k1, b1, k2, b2] = m.weights.map((w) => w.read().detach())
    expectClose(k1.T, [[0.1, 0.4999, 0.2999], [0.6994, 0.198, 0.8989], [0.3995, 0.2482, 0.7489]], 5.01e-5)
    expectClose(b1, [-0.0001, -0.0024, -0.0023], 5.01e-5)
    expectClose(k2.T, [[0.9007, 0.6008, 0.4007], [0.2978, 0.7971, 0.6975]], 5.01e-5)
    expectClose(b2, [0.0011, -0.0039], 5.01e-5)
  })
})

/** The seed's §5.1 program: the network in W·x layout, labels [2] broadcast against a2 [2, 1]. */
function seedForward(w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor): { z2: Tensor; a2: Tensor } {
  const a1 = w1.matmul(tensor(TRAIN, { dtype: w1.dtype as 'float32' | 'float64' }).T).add(b1).relu()
  const z2 = w2.matmul(a1).add(b2)
  return { z2, a2: z2.sigmoid() }
}

const params = (dtype: 'float32' | 'float64' = 'float32'): Tensor[] => [
  tensor(WEIGHTS1, { dtype }),
  tensor([[0], [0], [0]], { dtype }),
  tensor(WEIGHTS2, { dtype }),
  tensor([[0], [0]], { dtype }),
]

describe('§5.1 GradientTape: the broadcast [2, 2] cross-entropy', () => {
  const SEED = {
    // The first, unlabelled tensor the seed prints is grad W1; its "grad W1" label is on grad W2.
    gradW1: [[0.03767115, 0.13430585, 0.07698018], [0.04395014, 0.15669179, 0.08981115], [0.03453232, 0.12311524, 0.07056605]],
    gradB1: [[0.16378762], [0.19108756], [0.15014054]],
    gradW2: [[0.07834444, 0.10209345, 0.08864933], [0.07834699, 0.10209677, 0.08865222]],
    gradB2: [[0.13648857], [0.13649301]],
    w1: [[0.09962329, 0.49865693, 0.29923022], [0.69956046, 0.19843309, 0.89910185], [0.3996547, 0.24876885, 0.74929434]],
    b1: [[-0.00163788], [-0.00191088], [-0.00150141]],
    w2: [[0.89921653, 0.5989791, 0.3991135], [0.29921654, 0.79897904, 0.6991135]],
    b2: [[-0.00136489], [-0.00136493]],
  }

  it("GradientTape gives the seed's loss, gradients and SGD-updated weights to 1e-6", () => {
    const labels = tensor([1.0, 0.0]).T
    expect(labels.shape).toEqual([2])
    const [w1, b1, w2, b2] = params()
    const tape = new GradientTape({ persistent: true })
    tape.watch(w1, w2, b1, b2)
    const { a2 } = seedForward(w1, b1, w2, b2)
    expect(a2.shape).toEqual([2, 1])
    const loss = seedBinaryCrossentropy(labels, a2).mean()
    expect(Math.abs(loss.item() - 0.870112)).toBeLessThanOrEqual(1e-6)
    const grads = tape.gradient(loss, [w1, b1, w2, b2]) as Tensor[]
    expectClose(grads[0], SEED.gradW1, 1e-6)
    expectClose(grads[1], SEED.gradB1, 1e-6)
    expectClose(grads[2], SEED.gradW2, 1e-6)
    expectClose(grads[3], SEED.gradB2, 1e-6)
    // Persistent: the seed asks again for single gradients.
    expectClose(tape.gradient(loss, w2)!, SEED.gradW2, 1e-6)
    const after = noGrad(() => [w1, b1, w2, b2].map((p, i) => p.sub(grads[i].mul(0.01))))
    expectClose(after[0], SEED.w1, 1e-6)
    expectClose(after[1], SEED.b1, 1e-6)
    expectClose(after[2], SEED.w2, 1e-6)
    expectClose(after[3], SEED.b2, 1e-6)
    // backward() was never called: no .grad anywhere.
    expect([w1, b1, w2, b2].map((p) => p.grad)).toEqual([null, null, null, null])
  })

  it('the broadcast is a [2, 2] matrix of every prediction against every label', () => {
    const { a2 } = noGrad(() => seedForward(...(params() as [Tensor, Tensor, Tensor, Tensor])))
    const perRow = seedBinaryCrossentropy(tensor([1, 0]), a2)
    expect(perRow.shape).toEqual([2])
    // Row i averages −log p_i and −log(1 − p_i): both labels against prediction i.
    const p = a2.data
    expectClose(perRow, [-(Math.log(p[0]) + Math.log(1 - p[0])) / 2, -(Math.log(p[1]) + Math.log(1 - p[1])) / 2], 1e-6)
  })

  it('the printed loss is the eager probability formula (clip, +ε): the logits formula is 3e-7 away (float64)', () => {
    const [w1, b1, w2, b2] = params('float64')
    const { z2, a2 } = seedForward(w1, b1, w2, b2)
    const labels = tensor([1, 0], { dtype: 'float64' })
    const probs = seedBinaryCrossentropy(labels, a2).mean().item()
    expect(Math.abs(probs - 0.870112)).toBeLessThan(1.5e-7)
    const t = labels.reshape([1, 2])
    const logits = z2.relu().sub(z2.mul(t)).add(z2.abs().neg().exp().add(1).log()).mean().item()
    expect(Math.abs(logits - 0.870112)).toBeGreaterThan(2.5e-7)
  })

  it("yann's Keras loss refuses the seed's shapes, naming both", () => {
    const { a2 } = noGrad(() => seedForward(...(params() as [Tensor, Tensor, Tensor, Tensor])))
    expect(() => keras.losses.binaryCrossentropy(tensor([1, 0]), a2)).toThrow(/yTrue has shape \[2\] but yPred has shape \[2, 1\].*\[2, 2\]/)
  })
})

describe('§5.1 written correctly (labels [2, 1], like the predictions) gives PyTorch\'s numbers', () => {
  function correct(): { loss: Tensor; grads: Tensor[] } {
    const labels = tensor([1.0, 0.0]).reshape([2, 1])
    const { value, grads } = valueAndGrads((w1, b1, w2, b2) => keras.losses.binaryCrossentropy(labels, seedForward(w1, b1, w2, b2).a2).mean())(params())
    return { loss: value, grads }
  }

  it("matches the seed's PyTorch printout (§2, 4 decimals)", () => {
    const { loss, grads } = correct()
    const tol = 5.01e-5 // the printout's rounding
    expect(Math.abs(loss.item() - 0.8701)).toBeLessThanOrEqual(tol)
    expectClose(grads[0], [[0.0032, 0.0113, 0.0065], [0.0555, 0.1977, 0.1133], [0.0518, 0.1846, 0.1058]], tol)
    expectClose(grads[1].reshape([3]), [0.0138, 0.2411, 0.2251], tol)
    expectClose(grads[2], [[-0.0652, -0.0849, -0.0737], [0.2218, 0.2891, 0.2510]], tol)
    expectClose(grads[3].reshape([2]), [-0.1135, 0.3865], tol)
  })

  it("matches PyTorch's float32 seed case at full precision (fixtures/pytorch-oracle.json) to 1e-6", () => {
    const oracle = JSON.parse(readFileSync(new URL('../fixtures/pytorch-oracle.json', import.meta.url), 'utf8'))
    const seed = (oracle as { cases: { kind: string; dtype: string; loss: number; grads: Record<string, { data: number[] }> }[] }).cases.find(
      (c) => c.kind === 'seed' && c.dtype === 'float32',
    )!
    const { loss, grads } = correct()
    // Keras adds ε = 1e-7 inside each log: a ~4e-7 shift from PyTorch's formula, inside 1e-6.
    expect(Math.abs(loss.item() - seed.loss)).toBeLessThanOrEqual(1e-6)
    ;(['w1', 'b1', 'w2', 'b2'] as const).forEach((k, i) => expectClose(Array.from(grads[i].data), seed.grads[k].data, 1e-6))
  })
})
