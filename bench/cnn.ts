/**
 * The CNN suite (issue 14). One training step of the reference CNN
 *
 *     Conv2d(1,8,3,padding=1) ReLU MaxPool2d(2) Conv2d(8,16,3,padding=1) ReLU MaxPool2d(2)
 *     Flatten Linear(784,10), cross-entropy, SGD (lr 0.05, momentum 0.9), batch 64
 *
 * on yann-wasm (eager, and its `yann.compile`d step), yann-ts and TF.js-cpu (channelsLast, tf.layers + optimizer.minimize); TF.js-wasm
 * cannot train it (no convolution gradients in its wasm backend) and is reported with its error.
 * Then conv2d forward GFLOP/s, 3×3 'same', C → C channels, batch 8, yann-wasm vs TF.js-wasm (XNNPACK).
 *
 *     npm run bench:file -- bench/cnn.ts [--quick]
 */
import { realpathSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import * as yann from '../src/index.js'
import { measure, rate, type Case } from './lib/measure.js'
import { trainStep } from './lib/train-step.js'
import type { Suite } from './lib/suite.js'
import { loadTf, useTf, type TF, type TfBackend } from './lib/tfjs.js'
import { answerHelp } from '../scripts/help.mjs'

const BATCH = 64

class Flatten extends yann.nn.Module {
  forward(x: yann.Tensor): yann.Tensor {
    return x.reshape([x.shape[0], -1])
  }
}

/**
 * The eager step takes class indices (int32); the compiled one (`yann.compile`) one-hot float
 * targets, as TF.js's step (softmaxCrossEntropy). (compile replays class indices too since
 * they became the nllLoss kernels; the row keeps the targets it was measured with.)
 */
function yannCnnStep(compiled = false): () => void {
  const { nn, optim } = yann
  yann.manualSeed(0)
  const model = new nn.Sequential(
    new nn.Conv2d(1, 8, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(8, 16, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new Flatten(), new nn.Linear(784, 10),
  )
  const opt = new optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 })
  const lossFn = new nn.CrossEntropyLoss()
  const x = yann.randn([BATCH, 1, 28, 28])
  const labels = Array.from({ length: BATCH }, (_, i) => i % 10)
  const step = trainStep(model, lossFn, opt)
  if (!compiled) {
    const y = yann.tensor(labels, { dtype: 'int32' })
    return () => void step(x, y)
  }
  const y = yann.tensor(labels.flatMap((c) => Array.from({ length: 10 }, (_, k) => (k === c ? 1 : 0)))).reshape([BATCH, 10])
  const fast = yann.compile(step)
  for (let i = 0; i < 3; i++) fast(x, y) // records (.grad null, then set), then replays
  if (fast.lastRun !== 'replay' || fast.replayPath !== 'wasm') {
    throw new Error(`bench/cnn.ts: the compiled CNN step does not replay in wasm (${fast.fallbackReason ?? fast.interpreterReason})`)
  }
  return () => void fast(x, y)
}

function tfCnnStep(tf: TF): () => void {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10 }),
    ],
  })
  const opt = tf.train.momentum(0.05, 0.9)
  const x = tf.randomNormal([BATCH, 28, 28, 1])
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: BATCH }, (_, i) => i % 10), 'int32'), 10)
  return () => {
    tf.tidy(() => {
      opt.minimize(() => tf.losses.softmaxCrossEntropy(y, model.predict(x) as never) as never)
    })
  }
}

/** TF.js-wasm's answer to one training step: its error message (it has no Conv2DBackpropFilter). */
export async function tfWasmTrainError(): Promise<string> {
  const tf = await loadTf()
  useTf(tf, 'wasm')
  try {
    tfCnnStep(tf)()
    return 'trained (unexpected)'
  } catch (e) {
    return e instanceof Error ? e.message : String(e)
  } finally {
    useTf(tf, 'cpu')
  }
}

async function stepCases(): Promise<Case[]> {
  const tf = await loadTf()
  const y = (b: 'wasm' | 'ts', compiled = false): Case => {
    yann.setBackend(b)
    return { name: compiled ? `yann-${b} compile()` : `yann-${b}`, before: () => yann.setBackend(b), fn: yannCnnStep(compiled) }
  }
  const t = (b: TfBackend): Case => {
    useTf(tf, b)
    return { name: `tfjs-${b}`, before: () => useTf(tf, b), fn: tfCnnStep(tf) }
  }
  return [y('wasm'), y('wasm', true), y('ts'), t('cpu')]
}

async function convCases(c: number, size: number): Promise<Case[]> {
  const tf = await loadTf()
  const n = 8
  const work = 2 * n * c * c * 9 * size * size
  yann.setBackend('wasm')
  const x = yann.randn([n, c, size, size])
  const w = yann.randn([c, c, 3, 3])
  useTf(tf, 'wasm')
  const tx = tf.randomNormal([n, size, size, c]) as ReturnType<TF['tensor4d']>
  const tw = tf.randomNormal([3, 3, c, c]) as ReturnType<TF['tensor4d']>
  return [
    { name: 'yann-wasm', before: () => yann.setBackend('wasm'), fn: () => void yann.noGrad(() => yann.F.conv2d(x, w, null, { padding: 1 })), work },
    { name: 'tfjs-wasm', before: () => useTf(tf, 'wasm'), fn: () => tf.tidy(() => void tf.conv2d(tx, tw, 1, 'same').dataSync()), work },
  ]
}

export const cnnSuite: Suite = {
  name: 'cnn',
  title: 'CNN',
  async groups(quick) {
    const convs = (quick ? [[8, 28], [32, 14]] : [[8, 28], [16, 28], [32, 28], [64, 28], [8, 14], [16, 14], [32, 14], [64, 14]]).map(([c, s]) => ({
      key: `conv2d 3x3 ${c}->${c} ${s}x${s}`,
      params: { c, size: s },
      cases: () => convCases(c, s),
    }))
    return [{ key: 'training step batch 64', params: { batch: BATCH }, cases: stepCases }, ...convs]
  },
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  answerHelp(`Usage: npm run bench:file -- bench/cnn.ts [--quick]

The reference CNN's training step (yann-wasm eager and compiled, yann-ts, TF.js-cpu) and conv2d 3×3
forward GFLOP/s against TF.js-wasm; CPU-time medians of interleaved rounds.
  --quick     fewer sizes and shorter rounds
  -h, --help  this message`)
  const quick = process.argv.includes('--quick')
  await yann.ready()
  console.log(`TF.js-wasm, one training step: cannot train: ${await tfWasmTrainError()}`)
  for (const g of await cnnSuite.groups(quick)) {
    const results = await measure(await g.cases(), { rounds: quick ? 3 : 7, minBlockMs: quick ? 30 : 60, warmupMs: quick ? 100 : 300 })
    const line = results.map((r) => (g.key.startsWith('conv') ? `${r.name} ${(rate(r) / 1e9).toFixed(2)} GFLOP/s` : `${r.name} ${(r.cpu * 1000).toFixed(1)} ms/step`))
    console.log(`${g.key}: ${line.join(', ')}`)
  }
}
