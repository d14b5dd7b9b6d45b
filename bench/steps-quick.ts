/**
 * The two steps the call path decides: the seed 3-3-2 step and the MLP 784-256-10 step
 * (batch 32), yann only, wasm (default dispatch), wasm with every kernel forced through wasm,
 * and ts; steps/s, medians of interleaved rounds. `npm run bench:file -- bench/steps-quick.ts` (~10 s):
 * for before/after ratios of a change to the call path (CONTRIBUTING.md).
 */
import * as yann from '../src/index.js'
import { measure, rate, type Case } from './lib/measure.js'
import { SEED_NET, yannStep, type Net } from './models.js'
import { answerHelp } from '../scripts/help.mjs'

answerHelp(`Usage: npm run bench:file -- bench/steps-quick.ts

Steps/s of the seed 3-3-2 step and the 784-256-10 MLP step (batch 32) on wasm, wasm with every kernel forced, and ts (~10 s).`)

type Mode = ['wasm' | 'ts', { dispatchSmall?: boolean }]
const MODES: Record<string, Mode> = { wasm: ['wasm', {}], 'wasm-forced': ['wasm', { dispatchSmall: false }], ts: ['ts', {}] }

function cases(net: Net): Case[] {
  return Object.entries(MODES).map(([name, [be, options]]) => {
    const use = () => (yann.setBackend as (n: string, o?: object) => void)(be, options)
    use()
    const { step } = yannStep(net)
    return { name, before: use, fn: step }
  })
}

// The MLP's rounds: at 7 blocks of 30 ms (~36 steps) two identical contestants read up to 16%
// apart (a collection or a burst of load in one block moves its median); at 15 of 60 ms, ≤ 4%.
const ROUNDS = { seed: { rounds: 7, minBlockMs: 30, warmupMs: 200 }, mlp: { rounds: 15, minBlockMs: 60, warmupMs: 200 } }

await yann.ready()
for (const [title, net] of [['seed 3-3-2', SEED_NET], ['MLP 784-256-10 batch 32', { inF: 784, hidden: 256, outF: 10, batch: 32 }]] as const) {
  const results = await measure(cases(net), net.seed ? ROUNDS.seed : ROUNDS.mlp)
  console.log(`${title}: ${results.map((r) => `${r.name} ${Math.round(rate(r))} steps/s`).join(', ')}`)
}
