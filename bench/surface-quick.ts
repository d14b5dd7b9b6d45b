/**
 * The hot reductions of the tensor surface: softmax and logsumexp over the last dim and argmax
 * over [N, C], yann on wasm and on ts against TF.js's wasm backend (SIMD, one thread);
 * forward only, float32, medians of interleaved rounds (CPU time). Quick: run it alone with
 * `npx tsx bench/surface-quick.ts` (~30 s); it is not part of `npm run bench`.
 */
import * as yann from '../src/index.js'
import { measure, type Case } from './lib/measure.js'
import { loadTf, useTf } from './lib/tfjs.js'

const tf = await loadTf()
await yann.ready()

const SHAPES: [number, number][] = [
  [256, 1000],
  [4096, 10],
]
const OPS = {
  softmax: { yann: (x: yann.Tensor) => x.softmax(-1), tf: (x: import('@tensorflow/tfjs').Tensor2D) => tf.softmax(x, -1) },
  logsumexp: { yann: (x: yann.Tensor) => x.logsumexp(-1), tf: (x: import('@tensorflow/tfjs').Tensor2D) => tf.logSumExp(x, -1) },
  argmax: { yann: (x: yann.Tensor) => x.argmax(-1), tf: (x: import('@tensorflow/tfjs').Tensor2D) => tf.argMax(x, -1) },
}

for (const [n, c] of SHAPES) {
  const data = Float32Array.from({ length: n * c }, () => Math.random() * 8 - 4)
  const x = yann.tensor(data).reshape([n, c])
  useTf(tf, 'wasm')
  const tx = tf.tensor2d(data, [n, c])
  for (const [name, op] of Object.entries(OPS)) {
    const cases: Case[] = [
      { name: 'yann wasm', before: () => yann.setBackend('wasm'), fn: () => void op.yann(x) },
      { name: 'yann ts', before: () => yann.setBackend('ts'), fn: () => void op.yann(x) },
      { name: 'tfjs wasm', before: () => useTf(tf, 'wasm'), fn: () => tf.tidy(() => void op.tf(tx).dataSync()) },
    ]
    const results = await measure(cases, { rounds: 5, minBlockMs: 30, warmupMs: 150 })
    console.log(`${name} [${n}, ${c}]: ${results.map((r) => `${r.name} ${(r.cpu * 1e6).toFixed(1)} µs`).join(', ')}`)
  }
}
