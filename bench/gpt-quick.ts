/**
 * The GPT suite's yann-wasm cases alone (issue 15's speed target): CPU milliseconds per
 * training iteration of the Moby-Dick GPT (bench/gpt.ts's step: forward, cross-entropy,
 * backward, clipGradNorm, AdamW), eager and compiled (yann.compile replays zeroGrad, forward,
 * loss and backward; clipping and AdamW eager, as train-gpt runs), each its own model. Rounds
 * of 10 iterations alternate between the two after 3 untimed each; the medians of `rounds`.
 * CPU time (process.cpuUsage) and wall time: the machine is shared.
 *
 *     npm run bench:file -- bench/gpt-quick.ts [rounds]                                                 (plain binary)
 *     node --experimental-wasm-relaxed-simd --import ./bench/lib/loader.mjs bench/gpt-quick.ts [rounds]  (relaxed)
 */
import * as yann from '../src/index.js'
import { yannGptStep } from './gpt.js'
import { answerHelp } from '../scripts/help.mjs'

answerHelp(`Usage: npm run bench:file -- bench/gpt-quick.ts [rounds]
       node --experimental-wasm-relaxed-simd --import ./bench/lib/loader.mjs bench/gpt-quick.ts [rounds]

The GPT training iteration on yann-wasm, eager and compiled, alternating rounds of 10
(default 5 rounds); CPU and wall ms per iteration.
  -h, --help  this message`)
await yann.ready()
const rounds = Number(process.argv[2] ?? 5)
const steps = { eager: yannGptStep('wasm'), compiled: yannGptStep('wasm', true) }
const times: Record<string, { cpu: number[]; wall: number[] }> = { eager: { cpu: [], wall: [] }, compiled: { cpu: [], wall: [] } }
for (const step of Object.values(steps)) for (let i = 0; i < 3; i++) step()
for (let r = 0; r < rounds; r++) {
  for (const [name, step] of Object.entries(steps)) {
    const c0 = process.cpuUsage()
    const w0 = performance.now()
    for (let i = 0; i < 10; i++) step()
    const c = process.cpuUsage(c0)
    times[name].wall.push((performance.now() - w0) / 10)
    times[name].cpu.push((c.user + c.system) / 1e4)
  }
}
const median = (a: number[]): number => [...a].sort((x, y) => x - y)[a.length >> 1]
const binary = yann.backendInfo().relaxedSimd ? 'relaxed' : 'plain'
for (const [name, t] of Object.entries(times)) {
  console.log(`yann-wasm ${name} (${binary} binary) GPT iteration: median ${median(t.cpu).toFixed(1)} ms CPU, ${median(t.wall).toFixed(1)} ms wall (CPU rounds: ${t.cpu.map((m) => m.toFixed(1)).join(' ')})`)
}
