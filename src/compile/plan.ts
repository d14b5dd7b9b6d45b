import { bumpVersion } from '../autograd/version.js'
import type { Backend } from '../backend/types.js'
import type { StepSource } from './hooks.js'
import { wasmExports } from '../backend/wasm/runtime.js'
import { Tensor } from '../tensor.js'
import type { WasmPlan } from './wasm-plan.js'
import { runWasmPlan } from './wasm-replay.js'

/**
 * A recorded step: the calls to replay, in order, with every array they touch either kept
 * (intermediates and constants: each placed once, at recording) or re-bound at each replay
 * (the inputs' data, and views of wasm memory, which memory.grow detaches).
 */

type FloatCtor = Float32ArrayConstructor | Float64ArrayConstructor | Int32ArrayConstructor | Uint8ArrayConstructor

/** An array that is looked up at replay rather than kept. */
export type Slot =
  | { kind: 'input'; index: number }
  /** Part of an input's buffer (a subarray). */
  | { kind: 'inputView'; index: number; byteOffset: number; length: number; ctor: FloatCtor }
  /** A block of wasm memory (parameters, gradients, optimiser state): its address and a cached view. */
  | { kind: 'wasm'; byteOffset: number; length: number; ctor: FloatCtor; view: ArrayBufferView }

/** Where to put a slot's array before an entry runs: `target[key]`. */
export interface Patch {
  target: Record<string | number, unknown>
  key: string | number
  slot: Slot
}

export const KERNEL = 0
export const COPY = 1
export const FILL = 2
export const OPAQUE = 3
export const SET_GRAD = 4

export interface Entry {
  kind: typeof KERNEL | typeof COPY | typeof FILL | typeof OPAQUE | typeof SET_GRAD
  /** KERNEL: the backend method; COPY: args [dst, src]; FILL: args [dst, value]. */
  method: ((...args: unknown[]) => unknown) | null
  /** KERNEL: the backend method's name, and the backend it is called on. */
  name?: string
  self?: Backend
  args: unknown[]
  patches: Patch[]
  /** OPAQUE: what runs live at each call (the optimiser's step). */
  run: (() => void) | null
  /** OPAQUE: the optimiser whose step `run` is, when a wasm replay may skip a repeat of it. */
  source?: StepSource | null
  /** SET_GRAD: `tensor.grad = grad`, where tensor is the call's input `input` when that is >= 0 (then `tensor` is the input it went to last). */
  tensor: Tensor | null
  input: number
  grad: Tensor | null
}

/** A leaf tensor (the call's input `input`, when >= 0) whose `.grad` was null or not at the start. */
export interface Leaf {
  tensor: Tensor
  input: number
  wasNull: boolean
  /** The `.grad` from before the call that backward added into in place (its kernels write that memory), or null. */
  grad: Tensor | null
}

/**
 * True where every leaf's `.grad` is null exactly where it was when the plan was recorded, and
 * is the very tensor the plan adds into where it accumulates (`t.grad = other` between calls
 * records anew: the kernels would add into the old one).
 */
export function leavesMatch(plan: Plan, inputs: readonly unknown[]): boolean {
  const leaves = plan.leaves
  for (let i = 0; i < leaves.length; i++) {
    const l = leaves[i]
    const t = l.input >= 0 ? (inputs[l.input] as Tensor) : l.tensor
    if ((t.grad === null) !== l.wasNull || (l.grad !== null && t.grad !== l.grad)) return false
  }
  return true
}

/** A tensor an in-place op wrote (the call's input `input`, when >= 0): each replay bumps its version, as eager's write does. */
export interface Bump {
  tensor: Tensor | null
  input: number
}

/** What a plan's call returns: nothing, a tensor (an input's, by index), or a list. */
export type OutputSpec =
  | { kind: 'value'; value: unknown }
  | { kind: 'input'; index: number }
  /** A tensor over part of an input's data (a reshape of it). */
  | { kind: 'inputView'; index: number; byteOffset: number; length: number; shape: readonly number[] }
  | { kind: 'list'; items: OutputSpec[] }

export interface Plan {
  backend: Backend
  entries: Entry[]
  /** JavaScript steps on the inputs alone (index range checks), run before the entries at every replay. */
  checks: Entry[]
  output: OutputSpec
  /** Leaves whose `.grad` the step reads or assigns, and whether it was null when the recording began. */
  leaves: Leaf[]
  /** One per in-place write the recording made to a tensor that outlives the call (an input, a parameter, a buffer). */
  bumps: Bump[]
  /** The `.grad` assignments of inputs (their `tensor`: the input that got it last). */
  inputGrads: Entry[]
  /** Why this plan runs eagerly instead (null: it replays). */
  fallbackReason: string | null
  /** The plan lowered for the wasm plan interpreter (one wasm call per replay), or null: the JS replay. */
  wasm: WasmPlan | null
  /** Why `wasm` is null (not the wasm backend, a kernel the interpreter does not run ...). */
  wasmReason: string | null
}

