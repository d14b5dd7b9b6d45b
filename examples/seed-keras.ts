/**
 * The seed's §5.2 (tf.keras) in yann's Keras-style API, and why its numbers are not PyTorch's.
 *
 *     npx tsx examples/seed-keras.ts
 *
 * The seed builds its 3-3-2 network with tf.keras (TensorFlow 2.1), fits one epoch on one sample
 * with SGD, and prints a loss of 0.8878588 where PyTorch printed 0.8701, and weights unlike
 * PyTorch's. yann reproduces TensorFlow's printout to the last printed digit. Three things
 * separate it from PyTorch's run, and only the last is about numerics:
 *
 * 1. Keras kernels are [in, out]: a Dense layer computes y = x·K + b, where nn.Linear (and the
 *    seed's PyTorch code) computes y = W·x + b with W of shape [out, in]. The same WEIGHTS1 in a
 *    Keras kernel acts as the transpose of PyTorch's layer: the first hidden pre-activations are
 *    x·WEIGHTS1 = [0.785, 0.3965, 1.1595], not WEIGHTS1·x = [0.574, 0.748, 0.6495].
 *
 * 2. tf.constant_initializer reshapes, it does not transpose: the [2, 3] WEIGHTS2 fills the
 *    [3, 2] kernel row-major, [[0.9, 0.6], [0.4, 0.3], [0.8, 0.7]]. Its transpose (what PyTorch's
 *    W2 would be as a kernel) is [[0.9, 0.3], [0.6, 0.8], [0.4, 0.7]]. So the second layer is not
 *    even the transposed network: it is a different network, hence a different loss.
 *
 * 3. The loss formula. `fit` runs in graph mode, and Keras's binary_crossentropy (TF 2.0/2.1)
 *    looked at the op producing the predictions: a Sigmoid, so it took the sigmoid's input z and
 *    computed sigmoid_cross_entropy_with_logits, max(z, 0) − z·t + log(1 + e^−|z|), averaged over
 *    the last axis. No clipping, no ε. yann's `fit` does the same behind a sigmoid Dense layer.
 *    Keras's probability formula, −mean(t·log(p + ε) + (1 − t)·log(1 − p + ε)) with p clipped to
 *    [ε, 1 − ε] and ε = 1e-7 (what an eager call computes), gives 0.8878584 here: within 1e-6 of
 *    the printout but not its digits. The logits formula gives 0.8878588, the printed value.
 *    The weights cannot tell the two apart (their gradients differ by ~1e-9 after the 0.01 step).
 *
 * Built the same way as PyTorch's network (kernels = PyTorch's weights transposed), Keras's fit
 * gives PyTorch's numbers: the last part of this example shows it.
 */
import { pathToFileURL } from 'node:url'
import { tensor, type Tensor } from '../src/index.js'
import * as keras from '../src/keras.js'

const TRAIN = [[0.23, 0.82, 0.47]]
const LABEL = [[1.0, 0.0]]
const WEIGHTS1 = [[0.1, 0.5, 0.3], [0.7, 0.2, 0.9], [0.4, 0.25, 0.75]]
const WEIGHTS2 = [[0.9, 0.6, 0.4], [0.3, 0.8, 0.7]]

/** The seed's §5.2 printout (TensorFlow 2.1, float32). */
export const SEED_KERAS = {
  loss: 0.8878588,
  kernel1: [[0.09959406, 0.49978882, 0.2994854], [0.6985527, 0.1992471, 0.89816517], [0.39917046, 0.24956846, 0.74894834]],
  bias1: [-0.00176497, -0.00091817, -0.00223756],
  kernel2: [[0.90056026, 0.59685045], [0.40028298, 0.2984092], [0.80082756, 0.69534785]],
  bias2: [0.00071371, -0.00401219],
}

/** The seed's setup(): Dense(3, relu) and Dense(2, sigmoid) with constant kernels, BCE, SGD. */
export function setup(kernel1: number[][] | Tensor = WEIGHTS1, kernel2: number[][] | Tensor = WEIGHTS2): keras.Sequential {
  const m = keras.sequential()
  m.add(keras.layers.dense({ units: 3, inputShape: [3], kernelInitializer: keras.initializers.constant(kernel1), useBias: true, biasInitializer: 'zeros', activation: 'relu' }))
  m.add(keras.layers.dense({ units: 2, kernelInitializer: keras.initializers.constant(kernel2), useBias: true, biasInitializer: 'zeros', activation: 'sigmoid' }))
  // Python Keras's names work too: loss: 'binary_crossentropy', optimizer: 'SGD' (learning rate 0.01).
  m.compile({ loss: 'binaryCrossentropy', optimizer: 'sgd' })
  return m
}

