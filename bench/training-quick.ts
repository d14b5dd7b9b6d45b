/**
 * The training part's hot paths, yann only, on wasm (every kernel forced through wasm) and ts:
 * crossEntropy forward + backward on a GPT-shaped [B·T, V] and a wide [N, C], and one optimiser
 * step of SGD (momentum), Adam, RMSprop (centered, momentum) and Adagrad over a 784·256 + 256·10
 * parameter set; medians of interleaved rounds, CPU time. `npm run bench:file -- bench/training-quick.ts` (~40 s).
 */
import * as yann from '../src/index.js'
import { measure, type Case } from './lib/measure.js'
import { answerHelp } from '../scripts/help.mjs'

answerHelp(`Usage: npm run bench:file -- bench/training-quick.ts

crossEntropy forward + backward and optimiser steps, wasm and ts (~40 s); prints ms per call.
  -h, --help  this message`)

type Mode = ['wasm' | 'ts', { dispatchSmall?: boolean }]
const MODES: Record<string, Mode> = { wasm: ['wasm', { dispatchSmall: false }], ts: ['ts', {}] }
const use = ([be, options]: Mode) => (yann.setBackend as (n: string, o?: object) => void)(be, options)

await yann.ready()

for (const [n, c] of [[4096, 65], [256, 8192]]) {
  const cases: Case[] = Object.entries(MODES).map(([name, mode]) => {
    use(mode)
    const x = yann.randn([n, c], { requiresGrad: true })
    const t = yann.tensor(Array.from({ length: n }, (_, i) => (i * 7) % c), { dtype: 'int32' })
    return {
      name,
      before: () => use(mode),
      fn: () => {
        yann.F.crossEntropy(x, t).backward()
        x.grad = null
      },
    }
  })
  const results = await measure(cases, { rounds: 5, minBlockMs: 30, warmupMs: 200 })
  console.log(`crossEntropy [${n}, ${c}] fwd+bwd: ${results.map((r) => `${r.name} ${(r.cpu * 1e3).toFixed(2)} ms`).join(', ')}`)
}

const optimisers: Record<string, (ps: yann.Tensor[]) => yann.optim.Optimizer<any, any>> = {
  'SGD momentum': (ps) => new yann.optim.SGD(ps, { lr: 0.01, momentum: 0.9 }),
  Adam: (ps) => new yann.optim.Adam(ps),
  'RMSprop centered momentum': (ps) => new yann.optim.RMSprop(ps, { centered: true, momentum: 0.9 }),
  Adagrad: (ps) => new yann.optim.Adagrad(ps),
}
for (const [title, make] of Object.entries(optimisers)) {
  const cases: Case[] = Object.entries(MODES).map(([name, mode]) => {
    use(mode)
    const model = new yann.nn.Sequential(new yann.nn.Linear(784, 256), new yann.nn.Linear(256, 10))
    for (const p of model.parameters()) p.grad = yann.randn(p.shape)
    const opt = make(model.parameters())
    return { name, before: () => use(mode), fn: () => opt.step() }
  })
  const results = await measure(cases, { rounds: 5, minBlockMs: 30, warmupMs: 200 })
  console.log(`${title} step (203 530 parameters): ${results.map((r) => `${r.name} ${(r.cpu * 1e3).toFixed(3)} ms`).join(', ')}`)
}
