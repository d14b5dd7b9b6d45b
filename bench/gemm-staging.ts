/**
 * Where A·B through the public API loses to the raw kernel: matmul(a, b) on JS-memory float32
 * tensors (staging included), the kernel on wasm-resident arrays, TF.js-wasm, and the staging's
 * parts timed alone on arrays of the same size: allocating the result (`new Float32Array`),
 * copying A and B into wasm memory, copying C out. One process, interleaved rounds, CPU time.
 * Run: npm run bench:file -- bench/gemm-staging.ts [--sizes 256,512,1024] [--rounds 7]
 */
import { allocFloat } from '../src/backend/wasm/index.js'
import { gemmCases, VARIANTS } from './gemm.js'
import { measure, rate, type Case } from './lib/measure.js'
import { answerHelp } from '../scripts/help.mjs'
import { option } from './lib/args.js'

answerHelp(`Usage: npm run bench:file -- bench/gemm-staging.ts [--sizes 256,512,1024] [--rounds 7]

A·B through the public API, the raw kernel, TF.js-wasm and the staging's parts, side by side.`)

const argv = process.argv.slice(2)
const opt = (name: string, dflt: string): string => option(argv, name, dflt)
const sizes = opt('--sizes', '256,512,1024').split(',').map(Number)
const rounds = Number(opt('--rounds', '7'))

/** The staging's parts alone: what matmul pays besides the kernel. */
function stagingCases(n: number): Case[] {
  const a = new Float32Array(n * n).fill(1)
  const resident = allocFloat('float32', 3 * n * n)
  let sink = 0
  return [
    { name: 'alloc C', fn: () => (sink += new Float32Array(n * n).length) },
    {
      name: 'copy A, B in',
      fn: () => {
        const heap = resident.view()
        heap.set(a, 0)
        heap.set(a, n * n)
      },
    },
    {
      name: 'alloc C + copy out',
      fn: () => {
        const c = new Float32Array(n * n)
        c.set(resident.view().subarray(2 * n * n))
        sink += c[0]
      },
    },
  ]
}

const fmt = (x: number): string => x.toFixed(1).padStart(6)
for (const n of sizes) {
  const gemm = (await gemmCases(n, VARIANTS[0], false)).filter((c) => c.name !== 'tfjs-cpu')
  const staging = stagingCases(n)
  const results = await measure([...gemm, ...staging], { rounds })
  const by = new Map(results.map((r) => [r.name, r]))
  const tf = rate(by.get('tfjs-wasm')!)
  const pub = by.get('yann-wasm')!
  const kernel = by.get('yann-wasm kernel')!
  console.log(
    `n=${n} A·B GFLOP/s: public ${fmt(rate(pub) / 1e9)} (${(rate(pub) / tf).toFixed(2)}× TF.js-wasm)` +
      `  kernel ${fmt(rate(kernel) / 1e9)} (${(rate(kernel) / tf).toFixed(2)}×)  TF.js-wasm ${fmt(tf / 1e9)}`,
  )
  const ms = (name: string): string => `${(by.get(name)!.cpu * 1e3).toFixed(3)} ms`
  console.log(
    `  per call: public ${ms('yann-wasm')}, kernel ${ms('yann-wasm kernel')}, gap ${((pub.cpu - kernel.cpu) * 1e3).toFixed(3)} ms;` +
      ` alone: alloc C ${ms('alloc C')}, copy A, B in ${ms('copy A, B in')}, alloc C + copy out ${ms('alloc C + copy out')}`,
  )
}