/** numpy's float32 repr: the shortest decimal that reads back as the same float32. */
export function f32(x: number): string {
  for (let p = 1; p <= 9; p++) {
    const s = x.toPrecision(p)
    if (Math.fround(Number(s)) === Math.fround(x)) return String(Number(s))
  }
  return String(x)
}

const indent = (text: string): string => text.replace(/^/gm, '   ')

const show = (v: unknown): string => (Array.isArray(v) ? `[${v.map(show).join(', ')}]` : f32(v as number))

function maxDiff(a: unknown, b: unknown): number {
  if (Array.isArray(a) && Array.isArray(b)) return Math.max(...a.map((x, i) => maxDiff(x, b[i])))
  return Math.abs((a as number) - (b as number))
}

/** One epoch, batch 1, as the seed's fit: returns the batch loss and the weights after the step. */
export async function runSeedKeras(model = setup()): Promise<{ loss: number; weights: number[][][] | unknown[] }> {
  let loss = NaN
  await model.fit(tensor(TRAIN), tensor(LABEL), { batchSize: 1, epochs: 1, verbose: 0, callbacks: { onBatchEnd: (_b, logs) => void (loss = logs!.loss) } })
  return { loss, weights: model.weights.map((w) => w.read().toArray()) }
}

export async function main(print: (line: string) => void = console.log): Promise<void> {
  keras.clearSession() // names start again at 'dense', as in the seed's fresh Python process
  print("== The seed's §5.2: tf.keras, reproduced by yann.keras ==")
  const model = setup()
  model.summary(undefined, undefined, print)
  const { loss, weights } = await runSeedKeras(model)
  print(`{'batch': 0, 'size': 1, 'loss': ${f32(loss)}}        seed: 0.8878588`)
  const expected = [SEED_KERAS.kernel1, SEED_KERAS.bias1, SEED_KERAS.kernel2, SEED_KERAS.bias2]
  model.weights.forEach((w, i) => {
    print(`${w.name} ${JSON.stringify(w.shape)}: ${show(weights[i])}`)
    print(`${' '.repeat(w.name.length)} seed: ${show(expected[i])}   max |diff| ${maxDiff(weights[i], expected[i]).toExponential(1)}`)
  })

  print('')
  print('== Why not PyTorch\'s numbers ==')
  const k2 = keras.initializers.constant(WEIGHTS2).apply([3, 2])
  print(`1. Kernels are [in, out] (y = x·K + b): WEIGHTS1 acts transposed. Hidden pre-activations:`)
  print(`   Keras x·W1 = ${tensor(TRAIN).matmul(tensor(WEIGHTS1))}`)
  print(`   PyTorch W1·x = ${tensor(WEIGHTS1).matmul(tensor(TRAIN[0]))}`)
  print(`2. constant(WEIGHTS2) reshapes the [2, 3] array row-major into the [3, 2] kernel:\n${indent(String(k2))}`)
  print(`   PyTorch's W2 as a kernel would be its transpose:\n${indent(String(tensor(WEIGHTS2).T))}`)
  const x = tensor(TRAIN)
  const y = tensor(LABEL)
  const fresh = setup()
  const probability = keras.losses.binaryCrossentropy(y, fresh.predict(x)).item()
  print(`3. fit computed the loss from the sigmoid's logits (graph mode, TF 2.1): ${f32(loss)}; Keras's clipped probability formula with ε = 1e-7 would give ${f32(probability)}`)

  print('')
  print("== The same tf.keras program, given PyTorch's network (kernels = PyTorch weights transposed) ==")
  const torchLike = setup(tensor(WEIGHTS1).T, tensor(WEIGHTS2).T)
  const run = await runSeedKeras(torchLike)
  print(`Loss = ${f32(run.loss)}                       PyTorch: tensor(0.8701)`)
  const [kernel1, bias1, kernel2, bias2] = torchLike.weights.map((w) => w.read().detach())
  print(`Layer 1 Weights (kernelᵀ)\n${kernel1.T}`)
  print(`Layer 1 Bias ${bias1}`)
  print(`Layer 2 Weights (kernelᵀ)\n${kernel2.T}`)
  print(`Layer 2 Bias ${bias2}`)
  print("PyTorch's: [[0.1000, 0.4999, 0.2999], [0.6994, 0.1980, 0.8989], [0.3995, 0.2482, 0.7489]], [-0.0001, -0.0024, -0.0023];")
  print('           [[0.9007, 0.6008, 0.4007], [0.2978, 0.7971, 0.6975]], [ 0.0011, -0.0039]')
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main()
