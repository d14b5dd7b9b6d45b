import { checkOptionKeys } from '../../options.js'
import { checkNumber, LRScheduler, type SchedulerGroup } from './scheduler.js'

export interface OneCycleLROptions {
  /** The peak rate: one number, or one per param group. */
  maxLr: number | number[]
  /** Steps in the cycle; or give epochs and stepsPerEpoch. */
  totalSteps?: number
  epochs?: number
  stepsPerEpoch?: number
  /** Fraction of the cycle spent raising the rate (default 0.3). */
  pctStart?: number
  /** 'cos' (default) or 'linear'. */
  annealStrategy?: 'cos' | 'linear'
  /** Cycle momentum (SGD, RMSprop) or Adam's β1 inversely to the rate (default true). */
  cycleMomentum?: boolean
  baseMomentum?: number | number[]
  maxMomentum?: number | number[]
  /** The starting rate is maxLr / divFactor (default 25). */
  divFactor?: number
  /** The final rate is the starting rate / finalDivFactor (default 1e4). */
  finalDivFactor?: number
  /** A third phase: up, back down to the start, then down to the minimum (default false). */
  threePhase?: boolean
}

interface Phase {
  endStep: number
  startLr: 'initialLr' | 'maxLr' | 'minLr'
  endLr: 'initialLr' | 'maxLr' | 'minLr'
  startMomentum: 'maxMomentum' | 'baseMomentum'
  endMomentum: 'maxMomentum' | 'baseMomentum'
}

/** Per group: the rates and momenta the phases run between. */
interface Bounds {
  initialLr: number
  maxLr: number
  minLr: number
  maxMomentum: number
  baseMomentum: number
}

const KEYS = ['maxLr', 'totalSteps', 'epochs', 'stepsPerEpoch', 'pctStart', 'annealStrategy', 'cycleMomentum', 'baseMomentum', 'maxMomentum', 'divFactor', 'finalDivFactor', 'threePhase']

/**
 * The 1cycle policy, like torch.optim.lr_scheduler.OneCycleLR: the rate rises from
 * maxLr/divFactor to maxLr over pctStart of the steps, then anneals to initial/finalDivFactor;
 * momentum (or Adam's β1) moves the opposite way between maxMomentum and baseMomentum. Step it
 * after every batch; stepping past totalSteps is an error.
 */
export class OneCycleLR extends LRScheduler {
  totalSteps: number
  annealStrategy: 'cos' | 'linear'
  cycleMomentum: boolean
  useBeta1: boolean
  bounds: Bounds[]
  phases: Phase[]

  constructor(optimizer: unknown, options: OneCycleLROptions) {
    const op = 'OneCycleLR'
    super(op, optimizer)
    checkOptionKeys(op, options, KEYS)
    const o = options ?? ({} as OneCycleLROptions)
    if (o.totalSteps !== undefined) {
      this.totalSteps = checkNumber(op, 'totalSteps', o.totalSteps, (v) => Number.isInteger(v) && v > 0, 'an integer > 0')
    } else if (o.epochs !== undefined && o.stepsPerEpoch !== undefined) {
      const epochs = checkNumber(op, 'epochs', o.epochs, (v) => Number.isInteger(v) && v > 0, 'an integer > 0')
      this.totalSteps = epochs * checkNumber(op, 'stepsPerEpoch', o.stepsPerEpoch, (v) => Number.isInteger(v) && v > 0, 'an integer > 0')
    } else {
      throw new Error(`${op}: give totalSteps, or both epochs and stepsPerEpoch`)
    }
    const pctStart = checkNumber(op, 'pctStart', o.pctStart ?? 0.3, (v) => v >= 0 && v <= 1, 'in [0, 1]')
    const anneal = o.annealStrategy ?? 'cos'
    if (anneal !== 'cos' && anneal !== 'linear') throw new Error(`${op}: annealStrategy must be 'cos' or 'linear', got ${JSON.stringify(anneal)}`)
    this.annealStrategy = anneal
    const n = this.totalSteps
    this.phases = o.threePhase
      ? [
          { endStep: pctStart * n - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
          { endStep: 2 * pctStart * n - 2, startLr: 'maxLr', endLr: 'initialLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
          { endStep: n - 1, startLr: 'initialLr', endLr: 'minLr', startMomentum: 'maxMomentum', endMomentum: 'maxMomentum' },
        ]
      : [
          { endStep: pctStart * n - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
          { endStep: n - 1, startLr: 'maxLr', endLr: 'minLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
        ]
    const groups = this.groups()
    const perGroup = (name: string, v: number | number[] | undefined, fallback: number): number[] => {
      const list = Array.isArray(v) ? v : groups.map(() => v ?? fallback)
      if (list.length !== groups.length) throw new Error(`${op}: ${name} has ${list.length} values for ${groups.length} param groups`)
      return list.map((x) => checkNumber(op, name, x, () => true, 'a number'))
    }
    const divFactor = checkNumber(op, 'divFactor', o.divFactor ?? 25, (v) => v > 0, 'a number > 0')
    const finalDivFactor = checkNumber(op, 'finalDivFactor', o.finalDivFactor ?? 1e4, (v) => v > 0, 'a number > 0')
    const maxLrs = perGroup('maxLr', o.maxLr, NaN)
    const maxMomenta = perGroup('maxMomentum', o.maxMomentum, 0.95)
    const baseMomenta = perGroup('baseMomentum', o.baseMomentum, 0.85)
    this.bounds = maxLrs.map((maxLr, i) => ({
      initialLr: maxLr / divFactor,
      maxLr,
      minLr: maxLr / divFactor / finalDivFactor,
      maxMomentum: maxMomenta[i],
      baseMomentum: baseMomenta[i],
    }))
    this.cycleMomentum = o.cycleMomentum ?? true
    this.useBeta1 = groups.every((g) => Array.isArray(g.betas))
    if (this.cycleMomentum) {
      if (!this.useBeta1 && groups.some((g) => typeof g.momentum !== 'number')) {
        throw new Error(`${op}: optimizer must support momentum or betas with cycleMomentum enabled; pass cycleMomentum: false`)
      }
      groups.forEach((g, i) => setMomentum(g, this.useBeta1, this.bounds[i].maxMomentum))
    }
    this.baseLrs = this.bounds.map((b) => b.initialLr)
    this.initialStep()
  }

  private anneal(start: number, end: number, pct: number): number {
    return this.annealStrategy === 'cos' ? end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1) : (end - start) * pct + start
  }

  protected computeLr(): number[] {
    const step = this.lastEpoch
    if (step > this.totalSteps) {
      throw new Error(`OneCycleLR: tried to step ${step} times; the total number of steps is ${this.totalSteps} (give a larger totalSteps)`)
    }
    return this.groups().map((g, i) => {
      const b = this.bounds[i]
      let start = 0
      for (let p = 0; p < this.phases.length; p++) {
        const phase = this.phases[p]
        if (step <= phase.endStep || p === this.phases.length - 1) {
          const pct = (step - start) / (phase.endStep - start)
          if (this.cycleMomentum) setMomentum(g, this.useBeta1, this.anneal(b[phase.startMomentum], b[phase.endMomentum], pct))
          return this.anneal(b[phase.startLr], b[phase.endLr], pct)
        }
        start = phase.endStep
      }
      throw new Error('unreachable')
    })
  }
}

function setMomentum(group: SchedulerGroup, useBeta1: boolean, value: number): void {
  if (useBeta1) group.betas = [value, ...(group.betas as number[]).slice(1)]
  else group.momentum = value
}
