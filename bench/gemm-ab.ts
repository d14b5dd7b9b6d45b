/**
 * GEMM A/B: several builds of the float32 kernel side by side with TF.js-wasm, in one process.
 * Run: npm run bench:file -- bench/gemm-ab.ts [--sizes 256,512,1024] [--variants AB,ABt,AtB] [--rounds 9] [--best] [--no-tf] [--no-check] a.wasm b.wasm ...
 * Each .wasm must export memory, alloc and gemm_f32 (any entry that re-exports assembly/gemm.ts does;
 * build/yann.wasm holds it in its `kernels` table, found through this tree's kernel-table.generated.ts). Operands live in each module's memory (the raw kernel,
 * no staging). Medians of interleaved rounds in CPU time (lib/measure.ts). Before timing, each
 * build's result is checked against the first one's on odd sizes and on every timed size.
 */
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { measure, rate, type Case } from './lib/measure.js'
import { loadTf, useTf } from './lib/tfjs.js'
import { answerHelp } from '../scripts/help.mjs'
import { kernelTable } from '../src/backend/wasm/kernel-table.generated.js'
import { option } from './lib/args.js'

answerHelp(`Usage: npm run bench:file -- bench/gemm-ab.ts [--sizes 256,512,1024] [--variants AB,ABt,AtB] [--rounds 9] [--best] [--no-tf] [--no-check] a.wasm b.wasm ...

Several builds of the float32 GEMM kernel side by side with TF.js-wasm, in one process.`)

const argv = process.argv.slice(2)
const opt = (name: string, dflt: string): string => option(argv, name, dflt)
const sizes = opt('--sizes', '256,512,1024').split(',').map(Number)
const wanted = opt('--variants', 'AB,ABt,AtB').split(',')
const rounds = Number(opt('--rounds', '9'))
const noTf = argv.includes('--no-tf')
const noCheck = argv.includes('--no-check')
// --best: the fastest of many short rounds (3 ms) instead of the median of long ones: on a
// loaded machine, the least disturbed run
const best = argv.includes('--best')
const files = argv.filter((a) => !a.startsWith('--'))

interface Gemm {
  name: string
  mem: WebAssembly.Memory
  alloc: (n: number) => number
  gemm: (...args: (number | boolean)[]) => void
}
const builds: Gemm[] = files.map((f) => {
  const inst = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(f)), {
    env: { abort: () => { throw new Error('abort') } },
  })
  const e = inst.exports as Record<string, unknown>
  const gemm = e.kernels instanceof WebAssembly.Table ? e.kernels.get(2 * kernelTable.split(' ').indexOf('gemm')) : e.gemm_f32
  return { name: basename(f, '.wasm'), mem: e.memory as WebAssembly.Memory, alloc: e.alloc as Gemm['alloc'], gemm: gemm as Gemm['gemm'] }
})

const VARIANTS = [
  { key: 'AB', name: 'A·B', ta: false, tb: false },
  { key: 'ABt', name: 'A·Bᵀ', ta: false, tb: true },
  { key: 'AtB', name: 'Aᵀ·B', ta: true, tb: false },
].filter((v) => wanted.includes(v.key))

const rnd = (len: number): Float32Array => Float32Array.from({ length: len }, () => Math.random() * 2 - 1)

/** Runs one build on (m, n, k); returns [call, result view getter]. */
function setup(g: Gemm, m: number, n: number, k: number, ta: boolean, tb: boolean, a: Float32Array, b: Float32Array, bias: Float32Array | null) {
  const pa = g.alloc(a.length * 4) >>> 0
  const pb = g.alloc(b.length * 4) >>> 0
  const po = g.alloc(m * n * 4) >>> 0
  const pbias = bias ? g.alloc(bias.length * 4) >>> 0 : 0
  new Float32Array(g.mem.buffer, pa, a.length).set(a)
  new Float32Array(g.mem.buffer, pb, b.length).set(b)
  if (bias) new Float32Array(g.mem.buffer, pbias, bias.length).set(bias)
  const call = (): void => g.gemm(pa, pb, po, 1, m, n, k, ta, tb, 0, 0, pbias)
  return { call, out: () => new Float32Array(g.mem.buffer, po, m * n).slice() }
}

