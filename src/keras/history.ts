import { Callback, type Logs } from './callbacks.js'

/**
 * What `fit` returns: every epoch's logs, by key (TensorFlow.js's History).
 *
 * @example
 * const h = await model.fit(x, y, { epochs: 3 })
 * h.epoch               // [0, 1, 2]
 * h.history.loss        // [0.69, 0.61, 0.55]
 */
export class History extends Callback {
  /** The epochs run, numbered from 0 (from initialEpoch). */
  readonly epoch: number[] = []
  /** Each log key (`loss`, `accuracy`, `val_loss`, ...) → its value at the end of each epoch. */
  readonly history: Record<string, number[]> = {}

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epoch.push(epoch)
    for (const [key, value] of Object.entries(logs)) (this.history[key] ??= []).push(value)
  }
}