/** Runs a plan on new inputs of the shapes it was recorded for. */
export function replay(plan: Plan, inputs: readonly unknown[]): unknown {
  if (plan.inputGrads.length !== 0) keepEarlierGrads(plan.inputGrads, inputs)
  if (plan.wasm !== null) {
    runWasmPlan(plan.wasm, inputs) // (its first steps are the checks, on the inputs copied into wasm)
    if (plan.bumps.length !== 0) bump(plan.bumps, inputs)
    return output(plan.output, inputs)
  }
  const checks = plan.checks
  for (let e = 0; e < checks.length; e++) {
    applyPatches(checks[e], inputs)
    runEntry(checks[e], inputs)
  }
  const entries = plan.entries
  for (let e = 0; e < entries.length; e++) {
    const entry = entries[e]
    applyPatches(entry, inputs)
    runEntry(entry, inputs)
  }
  if (plan.bumps.length !== 0) bump(plan.bumps, inputs)
  return output(plan.output, inputs)
}

/**
 * An earlier call's input whose `.grad` is still the plan's tensor gets a copy, before the
 * replay overwrites it: eager gives each input its own gradient.
 */
function keepEarlierGrads(entries: readonly Entry[], inputs: readonly unknown[]): void {
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]
    const now = inputs[e.input] as Tensor
    if (e.tensor !== now && e.tensor!.grad === e.grad) e.tensor!.grad = e.grad!.clone()
    e.tensor = now
  }
}

/** The version bumps of the call's in-place writes, in JavaScript after the kernels that made them (no kernel reads a version). */
function bump(bumps: readonly Bump[], inputs: readonly unknown[]): void {
  for (let i = 0; i < bumps.length; i++) {
    const b = bumps[i]
    bumpVersion(b.input >= 0 ? (inputs[b.input] as Tensor) : b.tensor!)
  }
}

/** Puts each slot's array (an input's data, a fresh view of wasm memory) where the entry reads it. */
export function applyPatches(entry: Entry, inputs: readonly unknown[]): void {
  const patches = entry.patches
  for (let i = 0; i < patches.length; i++) {
    const p = patches[i]
    p.target[p.key] = resolve(p.slot, inputs)
  }
}

/**
 * Array argument `key` of `target` (an entry's args or one of its option objects) as it can
 * be read now: a view of wasm memory is re-created when memory.grow detached it after the call.
 */
export function liveArray(entry: Entry, target: Record<string | number, unknown>, key: string | number): unknown {
  const p = entry.patches.find((q) => q.target === target && q.key === key)
  return p !== undefined && p.slot.kind === 'wasm' ? resolve(p.slot, []) : target[key]
}

/** Runs one entry: a kernel (on the backend it was recorded on), a copy, a fill, the optimiser, a `.grad` assignment. */
export function runEntry(entry: Entry, inputs: readonly unknown[]): void {
  const args = entry.args
  switch (entry.kind) {
    case KERNEL:
      entry.method!.apply(entry.self, args)
      break
    case COPY:
      ;(args[0] as Float64Array).set(args[1] as Float64Array)
      break
    case FILL:
      ;(args[0] as Float64Array).fill(args[1] as number)
      break
    case OPAQUE:
      entry.run!()
      break
    case SET_GRAD:
      ;(entry.input >= 0 ? (inputs[entry.input] as Tensor) : entry.tensor!).grad = entry.grad
      break
  }
}

function resolve(slot: Slot, inputs: readonly unknown[]): ArrayBufferView {
  switch (slot.kind) {
    case 'input':
      return (inputs[slot.index] as Tensor).data
    case 'inputView': {
      const d = (inputs[slot.index] as Tensor).data
      return new slot.ctor(d.buffer as ArrayBuffer, d.byteOffset + slot.byteOffset, slot.length)
    }
    case 'wasm':
      // memory.grow detaches every view: re-create it at the same address (length, not byteLength:
      // ~4 ns rather than ~20 on a view of wasm memory).
      if ((slot.view as Float32Array).length === 0) slot.view = new slot.ctor(wasmExports()!.memory.buffer, slot.byteOffset, slot.length)
      return slot.view
  }
}

/** The tensors a plan's call returns (over this call's inputs where they are views of them). */
export function output(spec: OutputSpec, inputs: readonly unknown[]): unknown {
  switch (spec.kind) {
    case 'value':
      return spec.value
    case 'input':
      return inputs[spec.index]
    case 'inputView': {
      const d = (inputs[spec.index] as Tensor).data
      const same = spec.byteOffset === 0 && spec.length === d.length
      return new Tensor(same ? d : new (d.constructor as Float64ArrayConstructor)(d.buffer as ArrayBuffer, d.byteOffset + spec.byteOffset, spec.length), spec.shape as number[])
    }
    case 'list':
      return spec.items.map((item) => output(item, inputs))
  }
}
