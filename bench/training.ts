/**
 * Suite 2: one training step of the 784-256-10 MLP (ReLU, Sigmoid, BCE mean, SGD lr 0.01) at
 * batch 1, 32 and 256. Suite 3: one step of the seed's 3-3-2 network, steps/s, with a plain-JS
 * step as the physical limit. yann runs through nn/optim (the autograd API), TF.js through
 * variables and optimizer.minimize, each library on each of its backends.
 * Run alone: npm run bench:file -- bench/training.ts [--batch 1,32,256] [--cases ...] [--quick]
 * (the MLP suite as `npm run bench` times it, for A/B runs in fresh processes).
 */
import { fileURLToPath } from 'node:url'
import * as yann from '../src/index.js'
import { answerHelp } from '../scripts/help.mjs'
import { option } from './lib/args.js'
import { measure, type Case } from './lib/measure.js'
import type { Suite } from './lib/suite.js'
import { loadTf, useTf, type TfBackend } from './lib/tfjs.js'
import { plainSeedStep, SEED_NET, tfStep, yannStep, type Net } from './models.js'

export async function trainingCases(net: Net, withPlain: boolean): Promise<Case[]> {
  const tf = await loadTf()
  const yannCase = (backend: 'wasm' | 'ts'): Case => {
    yann.setBackend(backend)
    const { step } = yannStep(net)
    return { name: `yann-${backend}`, before: () => yann.setBackend(backend), fn: step }
  }
  const tfCase = (backend: TfBackend): Case => {
    useTf(tf, backend)
    const step = tfStep(tf, net)
    return { name: `tfjs-${backend}`, before: () => useTf(tf, backend), fn: step }
  }
  const cases = [yannCase('wasm'), yannCase('ts'), tfCase('wasm'), tfCase('cpu')]
  if (withPlain) cases.push({ name: 'plain JS', fn: plainSeedStep() })
  return cases
}

export const mlpSuite: Suite = {
  name: 'mlp',
  title: 'MLP 784-256-10 training step',
  async groups(quick) {
    const batches = quick ? [32] : [1, 32, 256]
    return batches.map((batch) => ({
      key: `batch ${batch}`,
      params: { batch },
      cases: () => trainingCases({ inF: 784, hidden: 256, outF: 10, batch }, false),
    }))
  },
}

export const seedSuite: Suite = {
  name: 'seed',
  title: 'Seed 3-3-2 training step',
  async groups() {
    return [{ key: '3-3-2', params: {}, cases: () => trainingCases(SEED_NET, true) }]
  },
}

/** The MLP suite alone, with the rounds `npm run bench` gives it; ms per step and yann-wasm / TF.js-wasm. */
async function main(): Promise<void> {
  const argv = process.argv.slice(2)
  const quick = argv.includes('--quick')
  const batches = option(argv, '--batch', '1,32,256').split(',').map(Number)
  const names = option(argv, '--cases', 'yann-wasm,yann-ts,tfjs-wasm,tfjs-cpu').split(',')
  log(`node ${process.version}, yann ${yann.backendInfo().relaxedSimd ? 'yann-relaxed.wasm' : 'yann.wasm'}; CPU-time medians, ms per step`)
  for (const batch of batches) {
    const cases = (await trainingCases({ inF: 784, hidden: 256, outF: 10, batch }, false)).filter((c) => names.includes(c.name))
    const results = await measure(cases, quick ? { rounds: 5, minBlockMs: 15, warmupMs: 100 } : { rounds: 9, minBlockMs: 60, warmupMs: 300 })
    const ms = Object.fromEntries(results.map((r) => [r.name, r.cpu * 1e3]))
    const ratio = ms['tfjs-wasm'] && ms['yann-wasm'] ? `, yann-wasm ${(ms['tfjs-wasm'] / ms['yann-wasm']).toFixed(2)}× TF.js-wasm` : ''
    log(`MLP 784-256-10 batch ${batch}: ${results.map((r) => `${r.name} ${(r.cpu * 1e3).toFixed(3)}`).join(', ')}${ratio}`)
  }
}

const log = (s: string): void => console.log(s)

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  answerHelp(`Usage: npm run bench:file -- bench/training.ts [--batch 1,32,256] [--cases yann-wasm,yann-ts,tfjs-wasm,tfjs-cpu] [--quick]

The MLP 784-256-10 training step (npm run bench's suite 2) alone: ms per step of each case
(CPU-time medians of interleaved rounds, as npm run bench times them) and yann-wasm's ratio to
TF.js-wasm. Add node's --experimental-wasm-relaxed-simd to run yann-relaxed.wasm.
  --batch     batch sizes (default 1,32,256)
  --cases     contestants to time (default all four)
  --quick     shorter rounds, as npm run bench -- --quick
  -h, --help  this message`)
  await main()
}
