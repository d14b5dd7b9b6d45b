/**
 * Transposed copies through the public API (`.T`, `permute`) and what they cost Aᵀ·B: float32
 * and float64 `.T` of n × n, a non-square `.T`, a 3-D permute, and matmul(a.T, b) beside A·B and
 * A·Bᵀ (bench/gemm.ts's public cases) in GFLOP/s. One process, interleaved rounds, CPU time; for
 * an A/B of two trees, run this file in fresh processes of each, alternating (one JSON line each
 * with --json). Run: npm run bench:file -- bench/transpose.ts [--sizes 128,256,512,1024] [--gemm 256,512,1024]
 * [--rounds 7] [--json]
 */
import * as yann from '../src/index.js'
import { answerHelp } from '../scripts/help.mjs'
import { option } from './lib/args.js'
import { measure, type Case } from './lib/measure.js'

answerHelp(`Usage: npm run bench:file -- bench/transpose.ts [--sizes 128,256,512,1024] [--gemm 256,512,1024] [--rounds 7] [--json]

.T, permute and matmul(a.T, b) through the public API on the wasm backend, in one process.`)

const argv = process.argv.slice(2)
const json = argv.includes('--json')
const list = (name: string, dflt: string): number[] => option(argv, name, dflt).split(',').filter(Boolean).map(Number)
const sizes = list('--sizes', '128,256,512,1024')
const gemmSizes = list('--gemm', '256,512,1024')
const rounds = Number(option(argv, '--rounds', '7'))

const random = (shape: number[], dtype: 'float32' | 'float64'): yann.Tensor => yann.rand(shape, { dtype }).sub(0.5)

let sink = 0
const copy = (name: string, x: yann.Tensor, f: (x: yann.Tensor) => yann.Tensor): Case => ({ name, fn: () => void (sink += f(x).data.length) })
const cases: Case[] = []
for (const dtype of ['float32', 'float64'] as const) {
  for (const n of sizes) cases.push(copy(`.T ${n}x${n} ${dtype}`, random([n, n], dtype), (x) => x.T))
  cases.push(copy(`.T 384x1000 ${dtype}`, random([384, 1000], dtype), (x) => x.T))
  cases.push(copy(`permute(0,2,1) 8x512x64 ${dtype}`, random([8, 512, 64], dtype), (x) => x.permute(0, 2, 1)))
}
for (const n of gemmSizes) {
  const [a, b] = [random([n, n], 'float32'), random([n, n], 'float32')]
  const work = 2 * n ** 3
  cases.push({ name: `A·B ${n}`, fn: () => void (sink += yann.matmul(a, b).data.length), work })
  cases.push({ name: `A·Bᵀ ${n}`, fn: () => void (sink += yann.F.linear(a, b).data.length), work })
  cases.push({ name: `Aᵀ·B ${n}`, fn: () => void (sink += yann.matmul(a.T, b).data.length), work })
}

yann.setBackend('wasm')
const results = await measure(cases, { rounds })
const row = Object.fromEntries(results.map((r) => [r.name, r.work > 1 ? r.work / r.cpu / 1e9 : r.cpu * 1e6]))
if (json) console.log(JSON.stringify(row))
else for (const [name, v] of Object.entries(row)) console.log(`${name.padEnd(30)} ${v.toFixed(name.startsWith('A') ? 2 : 1).padStart(9)} ${name.startsWith('A') ? 'GFLOP/s' : 'µs'}`)
if (sink < 0) console.log(sink)
