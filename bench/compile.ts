/**
 * compile() (issue 16): the seed 3-3-2 step compiled vs eager (wasm and ts) vs brain.js 1.6.1
 * `trainPattern` vs the hand-written JavaScript step; the MLP 784-256-10 and the MNIST example's
 * MLP (examples/mnist.ts, 784-128-10) at batch 64 compiled vs eager; memory over 10⁶ compiled seed steps. One process, interleaved rounds,
 * CPU-time medians (bench/lib/measure.ts): quote the ratios, the load here varies.
 * 'wasm' is the default wasm backend (arrays below its small-size threshold run on the ts
 * kernels, so the seed network never touches wasm); 'wasm, all kernels' is
 * setBackend('wasm', { dispatchSmall: false }), where a compiled seed step is one call into
 * the wasm plan interpreter. Each compiled row names how its plan replays.
 * `npm run bench:file -- --expose-gc bench/compile.ts [--quick]` (about a minute); `npm run bench` runs it
 * in a child process (runCompileBench) and puts its tables and targets in the summary.
 */
import { createRequire } from 'node:module'
import { PerformanceObserver } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import * as yann from '../src/index.js'
import type { Tensor } from '../src/index.js'
import { answerHelp } from '../scripts/help.mjs'
import { runChild } from './lib/child.js'
import { measure, type Case } from './lib/measure.js'
import { formatTop, profile } from './lib/profile.js'
import { createModel } from '../examples/mnist.js'
import { plainSeedStep, SEED_W1, SEED_W2, SEED_X, SEED_Y } from './models.js'

type BackendChoice = 'wasm' | 'wasm-all' | 'ts'

function useBackend(be: BackendChoice): void {
  if (be === 'wasm-all') yann.setBackend('wasm', { dispatchSmall: false })
  else yann.setBackend(be)
}

/** The seed step through the public API (nn.Sequential, BCELoss, SGD), and its inputs. */
function seedStep(): { step: (x: Tensor, y: Tensor) => Tensor; x: Tensor; y: Tensor } {
  const l1 = new yann.nn.Linear(3, 3)
  const l2 = new yann.nn.Linear(3, 2)
  l1.weight.data.set(SEED_W1.flat())
  l1.bias!.data.fill(0)
  l2.weight.data.set(SEED_W2.flat())
  l2.bias!.data.fill(0)
  const model = new yann.nn.Sequential(l1, new yann.nn.ReLU(), l2, new yann.nn.Sigmoid())
  const lossFn = new yann.nn.BCELoss()
  const opt = new yann.optim.SGD(model.parameters(), { lr: 0.01 })
  const step = (x: Tensor, y: Tensor): Tensor => {
    opt.zeroGrad()
    const loss = lossFn.forward(model.forward(x), y)
    loss.backward()
    opt.step()
    return loss
  }
  return { step, x: yann.tensor(SEED_X), y: yann.tensor(SEED_Y) }
}

type StepCase = { step: (x: Tensor, y: Tensor) => Tensor; x: Tensor; y: Tensor }

/** An MLP of 784-256-10 (ReLU, cross-entropy on one-hot targets, SGD momentum) at batch 64: the shape of the MLP bench. */
function mlpStep(): StepCase {
  const model = new yann.nn.Sequential(new yann.nn.Linear(784, 256), new yann.nn.ReLU(), new yann.nn.Linear(256, 10))
  return digitsStep(model, new yann.nn.CrossEntropyLoss(), { lr: 0.01, momentum: 0.9 })
}

/** The MNIST example's MLP as examples/mnist.ts trains it (784-128-10, sigmoid, BCE on one-hot targets, SGD lr 0.5 momentum 0.9), batch 64. */
function mnistExampleStep(): StepCase {
  return digitsStep(createModel(), new yann.nn.BCELoss(), { lr: 0.5, momentum: 0.9 })
}

/** The usual SGD step of `model` on a batch of 64 random 784-pixel inputs and one-hot targets of 10 classes. */
function digitsStep(model: yann.nn.Module, lossFn: { forward(y: Tensor, t: Tensor): Tensor }, sgd: { lr: number; momentum: number }): StepCase {
  const opt = new yann.optim.SGD(model.parameters(), sgd)
  const step = (x: Tensor, y: Tensor): Tensor => {
    opt.zeroGrad()
    const loss = lossFn.forward(model.forward(x) as Tensor, y)
    loss.backward()
    opt.step()
    return loss
  }
  const y = yann.zeros([64, 10])
  for (let i = 0; i < 64; i++) y.data[i * 10 + (i % 10)] = 1
  return { step, x: yann.rand([64, 784]), y }
}

