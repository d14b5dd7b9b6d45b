import { isWatched, optionChangesNow } from '../optim/param-group.js'
import type { StepSource } from './hooks.js'

/**
 * Lets a wasm replay skip the optimiser's step(), which otherwise runs at every replay to write
 * its kernels' arguments (lr, flags, addresses) into the op list: skipped when it would write
 * what its last run wrote and change nothing. That holds when everything the step reads (its
 * groups' options, every group's parameters, each parameter's `.grad`, the per-parameter state
 * objects and the fields they had) is what its last run saw, and that run left it as it found
 * it. A step that changes what it reads (makes a momentum buffer, counts steps as Adam does)
 * runs again; a scheduler's new lr is a changed option, so the step runs and the plan uses the
 * new lr in that very call. Options are not compared one by one: every group's option setters
 * count changes (src/optim/param-group.ts), so one number says whether any changed; a group
 * not made by the optimiser (assigned into `paramGroups` by hand) makes every step run.
 */
export class RepeatGuard {
  /** What the last run saw before it ran, and after: counters, groups, parameters, `.grad`s and state objects in a fixed order. */
  private before: unknown[] = []
  private after: unknown[] = []
  /** The state objects' fields, as (object, key, value) triples, before and after the last run. */
  private fieldsBefore: unknown[] = []
  private fieldsAfter: unknown[] = []
  private repeatable = false

  constructor(private readonly source: StepSource) {}

  /** True when running the step now would repeat its last run exactly. */
  repeats(): boolean {
    return this.repeatable && this.unchanged()
  }

  /** Call before running the step (then ran()): notes what it reads. */
  running(): void {
    this.repeatable = false
    this.snapshot(this.before, this.fieldsBefore)
  }

  /** Call when the step is skipped: its kernels still update the parameters in place. */
  skipped(): void {
    this.source.countUpdates()
  }

  /** Call after the step ran (it did not throw): notes what it left. */
  ran(): void {
    this.snapshot(this.after, this.fieldsAfter)
    this.repeatable = this.source.paramGroups.every(isWatched) && same(this.before, this.after) && same(this.fieldsBefore, this.fieldsAfter)
  }

  /** Records what the step reads, in a fixed order (each state object looked up); reuses the arrays (no allocation per replay). */
  private snapshot(into: unknown[], fields: unknown[]): void {
    let at = 0
    let f = 0
    const { paramGroups, state } = this.source
    into[at++] = state.version
    into[at++] = optionChangesNow()
    into[at++] = paramGroups.length
    for (let gi = 0; gi < paramGroups.length; gi++) {
      const group = paramGroups[gi]
      const params = group.params
      into[at++] = group
      into[at++] = params
      into[at++] = params.length
      for (let i = 0; i < params.length; i++) {
        const p = params[i]
        const s = state.get(p) as Record<string, unknown> | undefined
        into[at++] = p
        into[at++] = (p as { grad?: unknown }).grad
        into[at++] = s
        if (s === undefined) continue
        for (const key in s) {
          fields[f++] = s
          fields[f++] = key
          fields[f++] = s[key]
        }
      }
    }
    into.length = at
    fields.length = f
  }

  /**
   * The walk of snapshot() compared as it goes, without the map lookups (its version says no
   * state object was added, replaced or dropped), then each state field the last run left.
   */
  private unchanged(): boolean {
    const v = this.after
    const { paramGroups, state } = this.source
    if (state.version !== v[0] || optionChangesNow() !== v[1] || paramGroups.length !== v[2]) return false
    let at = 3
    for (let gi = 0; gi < paramGroups.length; gi++) {
      const group = paramGroups[gi]
      const params = group.params
      if (group !== v[at++] || params !== v[at++] || params.length !== v[at++]) return false
      for (let i = 0; i < params.length; i++, at++) {
        const p = params[i]
        if (p !== v[at++] || (p as { grad?: unknown }).grad !== v[at++]) return false
      }
    }
    const f = this.fieldsAfter
    for (let i = 0; i < f.length; i += 3) if (!Object.is((f[i] as Record<string, unknown>)[f[i + 1] as string], f[i + 2])) return false
    return true
  }
}

function same(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false
  return true
}