// Correctness against the first build (odd sizes, edges, bias, every variant).
if (builds.length > 1 && !noCheck) {
  for (const [m, n, k] of [[1, 1, 1], [5, 7, 3], [13, 17, 300], [67, 35, 129], [130, 1030, 257], [64, 64, 64], [256, 256, 256]]) {
    for (const v of [...VARIANTS, { key: 'AtBt', name: 'Aᵀ·Bᵀ', ta: true, tb: true }]) {
      for (const withBias of [false, true]) {
        const a = rnd(m * k), b = rnd(k * n), bias = withBias ? rnd(n) : null
        const ref = setup(builds[0], m, n, k, v.ta, v.tb, a, b, bias)
        ref.call()
        const want = ref.out()
        for (const g of builds.slice(1)) {
          const s = setup(g, m, n, k, v.ta, v.tb, a, b, bias)
          s.call()
          const got = s.out()
          let err = 0
          for (let i = 0; i < want.length; i++) err = Math.max(err, Math.abs(got[i] - want[i]))
          if (!(err <= 1e-3 * Math.sqrt(k))) throw new Error(`${g.name} ${v.name} ${m}x${n}x${k} bias=${withBias}: max err ${err}`)
        }
      }
    }
  }
  console.log('results agree with', builds[0].name)
}

// Warm every build up (V8 tiers hot wasm functions up from Liftoff to TurboFan in the background).
for (const g of builds) {
  for (const v of VARIANTS) {
    const s = setup(g, 192, 192, 192, v.ta, v.tb, rnd(192 * 192), rnd(192 * 192), null)
    const t0 = performance.now()
    while (performance.now() - t0 < 300) s.call()
  }
}
const tf = noTf ? null : await loadTf()
if (tf) {
  useTf(tf, 'wasm')
  // Warm TF.js up before timing: V8 compiles its wasm module in background threads, whose CPU
  // time process.cpuUsage() counts, so the first groups measured would otherwise read low.
  const x = tf.tensor2d(rnd(256 * 256), [256, 256])
  const t0 = performance.now()
  while (performance.now() - t0 < 2000) for (const v of VARIANTS) tf.matMul(x, x, v.ta, v.tb).dispose()
  x.dispose()
}
console.log(`GFLOP/s, ${best ? 'best' : 'medians'} of ${rounds} interleaved rounds, CPU time, node ${process.version}`)
const cols = [...builds.map((g) => g.name), ...(tf ? ['tfjs-wasm'] : [])]
console.log(['n', 'variant', ...cols, ...builds.slice(1).map((g) => `${g.name}/${builds[0].name}`), ...(tf ? builds.map((g) => `${g.name}/tf`) : [])].map((c) => c.padStart(12)).join(''))
for (const n of sizes) {
  for (const v of VARIANTS) {
    const a = rnd(n * n), b = rnd(n * n)
    const cases: Case[] = builds.map((g) => ({ name: g.name, fn: setup(g, n, n, n, v.ta, v.tb, a, b, null).call, work: 2 * n ** 3 }))
    if (tf) {
      const ta = tf.tensor2d(a, [n, n]), tb = tf.tensor2d(b, [n, n])
      cases.push({ name: 'tfjs-wasm', fn: () => tf.matMul(ta, tb, v.ta, v.tb).dispose(), work: 2 * n ** 3 })
    }
    const r = (await measure(cases, { rounds, minBlockMs: best ? 3 : 60, warmupMs: 200 })).map((x) => (best ? x.work / Math.min(...x.samples) : rate(x)) / 1e9)
    const ratios = builds.slice(1).map((_, i) => (r[i + 1] / r[0]).toFixed(2) + '×')
    const vsTf = tf ? builds.map((_, i) => (r[i] / r[r.length - 1]).toFixed(2) + '×') : []
    console.log([String(n), v.name, ...r.map((x) => x.toFixed(1)), ...ratios, ...vsTf].map((c) => c.padStart(12)).join(''))
  }
}