/** The MNIST example's step compiled and eager, on the default wasm backend. */
function mnistExampleCases(): Case[] {
  return [yannCase('MNIST example compiled, wasm', 'wasm', mnistExampleStep, true), yannCase('MNIST example eager, wasm', 'wasm', mnistExampleStep, false)]
}

/** Where the MNIST example's step goes, compiled and eager: ms per step and self time by function, as text lines. */
export async function mnistExampleProfiles(ms: number): Promise<string[]> {
  const lines: string[] = []
  for (const c of mnistExampleCases()) {
    await c.before?.()
    let calls = 0
    const p = await profile(() => {
      calls++
      c.fn()
    }, ms)
    lines.push(`${c.name}: ${(p.totalMs / calls).toFixed(3)} ms per step (sampled), self time by function:`, ...formatTop(p, 10))
  }
  return lines
}

function yannCase(name: string, be: BackendChoice, build: typeof seedStep, compiled: boolean): Case {
  const use = (): void => useBackend(be)
  use()
  const { step, x, y } = build()
  if (!compiled) return { name, before: use, fn: () => void step(x, y) }
  const run = yann.compile(step)
  for (let i = 0; i < 3; i++) run(x, y)
  return { name: `${name} [${run.replayPath} replay]`, before: use, fn: () => void run(x, y) }
}

function brainCase(): Case {
  const brain = createRequire(import.meta.url)('brain.js') as {
    NeuralNetwork: new (o: object) => { train(d: object[], o: object): void; trainPattern(v: object, log: boolean): void }
  }
  const net = new brain.NeuralNetwork({ hiddenLayers: [3], activation: 'relu', learningRate: 0.01 })
  const pattern = { input: SEED_X, output: SEED_Y }
  net.train([pattern], { iterations: 1 })
  return { name: 'brain.js 1.6.1 trainPattern', fn: () => net.trainPattern(pattern, false) }
}

/** What one run measured: steps per second by row (seed, the two MLPs) and the 10⁶-step memory check. */
export interface CompileRun {
  seed: Rate[]
  mlp: Rate[]
  mnist: Rate[]
  memory: Memory[]
}
interface Rate {
  name: string
  perSecond: number
}
interface Memory {
  backend: BackendChoice
  replayPath: string
  steps: number
  seconds: number
  loss: number
  gcs: number
  heapMB: [number, number]
  wasmBytes: [number, number]
}

async function measureAll(quick: boolean): Promise<CompileRun> {
  await yann.ready()
  const rates = (results: { name: string; cpu: number }[]): Rate[] => results.map((r) => ({ name: r.name, perSecond: 1 / r.cpu }))
  const seedCases: Case[] = [
    yannCase('yann compiled, wasm, all kernels', 'wasm-all', seedStep, true),
    yannCase('yann compiled, wasm', 'wasm', seedStep, true),
    yannCase('yann compiled, ts', 'ts', seedStep, true),
    yannCase('yann eager, wasm, all kernels', 'wasm-all', seedStep, false),
    yannCase('yann eager, wasm', 'wasm', seedStep, false),
    yannCase('yann eager, ts', 'ts', seedStep, false),
    brainCase(),
    { name: 'hand-written JS step', fn: plainSeedStep() },
  ]
  const seed = rates(await measure(seedCases, quick ? { rounds: 3, minBlockMs: 15, warmupMs: 100 } : { rounds: 7, minBlockMs: 40, warmupMs: 300 }))
  const mlpCases: Case[] = [
    yannCase('MLP compiled, wasm', 'wasm', mlpStep, true),
    yannCase('MLP eager, wasm', 'wasm', mlpStep, false),
    yannCase('MLP compiled, wasm, all kernels', 'wasm-all', mlpStep, true),
    yannCase('MLP eager, wasm, all kernels', 'wasm-all', mlpStep, false),
    yannCase('MLP compiled, ts', 'ts', mlpStep, true),
    yannCase('MLP eager, ts', 'ts', mlpStep, false),
  ]
  const mlpRounds = quick ? { rounds: 3, minBlockMs: 30, warmupMs: 100 } : { rounds: 5, minBlockMs: 100, warmupMs: 300 }
  const mlp = rates(await measure(mlpCases, mlpRounds))
  const mnist = rates(await measure(mnistExampleCases(), quick ? mlpRounds : { ...mlpRounds, rounds: 9 }))
  const memory: Memory[] = []
  for (const be of ['wasm-all', 'wasm', 'ts'] as const) memory.push(await memoryOver(be, quick ? 100_000 : 1_000_000))
  return { seed, mlp, mnist, memory }
}

