import { allocate } from '../dtype.js'
import { random } from '../random.js'
import { Tensor } from '../tensor.js'
import { CallbackList, type CallbackArg, type FitParams } from './callbacks.js'
import { History } from './history.js'
import { ProgbarLogger, type ProgressOptions } from './progress.js'
import type { Sequential } from './sequential.js'
import { checkOptionKeys } from '../options.js'
import { dimsBetween } from '../shape.js'

/** fit/evaluate/predict's arguments, their checks, and the sample bookkeeping (validation split, batches). */

export interface ModelFitArgs {
  /** Samples per gradient step (default 32). */
  batchSize?: number
  /** Default 1. */
  epochs?: number
  /** 0 silent, 1 a progress bar per epoch (default), 2 one line per epoch. */
  verbose?: 0 | 1 | 2
  callbacks?: CallbackArg
  /** Hold out this fraction of the samples (the last ones, before any shuffling) for validation. */
  validationSplit?: number
  /** Validation samples [x, y]; takes precedence over validationSplit. */
  validationData?: [Tensor, Tensor]
  /** Shuffle the training samples before each epoch (default true), with yann's global generator. */
  shuffle?: boolean
  /** The epoch to start counting from (default 0), to resume a run. */
  initialEpoch?: number
  /**
   * When to give the event loop a turn so a page stays responsive: after every 'batch'
   * (default), every 'epoch', or 'never'.
   */
  yieldEvery?: 'batch' | 'epoch' | 'never'
  /** yann's addition: where the progress bar writes and its clock (default process.stdout, performance.now). */
  progress?: ProgressOptions
}

export interface ModelEvaluateArgs {
  /** Default 32. */
  batchSize?: number
}

export interface ModelPredictArgs {
  /** Default 32. */
  batchSize?: number
}

/** fit's options with Keras's defaults, checked. */
const FIT_ARGS = ['batchSize', 'epochs', 'verbose', 'callbacks', 'validationSplit', 'validationData', 'shuffle', 'initialEpoch', 'yieldEvery', 'progress']

export function fitOptions(args: ModelFitArgs) {
  checkOptionKeys('fit', args, FIT_ARGS)
  const { batchSize = 32, epochs = 1, verbose = 1, shuffle = true, initialEpoch = 0, validationSplit = 0, yieldEvery = 'batch' } = args
  checkPositiveInt('fit', 'batchSize', batchSize)
  checkPositiveInt('fit', 'epochs', epochs)
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0) throw new Error(`fit: initialEpoch must be a non-negative integer, got ${initialEpoch}`)
  if (verbose !== 0 && verbose !== 1 && verbose !== 2) throw new Error(`fit: verbose must be 0, 1 or 2, got ${verbose}`)
  if (!['batch', 'epoch', 'never'].includes(yieldEvery)) throw new Error(`fit: yieldEvery must be 'batch', 'epoch' or 'never', got ${JSON.stringify(yieldEvery)}`)
  if (typeof validationSplit !== 'number' || !(validationSplit >= 0 && validationSplit < 1)) {
    throw new Error(`fit: validationSplit must be a number in [0, 1), got ${validationSplit}`)
  }
  return { batchSize, epochs, verbose, shuffle, initialEpoch, yieldEvery }
}

/** The training samples and the validation ones: the last `validationSplit` of x and y (before shuffling, as Keras), or none. */
export function splitValidation(x: Tensor, y: Tensor, validationSplit: number): [Tensor, Tensor, [Tensor, Tensor] | null] {
  if (!(validationSplit > 0)) return [x, y, null]
  const n = x.shape[0]
  const splitAt = Math.floor(n * (1 - validationSplit))
  if (splitAt === 0 || splitAt === n) {
    throw new Error(`fit: validationSplit ${validationSplit} of ${n} samples leaves ${splitAt === 0 ? 'no training' : 'no validation'} samples`)
  }
  return [rows(x, range(0, splitAt)), rows(y, range(0, splitAt)), [rows(x, range(splitAt, n)), rows(y, range(splitAt, n))]]
}

export function checkPositiveInt(op: string, name: string, v: unknown): void {
  if (!Number.isInteger(v) || (v as number) <= 0) throw new Error(`${op}: ${name} must be a positive integer, got ${v}`)
}

export function range(start: number, end: number): number[] {
  return Array.from({ length: end - start }, (_, i) => start + i)
}

/** 0..n-1 in random order (Fisher–Yates with yann's seedable generator). */
export function permutation(n: number): number[] {
  const p = range(0, n)
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[p[i], p[j]] = [p[j], p[i]]
  }
  return p
}

/** The rows `idx` of t (along dim 0), copied into a new tensor without gradient history. */
export function rows(t: Tensor, idx: number[]): Tensor {
  const rowSize = t.numel() / Math.max(1, t.shape[0])
  const src = t.data
  const out = allocate(t.dtype, idx.length * rowSize)
  idx.forEach((r, i) => out.set(src.subarray(r * rowSize, (r + 1) * rowSize), i * rowSize))
  return new Tensor(out, [idx.length, ...dimsBetween(t.shape, 1)])
}

export function concatRows(parts: Tensor[], n: number): Tensor {
  const first = parts[0]
  const out = allocate(first.dtype, (first.numel() / first.shape[0]) * n)
  let offset = 0
  for (const p of parts) {
    out.set(p.data, offset)
    offset += p.numel()
  }
  return new Tensor(out, [n, ...dimsBetween(first.shape, 1)])
}

/** fit()'s callbacks in order (the progress bar, the user's, the History) and the params they all see. */
export function fitCallbacks(
  model: Sequential,
  args: ModelFitArgs,
  o: Omit<FitParams, 'metrics'> & { keys: string[] },
): { callbacks: CallbackList; history: History } {
  const { keys, ...rest } = o
  const params: FitParams = { ...rest, metrics: o.doValidation ? [...keys, ...keys.map((k) => `val_${k}`)] : keys }
  const history = new History()
  const user = args.callbacks === undefined ? [] : Array.isArray(args.callbacks) ? args.callbacks : [args.callbacks]
  const progbar = o.verbose === 0 ? [] : [new ProgbarLogger(o.verbose as 1 | 2, args.progress)]
  return { callbacks: new CallbackList([...progbar, ...user, history], model, params), history }
}
