import { recording } from '../../compile/hooks.js'
import type { Optimizer } from '../optimizer.js'

/** Any optimiser whose groups a scheduler may read and write (`lr`, and `momentum` or `betas`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOptimizer = Optimizer<any, any>

/** A param group as a scheduler sees it. */
export type SchedulerGroup = Record<string, unknown> & { lr: number }

/** A scheduler's state: its own numbers and arrays (never the optimiser, never functions). */
export type SchedulerStateDict = Record<string, unknown>

export function groupsOf(optimizer: AnyOptimizer): SchedulerGroup[] {
  return optimizer.paramGroups as unknown as SchedulerGroup[]
}

export function checkOptimizer(op: string, optimizer: unknown): AnyOptimizer {
  const groups = (optimizer as AnyOptimizer | null)?.paramGroups
  if (!Array.isArray(groups) || groups.some((g) => typeof (g as { lr?: unknown }).lr !== 'number')) {
    throw new TypeError(`${op}: the first argument must be an optimiser (e.g. new optim.SGD(model.parameters(), { lr: 0.1 }))`)
  }
  return optimizer as AnyOptimizer
}

export function checkNumber(op: string, name: string, value: unknown, ok: (v: number) => boolean, rule: string): number {
  if (typeof value !== 'number' || Number.isNaN(value) || !ok(value)) throw new RangeError(`${op}: ${name} must be ${rule}, got ${String(value)}`)
  return value
}

/**
 * The base of the epoch schedulers, like torch.optim.lr_scheduler.LRScheduler: it remembers
 * each group's starting rate (`baseLrs`), counts steps in `lastEpoch`, and on every step()
 * writes computeLr()'s rates into the groups. Construction performs step 0 (PyTorch's initial
 * step), so the rates hold the schedule's first values right away.
 *
 * computeLr() follows PyTorch's get_lr() formula for formula: most schedules are chainable
 * (each rate from the group's current one), which is what PyTorch's numbers come from.
 */
export abstract class LRScheduler {
  readonly optimizer: AnyOptimizer
  /** Each group's rate when the scheduler was made (PyTorch's initial_lr / base_lrs). */
  baseLrs: number[]
  /** Steps taken: 0 after construction. */
  lastEpoch = -1
  protected lastLr: number[] = []

  constructor(op: string, optimizer: unknown) {
    this.optimizer = checkOptimizer(op, optimizer)
    this.baseLrs = this.groups().map((g) => g.lr)
  }

  /** The groups' rates for `lastEpoch` (PyTorch's get_lr). */
  protected abstract computeLr(): number[]

  protected groups(): SchedulerGroup[] {
    return groupsOf(this.optimizer)
  }

  /** Subclasses call this at the end of their constructor: PyTorch's initial step to epoch 0. */
  protected initialStep(): void {
    this.step()
  }

  /** Advance one epoch (or batch, for OneCycleLR) and set every group's rate. Call after optimizer.step(). */
  step(): void {
    // Compiled (src/compile): JS state like this runs live at every replayed call, not once.
    if (recording !== null) return recording.opaque('scheduler.step()', () => this.step())
    this.lastEpoch += 1
    const lrs = this.computeLr()
    this.groups().forEach((g, i) => (g.lr = lrs[i]))
    this.lastLr = lrs
  }

  /** The rates the last step() set, one per group. */
  getLastLr(): number[] {
    return [...this.lastLr]
  }

  /** The scheduler's state (counters, rates, options), without the optimiser: for checkpoints. */
  stateDict(): SchedulerStateDict {
    const out: SchedulerStateDict = {}
    for (const [key, value] of Object.entries(this)) {
      // Functions (LambdaLR's) are code, not state, as in PyTorch.
      if (key === 'optimizer' || typeof value === 'function' || (Array.isArray(value) && value.some((v) => typeof v === 'function'))) continue
      out[key] = Array.isArray(value) ? structuredClone(value) : value
    }
    return out
  }

  /** Restore a state from stateDict(). */
  loadStateDict(state: SchedulerStateDict): void {
    if (state === null || typeof state !== 'object') throw new TypeError(`${this.constructor.name}.loadStateDict: expected an object from stateDict()`)
    for (const [key, value] of Object.entries(state)) {
      if (key === 'optimizer' || !(key in this)) throw new Error(`${this.constructor.name}.loadStateDict: unknown key '${key}'`)
      ;(this as Record<string, unknown>)[key] = Array.isArray(value) ? structuredClone(value) : value
    }
  }
}
