/**
 * A CNN with BatchNorm in training mode, eager against `yann.compile`d (which fell back to eager
 * before its running statistics replayed), interleaved in one process, CPU time (lib/measure.ts):
 *
 *     Conv2d(1,8,3,padding=1) BatchNorm2d(8) ReLU MaxPool2d(2) Conv2d(8,16,3,padding=1) BatchNorm2d(16)
 *     ReLU MaxPool2d(2) Flatten Linear(784,10), cross-entropy on class indices, SGD (lr 0.05, momentum 0.9)
 *
 * on wasm (default dispatch) and on ts, at batch 64 and batch 8.
 *
 *     npm run bench:file -- bench/compile-batchnorm.ts [--rounds 7]
 */
import * as yann from '../src/index.js'
import { measure, type Case } from './lib/measure.js'
import { trainStep } from './lib/train-step.js'
import { answerHelp } from '../scripts/help.mjs'

answerHelp(`Usage: npm run bench:file -- bench/compile-batchnorm.ts [--rounds 7]

A CNN with BatchNorm in training mode, eager against compiled, on wasm and ts at batch 64 and 8;
CPU ms per step, medians of interleaved rounds.
  --rounds N  rounds per case (default 7)
  -h, --help  this message`)
const argv = process.argv.slice(2)
const rounds = Number(argv[argv.indexOf('--rounds') + 1] || 7)

class Flatten extends yann.nn.Module {
  forward(x: yann.Tensor): yann.Tensor {
    return x.reshape([x.shape[0], -1])
  }
}

function cnnStep(batch: number, compiled: boolean): () => void {
  const { nn, optim } = yann
  yann.manualSeed(0)
  const model = new nn.Sequential(
    new nn.Conv2d(1, 8, 3, { padding: 1 }), new nn.BatchNorm2d(8), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(8, 16, 3, { padding: 1 }), new nn.BatchNorm2d(16), new nn.ReLU(), new nn.MaxPool2d(2),
    new Flatten(), new nn.Linear(784, 10),
  )
  const opt = new optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 })
  const lossFn = new nn.CrossEntropyLoss()
  const x = yann.randn([batch, 1, 28, 28])
  const y = new yann.Tensor(Int32Array.from({ length: batch }, (_, i) => i % 10), [batch])
  const step = trainStep(model, lossFn, opt)
  if (!compiled) return () => void step(x, y)
  const fast = yann.compile(step)
  for (let i = 0; i < 3; i++) fast(x, y) // records (.grad null, then set), then replays
  if (fast.lastRun !== 'replay') throw new Error(`bench/compile-batchnorm.ts: the compiled step does not replay (${fast.fallbackReason})`)
  console.log(`${yann.getBackend()} batch ${batch}: compiled replays through ${fast.replayPath}${fast.interpreterReason ? ` (${fast.interpreterReason})` : ''}`)
  return () => void fast(x, y)
}

const cases: Case[] = []
for (const backend of ['wasm', 'ts'] as const) {
  for (const batch of [64, 8]) {
    yann.setBackend(backend)
    for (const compiled of [false, true]) {
      cases.push({ name: `${backend} batch ${batch} ${compiled ? 'compiled' : 'eager'}`, fn: cnnStep(batch, compiled), before: () => yann.setBackend(backend) })
    }
  }
}
const results = await measure(cases, { rounds })
for (let i = 0; i < results.length; i += 2) {
  const [eager, compiled] = [results[i], results[i + 1]]
  const ms = (s: number): string => (s * 1000).toFixed(3)
  console.log(`${eager.name}: ${ms(eager.cpu)} ms/step; compiled ${ms(compiled.cpu)} ms/step: ${(eager.cpu / compiled.cpu).toFixed(2)}×`)
}
