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
  /** Its record's head, as an index of the op list's f64s (assembly/plan.ts: the args lie around it). */
  at: number
  /** The arrays of the last call and their addresses: the same views again skip the address check. */
  seen?: (FloatArray | null)[]
  ptrs?: number[]
}

let view: Float64Array = new Float64Array(0)
let ints: Int32Array = new Int32Array(0)
let slots: readonly ArgSlot[] = []
let cursor = 0
/** The current call's arguments, written into its record by put(). */
const args = new Float64Array(32)

/** Starts a step writing into the op list (`f64s`, `i32s`: views of it) at `list` (one slot per kernel call expected). */
export function beginArgs(f64s: Float64Array, i32s: Int32Array, list: readonly ArgSlot[]): void {
  view = f64s
  ints = i32s
  slots = list
  cursor = 0
}

/** Writes the current call's first `count` arguments into its record, each as f64 and as i32 (assembly/plan.ts). */
function put(head: number, count: number): void {
  for (let k = 0, i = 2 * head + 4; k < count; k++) {
    view[head - 1 - k] = args[k]
    ints[i + k] = args[k]
  }
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
  if (a !== null && a.buffer !== view.buffer) throw mismatch('an array outside wasm memory')
  seen[j] = a
  return (current.ptrs![j] = a === null ? 0 : a.byteOffset)
}

export const argWriters = {
  sgdStep(param: FloatArray, grad: FloatArray, momentumBuffer: FloatArray | null, firstStep: boolean, o: SgdOptions): void {
    const at = slot('sgdStep', param)
    args[0] = ptr(0, param)
    args[1] = ptr(1, grad)
    args[2] = ptr(2, momentumBuffer)
    args[3] = param.length
    args[4] = firstStep ? 1 : 0
    args[5] = o.lr
    args[6] = o.momentum
    args[7] = o.dampening
    args[8] = o.nesterov ? 1 : 0
    args[9] = o.weightDecay
    put(at, 10)
  },

  adamStep(param: FloatArray, grad: FloatArray, expAvg: FloatArray, expAvgSq: FloatArray, step: number, o: AdamOptions): void {
    const at = slot('adamStep', param)
    args[0] = ptr(0, param)
    args[1] = ptr(1, grad)
    args[2] = ptr(2, expAvg)
    args[3] = ptr(3, expAvgSq)
    args[4] = param.length
    args[5] = o.lr / (1 - o.beta1 ** step)
    args[6] = Math.sqrt(1 - o.beta2 ** step)
    args[7] = o.decoupled ? 1 - o.lr * o.weightDecay : 1
    args[8] = o.decoupled ? 0 : o.weightDecay
    args[9] = o.beta1
    args[10] = o.beta2
    args[11] = o.eps
    put(at, 12)
  },

  rmspropStep(param: FloatArray, grad: FloatArray, squareAvg: FloatArray, gradAvg: FloatArray | null, momentumBuffer: FloatArray | null, o: RmspropOptions): void {
    const at = slot('rmspropStep', param)
    args[0] = ptr(0, param)
    args[1] = ptr(1, grad)
    args[2] = ptr(2, squareAvg)
    args[3] = ptr(3, gradAvg)
    args[4] = ptr(4, momentumBuffer)
    args[5] = param.length
    args[6] = o.lr
    args[7] = o.alpha
    args[8] = o.eps
    args[9] = o.weightDecay
    args[10] = o.momentum
    put(at, 11)
  },

  adagradStep(param: FloatArray, grad: FloatArray, sum: FloatArray, o: AdagradOptions): void {
    const at = slot('adagradStep', param)
    args[0] = ptr(0, param)
    args[1] = ptr(1, grad)
    args[2] = ptr(2, sum)
    args[3] = param.length
    args[4] = o.lr
    args[5] = o.eps
    args[6] = o.weightDecay
    put(at, 7)
  },
}

/** The optimiser's step made other kernel calls than the plan holds: compile() drops the plan and records anew. */
export class PlanMismatch extends Error {}

export function mismatch(what: string): Error {
  return new PlanMismatch(`compile: the optimiser's step made other kernel calls than when the plan was recorded (${what})`)
}
