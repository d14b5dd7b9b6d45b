import { checkOptionKeys } from '../../options.js'
import { checkNumber, LRScheduler } from './scheduler.js'

/**
 * Anneals each group's rate along a cosine from its base rate to etaMin over TMax epochs, like
 * torch.optim.lr_scheduler.CosineAnnealingLR: lr = etaMin + (base − etaMin)·(1 + cos(π·epoch/TMax))/2.
 * Computed as PyTorch does, each rate from the current one (so that changes to a group's rate carry
 * on); past TMax it climbs back up along the same cosine.
 */
export class CosineAnnealingLR extends LRScheduler {
  TMax: number
  etaMin: number
  private stepCount = 0

  constructor(optimizer: unknown, options: { TMax: number; etaMin?: number }) {
    super('CosineAnnealingLR', optimizer)
    checkOptionKeys('CosineAnnealingLR', options, ['TMax', 'etaMin'])
    this.TMax = checkNumber('CosineAnnealingLR', 'TMax', options?.TMax, (v) => v > 0, 'a number > 0')
    this.etaMin = checkNumber('CosineAnnealingLR', 'etaMin', options.etaMin ?? 0, () => true, 'a number')
    this.initialStep()
  }

  override step(): void {
    this.stepCount += 1
    super.step()
  }

  protected computeLr(): number[] {
    const { lastEpoch: e, TMax: T, etaMin } = this
    const groups = this.groups()
    if (e === 0) return groups.map((g) => g.lr)
    if (this.stepCount === 1 && e > 0) return this.baseLrs.map((base) => etaMin + ((base - etaMin) * (1 + Math.cos((e * Math.PI) / T))) / 2)
    if ((e - 1 - T) % (2 * T) === 0) return groups.map((g, i) => g.lr + ((this.baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / T))) / 2)
    return groups.map((g) => ((1 + Math.cos((Math.PI * e) / T)) / (1 + Math.cos((Math.PI * (e - 1)) / T))) * (g.lr - etaMin) + etaMin)
  }
}

/**
 * Cosine annealing with warm restarts (SGDR), like torch.optim.lr_scheduler.CosineAnnealingWarmRestarts:
 * lr = etaMin + (base − etaMin)·(1 + cos(π·Tcur/Ti))/2, where Tcur counts epochs since the last
 * restart and the period Ti starts at T0 and is multiplied by TMult at each restart.
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  T0: number
  Ti: number
  TMult: number
  etaMin: number
  Tcur: number

  constructor(optimizer: unknown, options: { T0: number; TMult?: number; etaMin?: number }) {
    super('CosineAnnealingWarmRestarts', optimizer)
    const op = 'CosineAnnealingWarmRestarts'
    checkOptionKeys(op, options, ['T0', 'TMult', 'etaMin'])
    this.T0 = checkNumber(op, 'T0', options?.T0, (v) => Number.isInteger(v) && v > 0, 'an integer > 0')
    this.TMult = checkNumber(op, 'TMult', options.TMult ?? 1, (v) => Number.isInteger(v) && v >= 1, 'an integer >= 1')
    this.etaMin = checkNumber(op, 'etaMin', options.etaMin ?? 0, () => true, 'a number')
    this.Ti = this.T0
    this.Tcur = -1
    this.initialStep()
  }

  override step(): void {
    if (this.lastEpoch < 0) {
      this.Ti = this.T0
      this.Tcur = 0
    } else {
      this.Tcur += 1
      if (this.Tcur >= this.Ti) {
        this.Tcur -= this.Ti
        this.Ti *= this.TMult
      }
    }
    super.step()
  }

  protected computeLr(): number[] {
    return this.baseLrs.map((base) => this.etaMin + ((base - this.etaMin) * (1 + Math.cos((Math.PI * this.Tcur) / this.Ti))) / 2)
  }
}
