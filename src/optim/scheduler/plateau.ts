import { checkOptionKeys } from '../../options.js'
import { checkNumber, checkOptimizer, groupsOf, type AnyOptimizer, type SchedulerStateDict } from './scheduler.js'

export interface ReduceLROnPlateauOptions {
  /** 'min' (default: the metric should fall, e.g. a loss) or 'max' (e.g. an accuracy). */
  mode?: 'min' | 'max'
  /** The rate is multiplied by this on a plateau (default 0.1, must be < 1). */
  factor?: number
  /** Epochs without improvement tolerated before reducing (default 10). */
  patience?: number
  /** The least change that counts as an improvement (default 1e-4). */
  threshold?: number
  /** 'rel' (default: relative to the best) or 'abs'. */
  thresholdMode?: 'rel' | 'abs'
  /** Epochs to wait after a reduction before counting again (default 0). */
  cooldown?: number
  /** A floor for the rate: one number or one per group (default 0). */
  minLr?: number | number[]
  /** A reduction smaller than this is skipped (default 1e-8). */
  eps?: number
}

const KEYS = ['mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps']

/**
 * Reduces the rate when a metric stops improving, like torch.optim.lr_scheduler.ReduceLROnPlateau:
 * call step(metric) once per epoch with the validation loss (or accuracy, with mode 'max').
 */
export class ReduceLROnPlateau {
  readonly optimizer: AnyOptimizer
  mode: 'min' | 'max'
  factor: number
  patience: number
  threshold: number
  thresholdMode: 'rel' | 'abs'
  cooldown: number
  minLrs: number[]
  eps: number
  best: number
  numBadEpochs = 0
  cooldownCounter = 0
  lastEpoch = 0
  private lastLr: number[]

  constructor(optimizer: unknown, options: ReduceLROnPlateauOptions = {}) {
    const op = 'ReduceLROnPlateau'
    this.optimizer = checkOptimizer(op, optimizer)
    checkOptionKeys(op, options, KEYS)
    const mode = options.mode ?? 'min'
    if (mode !== 'min' && mode !== 'max') throw new Error(`${op}: mode must be 'min' or 'max', got ${JSON.stringify(mode)}`)
    const thresholdMode = options.thresholdMode ?? 'rel'
    if (thresholdMode !== 'rel' && thresholdMode !== 'abs') throw new Error(`${op}: thresholdMode must be 'rel' or 'abs', got ${JSON.stringify(thresholdMode)}`)
    this.mode = mode
    this.thresholdMode = thresholdMode
    this.factor = checkNumber(op, 'factor', options.factor ?? 0.1, (v) => v < 1, 'a number < 1')
    this.patience = checkNumber(op, 'patience', options.patience ?? 10, (v) => Number.isInteger(v) && v >= 0, 'an integer >= 0')
    this.threshold = checkNumber(op, 'threshold', options.threshold ?? 1e-4, () => true, 'a number')
    this.cooldown = checkNumber(op, 'cooldown', options.cooldown ?? 0, (v) => Number.isInteger(v) && v >= 0, 'an integer >= 0')
    this.eps = checkNumber(op, 'eps', options.eps ?? 1e-8, () => true, 'a number')
    const groups = groupsOf(this.optimizer)
    const minLr = options.minLr ?? 0
    this.minLrs = Array.isArray(minLr) ? [...minLr] : groups.map(() => minLr)
    if (this.minLrs.length !== groups.length) throw new Error(`${op}: minLr has ${this.minLrs.length} values for ${groups.length} param groups`)
    this.best = mode === 'min' ? Infinity : -Infinity
    this.lastLr = groups.map((g) => g.lr)
  }

  private isBetter(a: number): boolean {
    const { best, threshold } = this
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? a < best * (1 - threshold) : a < best - threshold
    return this.thresholdMode === 'rel' ? a > best * (threshold + 1) : a > best + threshold
  }

  /** Record one epoch's metric (a number or a 0-d tensor); reduce the rates after `patience` epochs without improvement. */
  step(metric: number | { item(): number }): void {
    const current = typeof metric === 'number' ? metric : metric?.item?.()
    if (typeof current !== 'number') throw new TypeError('ReduceLROnPlateau.step: metric must be a number (e.g. the validation loss) or a one-element tensor')
    this.lastEpoch += 1
    if (this.isBetter(current)) {
      this.best = current
      this.numBadEpochs = 0
    } else {
      this.numBadEpochs += 1
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1
      this.numBadEpochs = 0
    }
    const groups = groupsOf(this.optimizer)
    if (this.numBadEpochs > this.patience) {
      groups.forEach((g, i) => {
        const newLr = Math.max(g.lr * this.factor, this.minLrs[i])
        if (g.lr - newLr > this.eps) g.lr = newLr
      })
      this.cooldownCounter = this.cooldown
      this.numBadEpochs = 0
    }
    this.lastLr = groups.map((g) => g.lr)
  }

  /** The current rates, one per group. */
  getLastLr(): number[] {
    return [...this.lastLr]
  }

  stateDict(): SchedulerStateDict {
    const { optimizer: _optimizer, ...state } = this
    return structuredClone(state)
  }

  loadStateDict(state: SchedulerStateDict): void {
    for (const [key, value] of Object.entries(state)) {
      if (key === 'optimizer' || !(key in this)) throw new Error(`ReduceLROnPlateau.loadStateDict: unknown key '${key}'`)
      ;(this as Record<string, unknown>)[key] = structuredClone(value)
    }
  }
}
