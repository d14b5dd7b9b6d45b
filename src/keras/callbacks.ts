import { checkOptionKeys } from '../options.js'
import type { Sequential } from './sequential.js'

/** Loss and metric values by name (`loss`, `accuracy`, `val_loss`, ...), plus `batch` and `size` in batch logs. */
export type Logs = Record<string, number>

/** Hooks run by `fit`, in TensorFlow.js's names. Each may return a promise; `fit` awaits it. */
export interface CustomCallbackArgs {
  onTrainBegin?(logs?: Logs): void | Promise<void>
  onTrainEnd?(logs?: Logs): void | Promise<void>
  onEpochBegin?(epoch: number, logs?: Logs): void | Promise<void>
  onEpochEnd?(epoch: number, logs?: Logs): void | Promise<void>
  onBatchBegin?(batch: number, logs?: Logs): void | Promise<void>
  onBatchEnd?(batch: number, logs?: Logs): void | Promise<void>
}

const HOOKS = ['onTrainBegin', 'onTrainEnd', 'onEpochBegin', 'onEpochEnd', 'onBatchBegin', 'onBatchEnd']

/** What `fit` tells its callbacks about the run (TensorFlow.js's `params`). */
export interface FitParams {
  epochs: number
  initialEpoch: number
  samples: number
  /** Batches per epoch. */
  steps: number
  batchSize: number
  verbose: number
  doValidation: boolean
  /** Every key the epoch logs will hold: `['loss', 'accuracy', 'val_loss', 'val_accuracy']`. */
  metrics: string[]
}

// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface Callback extends CustomCallbackArgs {}

/** The base class for stateful callbacks: `fit` gives each the model and the run's params first. */
export class Callback {
  /** The model being fitted (set by fit before onTrainBegin): a callback may set `model.stopTraining = true`. */
  model: Sequential | null = null
  params: FitParams | null = null

  setModel(model: Sequential): void {
    this.model = model
  }

  setParams(params: FitParams): void {
    this.params = params
  }
}

/** What `fit` accepts for `callbacks`: one object of hooks, or a list of them. */
export type CallbackArg = CustomCallbackArgs | Callback | (CustomCallbackArgs | Callback)[]

/** The callbacks of one `fit`, run in the order given. */
export class CallbackList {
  readonly callbacks: CustomCallbackArgs[]

  constructor(arg: CallbackArg | undefined, model: Sequential, params: FitParams) {
    const list = arg === undefined || arg === null ? [] : Array.isArray(arg) ? arg : [arg]
    list.forEach((c, i) => {
      if (typeof c !== 'object' || c === null) throw new TypeError(`fit: callback ${i} must be an object of hooks ({ onEpochEnd(epoch, logs) { ... } }), got ${c === null ? 'null' : typeof c}`)
      // A plain object's keys are all hooks: a misspelt one would never run.
      if (Object.getPrototypeOf(c) === Object.prototype) checkOptionKeys(`fit: callback ${i}`, c, HOOKS)
    })
    this.callbacks = list as CustomCallbackArgs[]
    for (const c of list) {
      if (c instanceof Callback) {
        c.setModel(model)
        c.setParams(params)
      }
    }
  }

  async trainBegin(logs: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onTrainBegin?.(logs)
  }

  async trainEnd(logs: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onTrainEnd?.(logs)
  }

  async epochBegin(epoch: number, logs: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onEpochBegin?.(epoch, logs)
  }

  async epochEnd(epoch: number, logs: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onEpochEnd?.(epoch, logs)
  }

  async batchBegin(batch: number, logs: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onBatchBegin?.(batch, logs)
  }

  async batchEnd(batch: number, logs: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onBatchEnd?.(batch, logs)
  }
}
