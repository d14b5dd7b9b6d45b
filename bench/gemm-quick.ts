/**
 * Quick GEMM timing: GFLOP/s of A·B, A·Bᵀ and Aᵀ·B for square n × n float32 (and float64)
 * matrices, wasm against ts. Run: npm run bench:file -- bench/gemm-quick.ts [--f64] [--sizes 64,128,...]
 * Each figure is the median of 9 timed runs, each long enough (≥ ~30 ms) to time well.
 * Arrays are ordinary JS arrays, so the wasm figures include staging them in and out.
 * --cpu times with process.cpuUsage() (this process's CPU time) instead of the wall clock:
 * on a shared, busy machine that measures the kernel rather than the scheduler.
 */
import { tsBackend } from '../src/backend/ts/index.js'
import type { Backend } from '../src/backend/types.js'
import { wasmLoader, wasmOnlyBackend } from '../src/backend/wasm/index.js'
// The package entry registers the embedded wasm binary (the loader needs it since 28bc791).
import '../src/index.js'
import { answerHelp } from '../scripts/help.mjs'

answerHelp(`Usage: npm run bench:file -- bench/gemm-quick.ts [--f64] [--sizes 64,128,...] [--no-ts] [--cpu]

GFLOP/s of A·B, A·Bᵀ and Aᵀ·B for square float32 (and float64) matrices, wasm against ts.`)

const argv = process.argv.slice(2)
const f64 = argv.includes('--f64')
const at = argv.indexOf('--sizes')
const sizes = at >= 0 ? argv[at + 1].split(',').map(Number) : [64, 128, 256, 384, 512]
const skipTs = argv.includes('--no-ts')
const cpu = argv.includes('--cpu')
const now = cpu
  ? () => {
      const u = process.cpuUsage()
      return (u.user + u.system) / 1000
    }
  : () => performance.now()

if (!wasmLoader.loadSync()) throw new Error('cannot load the wasm backend')

const variants: [string, boolean, boolean][] = [
  ['A·B', false, false],
  ['A·Bᵀ', false, true],
  ['Aᵀ·B', true, false],
]

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[s.length >> 1]
}

function gflops(be: Backend, n: number, transA: boolean, transB: boolean): number {
  const make = (len: number) => {
    const a = f64 ? new Float64Array(len) : new Float32Array(len)
    for (let i = 0; i < len; i++) a[i] = Math.random() * 2 - 1
    return a
  }
  const a = make(n * n)
  const b = make(n * n)
  const out = make(n * n)
  const call = () => be.gemm(a, b, out, { m: n, n, k: n, transA, transB })
  // Calibrate the repetitions so one timed run takes ≥ ~30 ms.
  call()
  let reps = 1
  for (;;) {
    const t0 = now()
    for (let i = 0; i < reps; i++) call()
    if (now() - t0 >= 30) break
    reps *= 2
  }
  const times: number[] = []
  for (let r = 0; r < 9; r++) {
    const t0 = now()
    for (let i = 0; i < reps; i++) call()
    times.push((now() - t0) / reps)
  }
  return (2 * n ** 3) / (median(times) * 1e6)
}

console.log(`GEMM ${f64 ? 'float64' : 'float32'}, GFLOP/s (median of 9, ${cpu ? 'CPU time' : 'wall clock'}), node ${process.version}`)
const header = ['n', ...variants.flatMap(([v]) => (skipTs ? [`wasm ${v}`] : [`wasm ${v}`, `ts ${v}`]))]
console.log(header.map((h) => h.padStart(11)).join(''))
for (const n of sizes) {
  const row: string[] = [String(n)]
  for (const [, ta, tb] of variants) {
    row.push(gflops(wasmOnlyBackend, n, ta, tb).toFixed(1))
    if (!skipTs) row.push(gflops(tsBackend, n, ta, tb).toFixed(2))
  }
  console.log(row.map((c) => c.padStart(11)).join(''))
}
