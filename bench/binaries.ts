/**
 * yann.wasm against yann-relaxed.wasm, side by side: GEMM (public API and raw kernel), the MLP
 * step and the seed step, each against TF.js-wasm measured in the same process. The wasm
 * runtime holds one instance per process, so each binary runs in a child process of its own:
 * plain Node 20 (the probe picks yann.wasm) and Node with --experimental-wasm-relaxed-simd (it
 * picks yann-relaxed.wasm). Run: npm run bench:file -- bench/binaries.ts [--quick]; `npm run bench` runs it too.
 */
import { runChild } from './lib/child.js'
import { fileURLToPath } from 'node:url'
import * as yann from '../src/index.js'
import { gemmCases, VARIANTS } from './gemm.js'
import { measure, rate, type Result } from './lib/measure.js'
import { trainingCases } from './training.js'
import { SEED_NET } from './models.js'
import { answerHelp } from '../scripts/help.mjs'

const CONTESTANTS = ['yann-wasm', 'yann-wasm kernel', 'tfjs-wasm']

/** One binary's figures: per group, per contestant, work per second. */
export interface BinaryRun {
  relaxedSimd: boolean
  groups: { key: string; rates: Record<string, number> }[]
}

async function childMain(quick: boolean): Promise<BinaryRun> {
  const options = quick ? { rounds: 5, minBlockMs: 15, warmupMs: 100 } : { rounds: 7, minBlockMs: 40, warmupMs: 200 }
  const groups: BinaryRun['groups'] = []
  const keep = (results: Result[]): Record<string, number> =>
    Object.fromEntries(results.filter((r) => CONTESTANTS.includes(r.name)).map((r) => [r.name, rate(r)]))
  for (const n of quick ? [256, 512] : [256, 512, 1024]) {
    for (const v of VARIANTS) {
      const cases = (await gemmCases(n, v, false)).filter((c) => CONTESTANTS.includes(c.name))
      groups.push({ key: `GEMM n=${n} ${v.name}`, rates: keep(await measure(cases, options)) })
    }
  }
  for (const batch of quick ? [1, 32] : [1, 32, 256]) {
    const cases = (await trainingCases({ inF: 784, hidden: 256, outF: 10, batch }, false)).filter((c) => CONTESTANTS.includes(c.name))
    groups.push({ key: `MLP step batch ${batch}`, rates: keep(await measure(cases, options)) })
  }
  const seed = (await trainingCases(SEED_NET, false)).filter((c) => CONTESTANTS.includes(c.name))
  groups.push({ key: 'seed step', rates: keep(await measure(seed, options)) })
  return { relaxedSimd: yann.backendInfo().relaxedSimd, groups }
}

/** Runs both children; returns [plain, relaxed]. */
export function compareBinaries(quick: boolean): [BinaryRun, BinaryRun] {
  const self = fileURLToPath(import.meta.url)
  const args = quick ? ['--quick'] : []
  const plain = runChild<BinaryRun>(self, [], args)
  const relaxed = runChild<BinaryRun>(self, ['--experimental-wasm-relaxed-simd'], args)
  if (plain.relaxedSimd || !relaxed.relaxedSimd) throw new Error('bench/binaries: the children did not load the expected binaries')
  return [plain, relaxed]
}

const f = (x: number, d = 1): string => (Number.isFinite(x) ? x.toFixed(d) : '–')

/**
 * A group's rate for `who` on each binary, and TF.js-wasm's as measured beside it in the same
 * child (undefined if the group was not measured): each binary's ratio to TF.js-wasm is taken
 * within one process.
 */
export function groupRates([plain, relaxed]: [BinaryRun, BinaryRun], key: string, who: string): { plain: number; relaxed: number; tfPlain: number; tfRelaxed: number } | undefined {
  const p = plain.groups.find((g) => g.key === key)?.rates
  const r = relaxed.groups.find((g) => g.key === key)?.rates
  return p && r ? { plain: p[who], relaxed: r[who], tfPlain: p['tfjs-wasm'], tfRelaxed: r['tfjs-wasm'] } : undefined
}

/** The side-by-side table (markdown lines). */
export function binariesTable([plain, relaxed]: [BinaryRun, BinaryRun]): string[] {
  const md = [
    '| measure | yann.wasm | yann-relaxed.wasm | relaxed / plain | TF.js-wasm beside each | plain / TF.js | relaxed / TF.js |',
    '|:---|---:|---:|---:|---:|---:|---:|',
  ]
  for (const { key } of plain.groups) {
    const rows: [string, string][] = key.startsWith('GEMM')
      ? [[`${key} (public API)`, 'yann-wasm'], [`${key} (kernel)`, 'yann-wasm kernel']]
      : [[key, 'yann-wasm']]
    for (const [label, who] of rows) {
      const { plain: p, relaxed: r, tfPlain, tfRelaxed } = groupRates([plain, relaxed], key, who)!
      const gemm = key.startsWith('GEMM')
      const show = (x: number): string => (gemm ? `${f(x / 1e9)} GFLOP/s` : `${f(1000 / x, 3)} ms`)
      const tf = gemm ? `${f(tfPlain / 1e9)} / ${show(tfRelaxed)}` : `${f(1000 / tfPlain, 3)} / ${show(tfRelaxed)}`
      md.push(`| ${label} | ${show(p)} | ${show(r)} | ${f(r / p, 2)}× | ${tf} | ${f(p / tfPlain, 2)}× | ${f(r / tfRelaxed, 2)}× |`)
    }
  }
  return md
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  answerHelp(`Usage: npm run bench:file -- bench/binaries.ts [--quick]

yann.wasm against yann-relaxed.wasm side by side (GEMM public and kernel, MLP and seed steps),
each beside TF.js-wasm, one child process per binary.
  --quick     fewer sizes and shorter rounds
  -h, --help  this message`)
  const quick = process.argv.includes('--quick')
  if (process.argv.includes('--child')) {
    console.log(JSON.stringify(await childMain(quick)))
  } else {
    console.log(binariesTable(compareBinaries(quick)).join('\n'))
  }
}
