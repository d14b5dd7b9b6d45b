import { checkOptionKeys } from '../../options.js'
import { checkNumber, LRScheduler } from './scheduler.js'

/** Schedules that shrink the rate by a factor: at fixed steps, at milestones, every step, or polynomially. */

/** Multiplies each group's rate by `gamma` every `stepSize` epochs, like torch.optim.lr_scheduler.StepLR. */
export class StepLR extends LRScheduler {
  stepSize: number
  gamma: number

  constructor(optimizer: unknown, options: { stepSize: number; gamma?: number }) {
    super('StepLR', optimizer)
    checkOptionKeys('StepLR', options, ['stepSize', 'gamma'])
    this.stepSize = checkNumber('StepLR', 'stepSize', options?.stepSize, (v) => Number.isInteger(v) && v > 0, 'an integer > 0')
    this.gamma = checkNumber('StepLR', 'gamma', options.gamma ?? 0.1, () => true, 'a number')
    this.initialStep()
  }

  protected computeLr(): number[] {
    const e = this.lastEpoch
    return this.groups().map((g) => (e === 0 || e % this.stepSize !== 0 ? g.lr : g.lr * this.gamma))
  }
}

/** Multiplies the rate by `gamma` at each milestone epoch, like torch.optim.lr_scheduler.MultiStepLR. */
export class MultiStepLR extends LRScheduler {
  milestones: number[]
  gamma: number

  constructor(optimizer: unknown, options: { milestones: number[]; gamma?: number }) {
    super('MultiStepLR', optimizer)
    checkOptionKeys('MultiStepLR', options, ['milestones', 'gamma'])
    if (!Array.isArray(options?.milestones) || options.milestones.some((m) => !Number.isInteger(m))) {
      throw new TypeError(`MultiStepLR: milestones must be an array of integer epochs, got ${JSON.stringify(options?.milestones)}`)
    }
    this.milestones = [...options.milestones].sort((a, b) => a - b)
    this.gamma = checkNumber('MultiStepLR', 'gamma', options.gamma ?? 0.1, () => true, 'a number')
    this.initialStep()
  }

  protected computeLr(): number[] {
    // A milestone listed twice multiplies by gamma twice (PyTorch counts them).
    const times = this.milestones.filter((m) => m === this.lastEpoch).length
    return this.groups().map((g) => (times === 0 ? g.lr : g.lr * this.gamma ** times))
  }
}

/** Multiplies the rate by `gamma` every epoch, like torch.optim.lr_scheduler.ExponentialLR. */
export class ExponentialLR extends LRScheduler {
  gamma: number

  constructor(optimizer: unknown, options: { gamma: number }) {
    super('ExponentialLR', optimizer)
    checkOptionKeys('ExponentialLR', options, ['gamma'])
    this.gamma = checkNumber('ExponentialLR', 'gamma', options?.gamma, () => true, 'a number')
    this.initialStep()
  }

  protected computeLr(): number[] {
    return this.groups().map((g) => (this.lastEpoch === 0 ? g.lr : g.lr * this.gamma))
  }
}

/**
 * Decays the rate to 0 over `totalIters` epochs as (1 − epoch/totalIters)^power, like
 * torch.optim.lr_scheduler.PolynomialLR; constant afterwards.
 */
export class PolynomialLR extends LRScheduler {
  totalIters: number
  power: number

  constructor(optimizer: unknown, options: { totalIters?: number; power?: number } = {}) {
    super('PolynomialLR', optimizer)
    checkOptionKeys('PolynomialLR', options, ['totalIters', 'power'])
    this.totalIters = checkNumber('PolynomialLR', 'totalIters', options.totalIters ?? 5, (v) => Number.isInteger(v) && v > 0, 'an integer > 0')
    this.power = checkNumber('PolynomialLR', 'power', options.power ?? 1, () => true, 'a number')
    this.initialStep()
  }

  protected computeLr(): number[] {
    const e = this.lastEpoch
    if (e === 0 || e > this.totalIters) return this.groups().map((g) => g.lr)
    const factor = ((1 - e / this.totalIters) / (1 - (e - 1) / this.totalIters)) ** this.power
    return this.groups().map((g) => g.lr * factor)
  }
}
