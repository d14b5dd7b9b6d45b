import { checkOptionKeys } from '../../options.js'
import { checkNumber, LRScheduler } from './scheduler.js'

/** Schedules that scale the rate by a factor during a warm-up, or by any function of the epoch. */

/**
 * Scales the rate linearly from startFactor to endFactor over totalIters epochs, like
 * torch.optim.lr_scheduler.LinearLR (a warm-up: startFactor 1/3, endFactor 1, totalIters 5 by default).
 */
export class LinearLR extends LRScheduler {
  startFactor: number
  endFactor: number
  totalIters: number

  constructor(optimizer: unknown, options: { startFactor?: number; endFactor?: number; totalIters?: number } = {}) {
    super('LinearLR', optimizer)
    checkOptionKeys('LinearLR', options, ['startFactor', 'endFactor', 'totalIters'])
    this.startFactor = checkNumber('LinearLR', 'startFactor', options.startFactor ?? 1 / 3, (v) => v > 0 && v <= 1, 'in (0, 1]')
    this.endFactor = checkNumber('LinearLR', 'endFactor', options.endFactor ?? 1, (v) => v >= 0 && v <= 1, 'in [0, 1]')
    this.totalIters = checkNumber('LinearLR', 'totalIters', options.totalIters ?? 5, (v) => Number.isInteger(v) && v >= 0, 'an integer >= 0')
    this.initialStep()
  }

  protected computeLr(): number[] {
    const e = this.lastEpoch
    const { startFactor: s, endFactor: f, totalIters: n } = this
    if (e === 0) return this.groups().map((g) => g.lr * s)
    if (e > n) return this.groups().map((g) => g.lr)
    return this.groups().map((g) => g.lr * (1 + (f - s) / (n * s + (e - 1) * (f - s))))
  }
}

/** Scales the rate by `factor` for the first totalIters epochs, like torch.optim.lr_scheduler.ConstantLR. */
export class ConstantLR extends LRScheduler {
  factor: number
  totalIters: number

  constructor(optimizer: unknown, options: { factor?: number; totalIters?: number } = {}) {
    super('ConstantLR', optimizer)
    checkOptionKeys('ConstantLR', options, ['factor', 'totalIters'])
    this.factor = checkNumber('ConstantLR', 'factor', options.factor ?? 1 / 3, (v) => v >= 0 && v <= 1, 'in [0, 1]')
    this.totalIters = checkNumber('ConstantLR', 'totalIters', options.totalIters ?? 5, (v) => Number.isInteger(v) && v >= 0, 'an integer >= 0')
    this.initialStep()
  }

  protected computeLr(): number[] {
    const e = this.lastEpoch
    if (e === 0) return this.groups().map((g) => g.lr * this.factor)
    if (e !== this.totalIters) return this.groups().map((g) => g.lr)
    return this.groups().map((g) => g.lr * (1 / this.factor))
  }
}

/** A multiplier of the base rate as a function of the epoch (0, 1, 2, ...). */
export type LrLambda = (epoch: number) => number

/**
 * Sets each group's rate to baseLr · lrLambda(epoch), like torch.optim.lr_scheduler.LambdaLR;
 * one function for every group, or one per group. stateDict() leaves the functions out.
 */
export class LambdaLR extends LRScheduler {
  private readonly lambdas: LrLambda[]

  constructor(optimizer: unknown, options: { lrLambda: LrLambda | LrLambda[] }) {
    super('LambdaLR', optimizer)
    checkOptionKeys('LambdaLR', options, ['lrLambda'])
    const n = this.baseLrs.length
    const given = options?.lrLambda
    const lambdas = Array.isArray(given) ? given : Array<LrLambda>(n).fill(given)
    if (lambdas.length !== n || lambdas.some((f) => typeof f !== 'function')) {
      throw new TypeError(`LambdaLR: lrLambda must be a function (epoch) => factor, or an array of ${n} (one per param group)`)
    }
    this.lambdas = lambdas
    this.initialStep()
  }

  protected computeLr(): number[] {
    return this.baseLrs.map((base, i) => base * this.lambdas[i](this.lastEpoch))
  }
}
