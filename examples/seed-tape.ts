/**
 * The seed's §5.1 (TensorFlow 2 GradientTape) in yann, the bug in it, and the program written
 * correctly.
 *
 *     npx tsx examples/seed-tape.ts
 *
 * The seed's program printed a loss of 0.870112 (PyTorch: 0.8701) and gradients unlike
 * PyTorch's: grad b2 = [[0.13648857], [0.13649301]] where PyTorch has [-0.1135, 0.3865].
 *
 * The bug: a broadcast. `LABEL` is 1-D, and transposing a 1-D tensor leaves it as it is, so
 * `labels` has shape [2], while the predictions `a2` have shape [2, 1] (a column, from the
 * W·x layout). `kl.binary_crossentropy(labels, a2)` does not check shapes: TensorFlow broadcasts
 * [2] against [2, 1] to [2, 2], a matrix whose entry [i][j] is the cross-entropy of prediction i
 * against label j. Keras averages its last axis and `reduce_mean` the rest, so the loss is the
 * mean of all four: each output is trained towards both labels, 1 and 0 at once. Its gradient
 * with respect to z2_i is (1/4)·Σ_j (p_i − t_j) = (2·p_i − 1)/4, which pulls both outputs to 0.5:
 * with p = [0.772977, 0.772986] that is [0.136489, 0.136493], the printed grad b2. The loss
 * barely moves (0.870112 against 0.870125) only because the two outputs happen to be nearly equal.
 *
 * The loss formula: the tape ran eagerly, and eager Keras (TF 2.0/2.1; every call in TF ≥ 2.2)
 * computes binary cross-entropy from probabilities:
 *   p = clip(a2, ε, 1 − ε);  −mean_lastaxis(t·log(p + ε) + (1 − t)·log(1 − p + ε)),  ε = 1e-7.
 * On the broadcast matrix that gives 0.87011206 (the seed: 0.870112, one float32 step away);
 * the logits formula (what graph-mode `fit` used in §5.2) would give 0.87011235.
 *
 * A second, harmless bug: the seed prints `dag.gradient(loss, w2)` under the label "grad W1".
 * Its "grad W1" block is grad W2 again; the true grad W1 is the first, unlabelled tensor printed.
 *
 * yann's Keras losses refuse the mismatched shapes (the error names both). Written with labels
 * shaped like the predictions, the same tape gives PyTorch's loss and gradients.
 */
import { pathToFileURL } from 'node:url'
import { noGrad, tensor, type Tensor } from '../src/index.js'
import * as keras from '../src/keras.js'
import { GradientTape, valueAndGrads } from '../src/keras.js'

const TRAIN = [[0.23, 0.82, 0.47]]
const LABEL = [1.0, 0.0]
const WEIGHTS1 = [[0.1, 0.5, 0.3], [0.7, 0.2, 0.9], [0.4, 0.25, 0.75]]
const WEIGHTS2 = [[0.9, 0.6, 0.4], [0.3, 0.8, 0.7]]
const EPSILON = keras.losses.EPSILON

/** The seed's §5.1 printout (TensorFlow 2.1, float32). Its "grad W1" is really grad W2 (see above). */
export const SEED_TAPE = {
  loss: 0.870112,
  gradW1: [[0.03767115, 0.13430585, 0.07698018], [0.04395014, 0.15669179, 0.08981115], [0.03453232, 0.12311524, 0.07056605]],
  gradB1: [[0.16378762], [0.19108756], [0.15014054]],
  gradW2: [[0.07834444, 0.10209345, 0.08864933], [0.07834699, 0.10209677, 0.08865222]],
  gradB2: [[0.13648857], [0.13649301]],
  w1: [[0.09962329, 0.49865693, 0.29923022], [0.69956046, 0.19843309, 0.89910185], [0.3996547, 0.24876885, 0.74929434]],
  b1: [[-0.00163788], [-0.00191088], [-0.00150141]],
  w2: [[0.89921653, 0.5989791, 0.3991135], [0.29921654, 0.79897904, 0.6991135]],
  b2: [[-0.00136489], [-0.00136493]],
}

/**
 * `kl.binary_crossentropy(labels, a2)` as the seed's TensorFlow computed it, with the broadcast
 * written out: labels [2] are a row [1, 2], predictions [2, 1] a column, and every pair meets in
 * a [2, 2] matrix. Then Keras's mean over the last axis: shape [2].
 */
export function seedBinaryCrossentropy(labels: Tensor, a2: Tensor): Tensor {
  const t = labels.reshape([1, 2]) // what broadcasting does to a [2] against a [2, 1]
  const p = a2.clamp(EPSILON, 1 - EPSILON) // [2, 1]
  const matrix = t.mul(p.add(EPSILON).log()).add(t.neg().add(1).mul(p.neg().add(1).add(EPSILON).log())).neg() // [2, 2]
  return matrix.mean(-1)
}

/** The same broadcast with the logits formula max(z, 0) − z·t + log(1 + e^−|z|), for comparison. */
function seedBinaryCrossentropyFromLogits(labels: Tensor, z2: Tensor): Tensor {
  const t = labels.reshape([1, 2])
  return z2.relu().sub(z2.mul(t)).add(z2.abs().neg().exp().add(1).log()).mean(-1)
}

export interface TapeRun {
  loss: number
  /** Gradients of w1, b1, w2, b2, and the values after one SGD step (lr 0.01), as nested arrays. */
  grads: unknown[]
  after: unknown[]
}

