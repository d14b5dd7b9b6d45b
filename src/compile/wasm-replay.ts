import type { TypedArray } from '../dtype.js'
import { swapBackend } from '../backend/index.js'
import type { Backend } from '../backend/types.js'
import { failedAllocation, WasmOutOfMemory } from '../backend/wasm/out-of-memory.js'
import { kernelError, wasmExports } from '../backend/wasm/runtime.js'
import type { Tensor } from '../tensor.js'
import { applyPatches, runEntry } from './plan.js'
import { argWriters, beginArgs, missingArgs, mismatch, type ArgSlot } from './optimiser-args.js'
import type { Segment, WasmPlan } from './wasm-plan.js'

/** @internal Calls into the plan interpreter so far (tests count one per replay), and live runs of optimiser steps writing their arguments. */
export const interpreterStats = { calls: 0, optimiserSteps: 0 }

type RunPlan = (ops: number, count: number, scratch: number) => number
type ArrayCtor = new (buffer: ArrayBuffer, byteOffset: number, length: number) => TypedArray

/** Runs a lowered plan on `inputs`: inputs copied in, its steps in order, outputs copied out. */
export function runWasmPlan(w: WasmPlan, inputs: readonly unknown[]): void {
  const e = wasmExports()!
  if (w.view.length === 0) attach(w)
  const ins = w.inputs
  for (let i = 0; i < ins.length; i++) {
    const src = (inputs[ins[i].index] as Tensor).data
    copy(ins[i].view, src, src.length)
  }
  const state = w.ins
  for (let i = 0; i < state.length; i++) copy(state[i].src, state[i].dst, state[i].dst.length)
  const steps = w.steps
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]
    switch (s.kind) {
      case 'segment':
        interpreterStats.calls++
        let ran: number
        try {
          ran = (e.runPlan as RunPlan)(s.at, s.count, w.scratch)
        } catch (err) {
          throw trapError(w, err)
        }
        if (ran !== s.count) failedCheck(s, ran, inputs)
        break
      case 'setGrad': {
        const entry = s.entry
        const t = entry.input >= 0 ? (inputs[entry.input] as Tensor) : entry.tensor!
        if (t.grad !== entry.grad) t.grad = entry.grad // (after the first replay it is already set)
        break
      }
      case 'prepare':
        if (s.guard === null) prepare(w, s.slots, s.run)
        else if (!s.guard.repeats()) {
          s.guard.running()
          prepare(w, s.slots, s.run)
          s.guard.ran()
        } else s.guard.skipped()
        break
      case 'live':
        s.run()
        break
      case 'js':
        applyPatches(s.entry, inputs)
        runEntry(s.entry, inputs)
        break
    }
  }
  // A kernel or a live step may have grown the memory since.
  if (w.view.length === 0) attach(w)
  const outs = w.outs
  for (let i = 0; i < outs.length; i++) copy(outs[i].dst, outs[i].src, outs[i].dst.length)
}

/** The interpreter stopped at check op `at` of segment `s`: its JS step throws eager's error on the values there. */
function failedCheck(s: Segment, at: number, inputs: readonly unknown[]): never {
  const check = s.checks.find((c) => c.at === at)
  if (check !== undefined) {
    applyPatches(check.entry, inputs)
    runEntry(check.entry, inputs)
  }
  throw new Error(`compile: the wasm plan interpreter stopped at op ${at} of a segment, but no check there failed (a bug in compile())`)
}

/**
 * (Re-)creates every view of wasm memory the plan holds: made together, they are detached
 * together by memory.grow, so checking the op list's view is enough.
 */
export function attach(w: WasmPlan): void {
  const buffer = wasmExports()!.memory.buffer as ArrayBuffer
  w.view = new Float64Array(buffer, w.ops, w.length)
  w.ints = new Int32Array(buffer, w.ops, 2 * w.length)
  for (const b of w.inputs) b.view = new b.ctor(buffer, b.addr, b.length)
  for (const o of [...w.outs, ...w.ins]) o.src = new (o.dst.constructor as ArrayCtor)(buffer, o.addr, o.dst.length)
}

function trapError(w: WasmPlan, err: unknown): unknown {
  if (!(err instanceof WebAssembly.RuntimeError)) return err
  // A kernel allocating its scratch trapped: eager's error for it, naming it and its shapes.
  const marked = new Uint32Array(wasmExports()!.memory.buffer, w.scratch - 4, 1)
  const k = w.allocating.get(marked[0])
  marked[0] = 0
  if (k !== undefined) return kernelError(k.name, err, () => k.shapes!)
  // The allocator's own trap (it recorded the request: a kernel's scratch): out of memory, no bug.
  const failed = failedAllocation(wasmExports()!)
  if (failed !== null) {
    return new WasmOutOfMemory(
      `compile: out of wasm memory replaying the step: a kernel could not allocate its ${failed.bytes}-byte scratch ` +
        `(${failed.why}); use a smaller batch or smaller shapes`,
    )
  }
  return new Error(
    `compile: the wasm plan interpreter trapped (${err.message}); an op id it does not know means build/yann.wasm ` +
      'is older than src/compile/plan-kernels.ts: run npm run build:wasm',
  )
}

/**
 * `dst.set(src)` of `n` elements; small arrays by hand (a native set costs more than a short
 * loop). `n` is read from the caller's array, on the JS heap: a view of wasm memory's length
 * costs more.
 */
function copy(dst: TypedArray, src: TypedArray, n: number): void {
  if (n > 32) dst.set(src)
  else for (let i = 0; i < n; i++) dst[i] = src[i]
}

/** The backend the optimiser's step() sees during a replay: its kernels write their arguments (optimiser-args.ts). */
const patchBackends = new WeakMap<Backend, Backend>()
export function patchBackend(real: Backend): Backend {
  let b = patchBackends.get(real)
  if (b === undefined) {
    const o: Record<string, unknown> = { name: real.name }
    for (const key of Object.keys(real)) {
      if (typeof (real as unknown as Record<string, unknown>)[key] === 'function') {
        o[key] = () => {
          throw mismatch(`a call of '${key}'`)
        }
      }
    }
    b = Object.assign(o, argWriters) as unknown as Backend
    patchBackends.set(real, b)
  }
  return b
}

function prepare(w: WasmPlan, s: ArgSlot[], run: () => void): void {
  interpreterStats.optimiserSteps++
  if (w.view.length === 0) attach(w)
  beginArgs(w.view, w.ints, s)
  const before = swapBackend(w.patch)
  try {
    run()
  } finally {
    swapBackend(before)
  }
  if (missingArgs() !== 0) throw mismatch(`${missingArgs()} kernel call(s) fewer`)
}
