/**
 * The hot ops of the tensor surface: softmax and logsumexp over the last dim, argmax over [N, C]
 * and gelu, yann on wasm and on ts against TF.js's wasm backend (SIMD, one thread);
 * forward only, float32, medians of interleaved rounds (CPU time). Part of `npm run bench`; alone:
 * `npm run bench:file -- bench/surface-quick.ts` (~30 s).
 */
import { realpathSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import * as yann from '../src/index.js'
import { measure, type Case } from './lib/measure.js'
import { loadTf, useTf } from './lib/tfjs.js'
import { answerHelp } from '../scripts/help.mjs'

const SHAPES: [number, number][] = [
  [256, 1000],
  [4096, 10],
]
const opsOf = (tf: Awaited<ReturnType<typeof loadTf>>) => ({
  softmax: { yann: (x: yann.Tensor) => x.softmax(-1), tf: (x: import('@tensorflow/tfjs').Tensor2D) => tf.softmax(x, -1) },
  logsumexp: { yann: (x: yann.Tensor) => x.logsumexp(-1), tf: (x: import('@tensorflow/tfjs').Tensor2D) => tf.logSumExp(x, -1) },
  argmax: { yann: (x: yann.Tensor) => x.argmax(-1), tf: (x: import('@tensorflow/tfjs').Tensor2D) => tf.argMax(x, -1) },
  // TF.js has no gelu op: its exact form from tf.erf, as a TF.js user writes it.
  gelu: { yann: (x: yann.Tensor) => yann.F.gelu(x), tf: (x: import('@tensorflow/tfjs').Tensor2D) => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2)))) },
})

/** softmax, logsumexp, argmax and gelu on [256, 1000] and [4096, 10]: one line each. */
export async function surfaceBench(log: (line: string) => void = console.log): Promise<void> {
  const tf = await loadTf()
  await yann.ready()
  for (const [n, c] of SHAPES) {
    const data = Float32Array.from({ length: n * c }, () => Math.random() * 8 - 4)
    const x = yann.tensor(data).reshape([n, c])
    useTf(tf, 'wasm')
    const tx = tf.tensor2d(data, [n, c])
    for (const [name, op] of Object.entries(opsOf(tf))) {
      const cases: Case[] = [
        { name: 'yann wasm', before: () => yann.setBackend('wasm'), fn: () => void op.yann(x) },
        { name: 'yann ts', before: () => yann.setBackend('ts'), fn: () => void op.yann(x) },
        { name: 'tfjs wasm', before: () => useTf(tf, 'wasm'), fn: () => tf.tidy(() => void op.tf(tx).dataSync()) },
      ]
      const results = await measure(cases, { rounds: 5, minBlockMs: 30, warmupMs: 150 })
      log(`${name} [${n}, ${c}]: ${results.map((r) => `${r.name} ${(r.cpu * 1e6).toFixed(1)} µs`).join(', ')}`)
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  answerHelp(`Usage: npm run bench:file -- bench/surface-quick.ts

softmax, logsumexp, argmax and gelu forward, yann (wasm, ts) against TF.js-wasm (~30 s).
  -h, --help  this message`)
  await surfaceBench()
}