function params(): Tensor[] {
  return [tensor(WEIGHTS1), tensor([[0.0, 0.0, 0.0]]).T, tensor(WEIGHTS2), tensor([[0.0, 0.0]]).T]
}

/** The network in the seed's W·x layout: input [3, 1], a2 [2, 1]. Returns z2 + b2 and a2. */
function forward(w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor): { z2: Tensor; a2: Tensor } {
  const input = tensor(TRAIN).T // [3, 1]
  const z1 = w1.matmul(input)
  const a1 = z1.add(b1).relu()
  const z2 = w2.matmul(a1).add(b2)
  return { z2, a2: z2.sigmoid() }
}

/** The seed's §5.1 program, GradientTape and all, with its broadcast made explicit. */
export function runSeedTape(): TapeRun {
  const labels = tensor(LABEL).T // a 1-D tensor transposed is itself: shape [2]
  const [w1, b1, w2, b2] = params()
  const tape = new GradientTape({ persistent: true })
  tape.watch(w1, w2, b1, b2)
  const { a2 } = forward(w1, b1, w2, b2)
  const loss = seedBinaryCrossentropy(labels, a2).mean() // tf.reduce_mean
  const grads = tape.gradient(loss, [w1, b1, w2, b2]) as Tensor[]
  const after = noGrad(() => [w1, b1, w2, b2].map((p, i) => p.sub(grads[i].mul(0.01)))) // optimizer.apply_gradients
  return { loss: loss.item(), grads: grads.map((g) => g.toArray()), after: after.map((p) => p.toArray()) }
}

/**
 * Written correctly: labels shaped [2, 1] like the predictions, through yann's Keras loss
 * (which would refuse the seed's [2] labels). Returns loss and gradients as tensors.
 */
export function runCorrectTape(): { loss: Tensor; grads: Tensor[] } {
  const labels = tensor(LABEL).reshape([2, 1])
  const { value, grads } = valueAndGrads((w1, b1, w2, b2) => keras.losses.binaryCrossentropy(labels, forward(w1, b1, w2, b2).a2).mean())(params())
  return { loss: value, grads }
}

/** numpy's float32 repr: the shortest decimal that reads back as the same float32. */
function f32(x: number): string {
  for (let p = 1; p <= 9; p++) {
    const s = x.toPrecision(p)
    if (Math.fround(Number(s)) === Math.fround(x)) return String(Number(s))
  }
  return String(x)
}

const show = (v: unknown): string => (Array.isArray(v) ? `[${v.map(show).join(', ')}]` : f32(v as number))

export async function main(print: (line: string) => void = console.log): Promise<void> {
  print("== The seed's §5.1: GradientTape, reproduced (labels [2] broadcast against predictions [2, 1]) ==")
  const run = runSeedTape()
  print(`Loss = ${f32(run.loss)}                           seed: 0.870112`)
  const names = ['W1', 'b1', 'W2', 'b2']
  const seedGrads = [SEED_TAPE.gradW1, SEED_TAPE.gradB1, SEED_TAPE.gradW2, SEED_TAPE.gradB2]
  const seedAfter = [SEED_TAPE.w1, SEED_TAPE.b1, SEED_TAPE.w2, SEED_TAPE.b2]
  names.forEach((n, i) => print(`grad ${n} = ${show(run.grads[i])}\n     seed: ${show(seedGrads[i])}`))
  print('(The seed labels its second grad W2 printout "grad W1": it printed dag.gradient(loss, w2) twice.)')
  names.forEach((n, i) => print(`${n} after SGD = ${show(run.after[i])}\n          seed: ${show(seedAfter[i])}`))

  const labels = tensor(LABEL)
  const { z2, a2 } = noGrad(() => forward(...(params() as [Tensor, Tensor, Tensor, Tensor])))
  print('')
  print('== Which formula ==')
  print(`probabilities, clipped, +ε (eager Keras): ${f32(seedBinaryCrossentropy(labels, a2).mean().item())}`)
  print(`logits (graph-mode Keras behind a Sigmoid): ${f32(seedBinaryCrossentropyFromLogits(labels, z2).mean().item())}`)
  print(`The broadcast's gradient for z2: (2·p − 1)/4 = ${show(noGrad(() => a2.mul(2).sub(1).div(4)).toArray())}, the seed's grad b2 up to the ε terms`)

  print('')
  print('== yann refuses the broadcast ==')
  try {
    keras.losses.binaryCrossentropy(labels, a2)
  } catch (e) {
    print((e as Error).message)
  }

  print('')
  print('== Written correctly: labels shaped [2, 1], like the predictions ==')
  const correct = runCorrectTape()
  print(`Loss = ${correct.loss}                      PyTorch: tensor(0.8701)`)
  print(`grad W2 = \n ${correct.grads[2]}`)
  print(`grad b2 = ${correct.grads[3].reshape([2])}`)
  print(`grad W1 = \n ${correct.grads[0]}`)
  print(`grad b1 = ${correct.grads[1].reshape([3])}`)
  print("PyTorch's: grad W2 [[-0.0652, -0.0849, -0.0737], [0.2218, 0.2891, 0.2510]], grad b2 [-0.1135, 0.3865],")
  print('           grad W1 [[0.0032, 0.0113, 0.0065], [0.0555, 0.1977, 0.1133], [0.0518, 0.1846, 0.1058]], grad b1 [0.0138, 0.2411, 0.2251]')
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main()
