import type { FloatArray } from '../dtype.js'
import type { AdagradOptions, AdamOptions, RmspropOptions, SgdOptions } from '../backend/types.js'

/**
 * The wasm plan's optimiser update: at each replay the optimiser's step() runs live (its step
 * counts, a changed lr) against this backend, whose four optimiser kernels write their export
 * arguments into the op list instead of running. The arguments are computed exactly as the
 * wasm backend's methods compute them (src/backend/wasm/backend.ts): keep the two in step
 * (the bit-identical tests for every optimiser compare them).
 */

/** Where the next optimiser call writes: the op list, the record slots in call order. */
export interface ArgSlot {
  name: string
  f64: boolean
  at: number
  /** The arrays of the last call and their addresses: the same views again skip the address check. */
  seen?: (FloatArray | null)[]
  ptrs?: number[]
}

let ops: Float64Array = new Float64Array(0)
let slots: readonly ArgSlot[] = []
let cursor = 0

/** Starts a step writing into `view` at `list` (one slot per kernel call expected). */
export function beginArgs(view: Float64Array, list: readonly ArgSlot[]): void {
  ops = view
  slots = list
  cursor = 0
}

/** The calls still expected (0 when the step made exactly the recorded calls). */
export function missingArgs(): number {
  return slots.length - cursor
}

let current: ArgSlot = { name: '', f64: false, at: 0 }

function slot(name: string, like: FloatArray): number {
  const s = slots[cursor]
  if (s === undefined || s.name !== name || s.f64 !== like instanceof Float64Array) throw mismatch(`an extra '${name}'`)
  cursor++
  current = s
  s.seen ??= []
  s.ptrs ??= []
  return s.at
}

/** The address of array `j` of the current call (`.buffer` and `.byteOffset` of a wasm view cost ~20-40 ns: cached per view). */
function ptr(j: number, a: FloatArray | null): number {
  const seen = current.seen!
  if (seen[j] === a) return current.ptrs![j]
  if (a !== null && a.buffer !== ops.buffer) throw mismatch('an array outside wasm memory')
  seen[j] = a
  return (current.ptrs![j] = a === null ? 0 : a.byteOffset)
}

export const argWriters = {
  sgdStep(param: FloatArray, grad: FloatArray, momentumBuffer: FloatArray | null, firstStep: boolean, o: SgdOptions): void {
    const at = slot('sgdStep', param)
    ops[at] = ptr(0, param)
    ops[at + 1] = ptr(1, grad)
    ops[at + 2] = ptr(2, momentumBuffer)
    ops[at + 3] = param.length
    ops[at + 4] = firstStep ? 1 : 0
    ops[at + 5] = o.lr
    ops[at + 6] = o.momentum
    ops[at + 7] = o.dampening
    ops[at + 8] = o.nesterov ? 1 : 0
    ops[at + 9] = o.weightDecay
  },

  adamStep(param: FloatArray, grad: FloatArray, expAvg: FloatArray, expAvgSq: FloatArray, step: number, o: AdamOptions): void {
    const at = slot('adamStep', param)
    ops[at] = ptr(0, param)
    ops[at + 1] = ptr(1, grad)
    ops[at + 2] = ptr(2, expAvg)
    ops[at + 3] = ptr(3, expAvgSq)
    ops[at + 4] = param.length
    ops[at + 5] = o.lr / (1 - o.beta1 ** step)
    ops[at + 6] = Math.sqrt(1 - o.beta2 ** step)
    ops[at + 7] = o.decoupled ? 1 - o.lr * o.weightDecay : 1
    ops[at + 8] = o.decoupled ? 0 : o.weightDecay
    ops[at + 9] = o.beta1
    ops[at + 10] = o.beta2
    ops[at + 11] = o.eps
  },

  rmspropStep(param: FloatArray, grad: FloatArray, squareAvg: FloatArray, gradAvg: FloatArray | null, momentumBuffer: FloatArray | null, o: RmspropOptions): void {
    const at = slot('rmspropStep', param)
    ops[at] = ptr(0, param)
    ops[at + 1] = ptr(1, grad)
    ops[at + 2] = ptr(2, squareAvg)
    ops[at + 3] = ptr(3, gradAvg)
    ops[at + 4] = ptr(4, momentumBuffer)
    ops[at + 5] = param.length
    ops[at + 6] = o.lr
    ops[at + 7] = o.alpha
    ops[at + 8] = o.eps
    ops[at + 9] = o.weightDecay
    ops[at + 10] = o.momentum
  },

  adagradStep(param: FloatArray, grad: FloatArray, sum: FloatArray, o: AdagradOptions): void {
    const at = slot('adagradStep', param)
    ops[at] = ptr(0, param)
    ops[at + 1] = ptr(1, grad)
    ops[at + 2] = ptr(2, sum)
    ops[at + 3] = param.length
    ops[at + 4] = o.lr
    ops[at + 5] = o.eps
    ops[at + 6] = o.weightDecay
  },
}

/** The optimiser's step made other kernel calls than the plan holds: compile() drops the plan and records anew. */
export class PlanMismatch extends Error {}

export function mismatch(what: string): Error {
  return new PlanMismatch(`compile: the optimiser's step made other kernel calls than when the plan was recorded (${what})`)
}