/** Memory over `steps` compiled seed steps: the JS heap after GC and the wasm memory must not grow. */
async function memoryOver(be: BackendChoice, steps: number): Promise<Memory> {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw new Error('bench/compile: run with --expose-gc (npm run bench:file -- --expose-gc bench/compile.ts) for the post-GC heap figures')
  useBackend(be)
  const { step, x, y } = seedStep()
  const compiled = yann.compile(step)
  const heap = (): number => {
    gc()
    return process.memoryUsage().heapUsed / 1e6
  }
  for (let i = 0; i < 10_000; i++) compiled(x, y)
  const heap0 = heap()
  const wasm0 = yann.memory().wasmBytes
  let gcs = 0
  const observer = new PerformanceObserver((list) => void (gcs += list.getEntries().length))
  observer.observe({ entryTypes: ['gc'] })
  const t0 = performance.now()
  let loss = 0
  for (let i = 0; i < steps; i++) loss = compiled(x, y).item()
  const seconds = (performance.now() - t0) / 1000
  await new Promise((resolve) => setTimeout(resolve, 10)) // the observer reports asynchronously
  observer.disconnect()
  return { backend: be, replayPath: compiled.replayPath ?? 'none: runs eagerly', steps, seconds, loss, gcs, heapMB: [heap0, heap()], wasmBytes: [wasm0, yann.memory().wasmBytes] }
}

/** `npm run bench` runs the suite in a child process: the memory check needs --expose-gc. */
export function runCompileBench(quick: boolean): CompileRun {
  const self = fileURLToPath(import.meta.url)
  return runChild<CompileRun>(self, ['--expose-gc'], quick ? ['--quick'] : [])
}

/** The tables as markdown lines: steps/s and the ratio to each table's first row. */
export function compileTables(run: CompileRun): string[] {
  const md: string[] = []
  const table = (title: string, rows: Rate[]): void => {
    md.push(`${title}, steps/s (ratio to the first row)`, '', '| | steps/s | ratio |', '|:---|---:|---:|')
    for (const r of rows) md.push(`| ${r.name} | ${Math.round(r.perSecond).toLocaleString('en-US')} | ${(r.perSecond / rows[0].perSecond).toFixed(2)}× |`)
    md.push('')
  }
  table('Seed 3-3-2 step', run.seed)
  table('MLP 784-256-10 (cross-entropy), batch 64', run.mlp)
  table("The MNIST example's MLP (examples/mnist.ts: 784-128-10, sigmoid, BCE), batch 64", run.mnist)
  md.push('| compiled seed steps: backend (replay) | steps | wall | GCs | JS heap after GC | wasm memory |', '|:---|---:|---:|---:|---:|---:|')
  for (const m of run.memory) {
    md.push(`| ${m.backend} (${m.replayPath}) | ${m.steps.toLocaleString('en-US')} | ${m.seconds.toFixed(1)} s | ${m.gcs} | ${m.heapMB[0].toFixed(2)} → ${m.heapMB[1].toFixed(2)} MB | ${m.wasmBytes[0]} → ${m.wasmBytes[1]} bytes |`)
  }
  return md
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  answerHelp(`Usage: npm run bench:file -- --expose-gc bench/compile.ts [--quick]

compile(): the seed step compiled vs eager vs brain.js vs a hand-written step, the MLP at batch 64
compiled vs eager, and memory over 10⁶ compiled seed steps (10⁵ with --quick).`)
  const quick = process.argv.includes('--quick')
  const run = await measureAll(quick)
  console.log(process.argv.includes('--child') ? JSON.stringify(run) : compileTables(run).join('\n'))
}
