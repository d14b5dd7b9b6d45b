/**
 * The GPT suite's yann-wasm case alone (issue 15's speed target): CPU milliseconds per
 * training iteration of the Moby-Dick GPT (bench/gpt.ts's step: forward, cross-entropy,
 * backward, clipGradNorm, AdamW), the median of `rounds` rounds of 10 iterations after 3
 * untimed. CPU time (process.cpuUsage), not wall time: the machine is shared.
 *
 *     npx tsx bench/gpt-quick.ts [rounds]                                          (plain binary)
 *     node --experimental-wasm-relaxed-simd --import tsx bench/gpt-quick.ts [rounds]  (relaxed)
 */
import * as yann from '../src/index.js'
import { yannGptStep } from './gpt.js'

await yann.ready()
const rounds = Number(process.argv[2] ?? 5)
const step = yannGptStep('wasm')
for (let i = 0; i < 3; i++) step()
const ms: number[] = []
for (let r = 0; r < rounds; r++) {
  const c0 = process.cpuUsage()
  for (let i = 0; i < 10; i++) step()
  const c = process.cpuUsage(c0)
  ms.push((c.user + c.system) / 1e4)
}
ms.sort((a, b) => a - b)
const binary = yann.backendInfo().relaxedSimd ? 'relaxed' : 'plain'
console.log(`yann-wasm (${binary} binary) GPT iteration: median ${ms[rounds >> 1].toFixed(1)} ms CPU (rounds: ${ms.map((m) => m.toFixed(1)).join(' ')})`)
