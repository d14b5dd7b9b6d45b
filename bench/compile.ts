/**
 * compile() (issue 16): the seed 3-3-2 step compiled vs eager (wasm and ts) vs brain.js 1.6.1
 * `trainPattern` vs the hand-written JavaScript step; the MNIST MLP 784-256-10 at batch 64
 * compiled vs eager; memory over 10⁶ compiled seed steps. One process, interleaved rounds,
 * CPU-time medians (bench/lib/measure.ts): quote the ratios, the load here varies.
 * 'wasm' is the default wasm backend (arrays below its small-size threshold run on the ts
 * kernels, so the seed network never touches wasm); 'wasm, all kernels' is
 * setBackend('wasm', { dispatchSmall: false }), where a compiled seed step is one call into
 * the wasm plan interpreter. Each compiled row names how its plan replays.
 * `npx tsx --expose-gc bench/compile.ts` (about a minute).
 */
import { createRequire } from 'node:module'
import { PerformanceObserver } from 'node:perf_hooks'
import * as yann from '../src/index.js'
import type { Tensor } from '../src/index.js'
import { measure, type Case } from './lib/measure.js'
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

/** The MNIST MLP (784-256-10, ReLU, cross-entropy on one-hot targets, SGD momentum) at batch 64. */
function mlpStep(): { step: (x: Tensor, y: Tensor) => Tensor; x: Tensor; y: Tensor } {
  const model = new yann.nn.Sequential(new yann.nn.Linear(784, 256), new yann.nn.ReLU(), new yann.nn.Linear(256, 10))
  const lossFn = new yann.nn.CrossEntropyLoss()
  const opt = new yann.optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 })
  const step = (x: Tensor, y: Tensor): Tensor => {
    opt.zeroGrad()
    const loss = lossFn.forward(model.forward(x), y)
    loss.backward()
    opt.step()
    return loss
  }
  const y = yann.zeros([64, 10])
  for (let i = 0; i < 64; i++) y.data[i * 10 + (i % 10)] = 1
  return { step, x: yann.rand([64, 784]), y }
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

await yann.ready()
const show = (title: string, results: { name: string; cpu: number }[]): void => {
  console.log(`\n${title} (steps/s, CPU-time medians; ratio to the first row)`)
  const base = results[0].cpu
  for (const r of results) console.log(`  ${r.name.padEnd(52)} ${String(Math.round(1 / r.cpu)).padStart(10)}   ${(base / r.cpu).toFixed(2)}×`)
}

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
show('seed 3-3-2 step', await measure(seedCases, { rounds: 7, minBlockMs: 40, warmupMs: 300 }))

const mlpCases: Case[] = [
  yannCase('MLP compiled, wasm', 'wasm', mlpStep, true),
  yannCase('MLP eager, wasm', 'wasm', mlpStep, false),
  yannCase('MLP compiled, wasm, all kernels', 'wasm-all', mlpStep, true),
  yannCase('MLP eager, wasm, all kernels', 'wasm-all', mlpStep, false),
  yannCase('MLP compiled, ts', 'ts', mlpStep, true),
  yannCase('MLP eager, ts', 'ts', mlpStep, false),
]
show('MNIST MLP 784-256-10, batch 64', await measure(mlpCases, { rounds: 5, minBlockMs: 100, warmupMs: 300 }))

// Memory over 10⁶ compiled seed steps: the JS heap after GC and the wasm memory must not grow.
const gc = (globalThis as { gc?: () => void }).gc
for (const be of ['wasm-all', 'wasm', 'ts'] as const) {
  useBackend(be)
  const { step, x, y } = seedStep()
  const compiled = yann.compile(step)
  const heap = (): number => {
    gc?.()
    return process.memoryUsage().heapUsed
  }
  for (let i = 0; i < 10_000; i++) compiled(x, y)
  const heap0 = heap()
  const wasm0 = yann.memory().wasmBytes
  let scavenges = 0
  const observer = new PerformanceObserver((list) => void (scavenges += list.getEntries().length))
  observer.observe({ entryTypes: ['gc'] })
  const t0 = performance.now()
  let loss = 0
  for (let i = 0; i < 1_000_000; i++) loss = compiled(x, y).item()
  const seconds = (performance.now() - t0) / 1000
  await new Promise((resolve) => setTimeout(resolve, 10)) // the observer reports asynchronously
  observer.disconnect()
  const heap1 = heap()
  console.log(
    `\n10⁶ compiled seed steps (${be}, ${compiled.replayPath} replay): ${seconds.toFixed(1)} s wall, loss ${loss.toFixed(6)}, ${scavenges} GCs; JS heap after GC ` +
      `${(heap0 / 1e6).toFixed(2)} → ${(heap1 / 1e6).toFixed(2)} MB${gc ? '' : ' (run with --expose-gc for a post-GC figure)'}; ` +
      `wasm memory ${wasm0} → ${yann.memory().wasmBytes} bytes`,
  )
}
