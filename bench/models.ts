/**
 * The training steps compared in suites 2 and 3, one per library, each a closure that runs one
 * whole step: forward, loss, backward, SGD update.
 *
 * Network: Linear(in, hidden) → ReLU → Linear(hidden, out) → Sigmoid, BCE (mean), SGD lr 0.01.
 * The MLP is 784-256-10; the seed network is 3-3-2 with the seed's weights, input and label.
 */
import * as yann from '../src/index.js'
import type { TF } from './lib/tfjs.js'

export interface Net {
  inF: number
  hidden: number
  outF: number
  batch: number
  /** The seed's 3-3-2 numbers instead of random ones (input [3], label [2], no batch dim). */
  seed?: boolean
}

export const SEED_W1 = [[0.1, 0.5, 0.3], [0.7, 0.2, 0.9], [0.4, 0.25, 0.75]]
export const SEED_W2 = [[0.9, 0.6, 0.4], [0.3, 0.8, 0.7]]
export const SEED_X = [0.23, 0.82, 0.47]
export const SEED_Y = [1, 0]

export const SEED_NET: Net = { inF: 3, hidden: 3, outF: 2, batch: 1, seed: true }

function random(len: number, scale = 1): Float32Array {
  const a = new Float32Array(len)
  for (let i = 0; i < len; i++) a[i] = (Math.random() * 2 - 1) * scale
  return a
}

function data(net: Net): { x: Float32Array; y: Float32Array; xShape: number[]; yShape: number[] } {
  if (net.seed) return { x: Float32Array.from(SEED_X), y: Float32Array.from(SEED_Y), xShape: [3], yShape: [2] }
  const y = new Float32Array(net.batch * net.outF)
  for (let i = 0; i < y.length; i++) y[i] = Math.random() < 0.5 ? 0 : 1
  return { x: random(net.batch * net.inF), y, xShape: [net.batch, net.inF], yShape: [net.batch, net.outF] }
}

/** yann through its autograd API: nn.Sequential, nn.BCELoss, optim.SGD. Call with the backend set. */
export function yannStep(net: Net): { step: () => void; model: yann.nn.Sequential } {
  const l1 = new yann.nn.Linear(net.inF, net.hidden)
  const l2 = new yann.nn.Linear(net.hidden, net.outF)
  if (net.seed) {
    l1.weight.data.set(SEED_W1.flat())
    l1.bias!.data.fill(0)
    l2.weight.data.set(SEED_W2.flat())
    l2.bias!.data.fill(0)
  }
  const model = new yann.nn.Sequential(l1, new yann.nn.ReLU(), l2, new yann.nn.Sigmoid())
  const lossFn = new yann.nn.BCELoss()
  const opt = new yann.optim.SGD(model.parameters(), { lr: 0.01 })
  const d = data(net)
  const x = yann.tensor(d.x).reshape(d.xShape)
  const y = yann.tensor(d.y).reshape(d.yShape)
  const step = (): void => {
    opt.zeroGrad()
    const loss = lossFn.forward(model.forward(x), y)
    loss.backward()
    opt.step()
  }
  return { step, model }
}

/** TF.js the usual way: variables, tf.train.sgd(lr).minimize(loss); kernels [in, out]. Call with the backend set. */
export function tfStep(tf: TF, net: Net): () => void {
  const w1 = net.seed ? tf.tensor2d(SEED_W1).transpose() : tf.tensor2d(random(net.inF * net.hidden, 1 / Math.sqrt(net.inF)), [net.inF, net.hidden])
  const w2 = net.seed ? tf.tensor2d(SEED_W2).transpose() : tf.tensor2d(random(net.hidden * net.outF, 1 / Math.sqrt(net.hidden)), [net.hidden, net.outF])
  const vars = [tf.variable(w1), tf.variable(tf.zeros([net.hidden])), tf.variable(w2), tf.variable(tf.zeros([net.outF]))]
  const [W1, b1, W2, b2] = vars
  const d = data(net)
  // TF.js has no 1-D matmul: the seed's input is a batch of one, [1, 3].
  const x = tf.tensor2d(d.x, net.seed ? [1, 3] : (d.xShape as [number, number]))
  const y = tf.tensor2d(d.y, net.seed ? [1, 2] : (d.yShape as [number, number]))
  const opt = tf.train.sgd(0.01)
  const loss = () => {
    const p = tf.sigmoid(tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, W1), b1)), W2), b2))
    return tf.losses.logLoss(y, p) as import('@tensorflow/tfjs').Scalar
  }
  return () => {
    const l = opt.minimize(loss, true, vars)
    l?.dispose()
  }
}

/**
 * The seed step written out by hand in plain JavaScript: no tensors, no graph, no allocation.
 * The physical limit of a 3-3-2 step in this language.
 */
export function plainSeedStep(): () => void {
  const w1 = Float64Array.from(SEED_W1.flat())
  const b1 = new Float64Array(3)
  const w2 = Float64Array.from(SEED_W2.flat())
  const b2 = new Float64Array(2)
  const x = SEED_X
  const t = SEED_Y
  const h = new Float64Array(3)
  const a = new Float64Array(3)
  const p = new Float64Array(2)
  const dz = new Float64Array(2)
  const lr = 0.01
  let lastLoss = 0
  const step = (): void => {
    for (let i = 0; i < 3; i++) {
      h[i] = b1[i] + w1[3 * i] * x[0] + w1[3 * i + 1] * x[1] + w1[3 * i + 2] * x[2]
      a[i] = h[i] > 0 ? h[i] : 0
    }
    let loss = 0
    for (let i = 0; i < 2; i++) {
      const z = b2[i] + w2[3 * i] * a[0] + w2[3 * i + 1] * a[1] + w2[3 * i + 2] * a[2]
      p[i] = 1 / (1 + Math.exp(-z))
      loss -= (t[i] * Math.max(Math.log(p[i]), -100) + (1 - t[i]) * Math.max(Math.log(1 - p[i]), -100)) / 2
      dz[i] = (p[i] - t[i]) / 2 // d(mean BCE)/dz through the sigmoid
    }
    lastLoss = loss
    for (let j = 0; j < 3; j++) {
      const da = dz[0] * w2[j] + dz[1] * w2[3 + j]
      const dh = h[j] > 0 ? da : 0
      for (let i = 0; i < 2; i++) w2[3 * i + j] -= lr * dz[i] * a[j]
      for (let k = 0; k < 3; k++) w1[3 * j + k] -= lr * dh * x[k]
      b1[j] -= lr * dh
    }
    for (let i = 0; i < 2; i++) b2[i] -= lr * dz[i]
  }
  // Keep the loss observable so the compiler cannot drop its computation.
  ;(step as { loss?: () => number }).loss = () => lastLoss
  return step
}
