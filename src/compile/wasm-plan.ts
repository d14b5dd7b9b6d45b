import type { TypedArray } from '../dtype.js'
import type { Backend } from '../backend/types.js'
import type { KernelName } from '../backend/wasm/invoke.js'
import { wasmExports } from '../backend/wasm/runtime.js'
import { Tensor } from '../tensor.js'
import { COPY, FILL, KERNEL, liveArray, OPAQUE, SET_GRAD, type Entry, type OutputSpec, type Patch, type Plan } from './plan.js'
import {
  kernelId, OP_CHECK_UNIT_F32, OP_CHECK_UNIT_F64, OP_COPY, OP_FILL_F32, OP_FILL_F64, OP_GEMM_UNARY_F32, OP_GEMM_UNARY_F64, OP_INCREMENT_I32,
  OP_RUNNING_STATS_F32, OP_RUNNING_STATS_F64, PLAN_KERNELS,
} from './plan-kernels.js'
import { NotPlaceable, Placement, type CopyOut, type InputBlock } from './placement.js'
import { isOptions, writtenArgs, type Recorder } from './recorder.js'
import { argWriters, type ArgSlot } from './optimiser-args.js'
import type { Captured, MethodCall } from './wasm-capture.js'
import { attach, patchBackend } from './wasm-replay.js'
import { RepeatGuard } from './repeat-guard.js'

/**
 * A plan lowered for the wasm plan interpreter (assembly/plan.ts): the kernels the step ran,
 * the optimiser's included, as an op list in wasm memory, with every array at a fixed wasm
 * address (intermediates and constants placed once; inputs copied in at each call). Runs of
 * kernels the interpreter knows are segments, one wasm call each; a kernel it does not know
 * (or that ran on the ts kernels, below the small-size threshold, and is no twin of its wasm
 * kernel: src/backend/wasm/twins.ts) runs from JavaScript on the placed arrays in between.
 * A training step on wasm-sized arrays is one segment.
 */
export interface WasmPlan {
  /** Byte address of the op list block and its length in f64s; the metadata scratch block. */
  ops: number
  length: number
  scratch: number
  /** By record address, the kernels that allocate (the interpreter marks the one running before `scratch`). */
  allocating: Map<number, Captured>
  /** The op list as f64s and as i32s (re-created, with the inputs' and outputs' views, when memory.grow detached them: attach()). */
  view: Float64Array
  ints: Int32Array
  /** What a replay does, in order. */
  steps: Step[]
  inputs: InputBlock[]
  outs: CopyOut[]
  /** Arrays of the caller's the step reads (module buffers), copied in before each call. */
  ins: CopyOut[]
  /** The backend the optimiser's step() sees while its arguments are written (optimiser-args.ts). */
  patch: Backend
  /** Wasm blocks the plan owns. */
  blocks: number[]
}

/**
 * SEGMENT: run `count` ops from the record whose head is at byte address `at` (where the
 * interpreter stops at check op `checks[i].at`, the check's own JS step runs and throws eager's
 * error). JS: run `entry` (its arrays re-bound to their placed copies). SET_GRAD: assign a
 * `.grad`. PREPARE: run the optimiser's step() live, writing its kernels' arguments at `slots`
 * (skipped when `guard` says it would repeat its last run). LIVE: run the optimiser's step() as is.
 */
export type Step =
  | Segment
  | { kind: 'js'; entry: Entry }
  | { kind: 'setGrad'; entry: Entry }
  | { kind: 'prepare'; run: () => void; slots: ArgSlot[]; guard: RepeatGuard | null }
  | { kind: 'live'; run: () => void }

export interface Segment {
  kind: 'segment'
  at: number
  count: number
  checks: { at: number; entry: Entry }[]
}

const freeBlocks =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry<number[]>((blocks) => {
        const e = wasmExports()
        if (e) for (const b of blocks) e.free(b)
      })
    : null

/** Lowers `plan` for the interpreter, or returns why it cannot (the plan then replays in JS). */
export function lowerToWasm(plan: Plan, rec: Recorder): WasmPlan | string {
  const e = wasmExports()
  if (plan.backend.name !== 'wasm' || e === null || typeof e.runPlan !== 'function') return 'not the wasm backend'
  if (rec.inputInWasm) return 'an input lives in wasm memory (a parameter passed as an input?)'
  const calls = rec.capture.calls
  // (Twins recorded on wasm do not count: a step eager ran wholly on the ts kernels replays them in JS.)
  if (!calls.some((c) => c.invokes.length > 0 && !c.twin)) return 'no kernel ran on wasm (every array below the small-size threshold)'
  const place = new Placement(e, rec)
  // (Its word before: the allocating kernel running, assembly/plan.ts mark().)
  place.scratch = 4 + place.block(4 + 4 * Math.max(1, ...calls.flatMap((c) => c.invokes.map((k) => k.meta.length))))
  const allocating: [number, Captured][] = []
  const records: number[] = []
  // Where each record starts in `records` (laid out for the interpreter at the end: writeRecords()).
  const starts: number[] = []
  const steps: Step[] = []
  // The open segment runs where it closes: after the steps (.grad assignments, the optimiser's
  // argument writing) that came with its ops.
  let segment: Segment | null = null
  const close = (): void => {
    if (segment !== null) steps.push(segment)
    segment = null
    gemmAt = -1
  }
  // Where the last record starts when it is a gemm still open for fusing with the unary after it.
  let gemmAt = -1
  const emit = (op: number, args: number[], meta: number[]): number => {
    if (gemmAt >= 0 && segment !== null && fuses(records, gemmAt, op, args)) {
      records[gemmAt] = records[gemmAt] === kernelId('gemm', true) ? OP_GEMM_UNARY_F64 : OP_GEMM_UNARY_F32
      records[gemmAt + 1] += args.length
      records.push(...args)
      gemmAt = -1
      return records.length - args.length
    }
    segment ??= { kind: 'segment', at: records.length, count: 0, checks: [] }
    segment.count++
    gemmAt = (op === kernelId('gemm', false) || op === kernelId('gemm', true)) && meta.length === 0 ? records.length : -1
    starts.push(records.length)
    records.push(op, args.length, meta.length, ...args, ...meta)
    return records.length - args.length - meta.length
  }
  let live = false
  try {
    // The index checks first: a bad index throws before any kernel ran.
    for (const check of plan.checks) steps.push({ kind: 'js', entry: placedEntry(check, place) })
    let c = 0
    for (let i = 0; i < plan.entries.length; i++) {
      const entry = plan.entries[i]
      const mine: MethodCall[] = []
      for (; c < calls.length && calls[c].entry === i; c++) mine.push(calls[c])
      const known = mine.every((m) => PLAN_KERNELS.includes(m.method as KernelName) && m.invokes.length === 1)
      if (entry.kind === SET_GRAD) {
        steps.push({ kind: 'setGrad', entry })
      } else if (entry.kind === KERNEL && known && mine.length === 1) {
        const k = mine[0].invokes[0]
        const at = emit(kernelId(k.name, k.f64), place.args(k), k.meta)
        if (k.shapes !== undefined) allocating.push([at - 3, k])
      } else if (entry.kind === OPAQUE && mine.length > 0 && mine.every(writable)) {
        // Its arguments are written before the segment holding its ops runs.
        const slots: ArgSlot[] = []
        const prepare: Step = { kind: 'prepare', run: entry.run!, slots, guard: entry.source ? new RepeatGuard(entry.source) : null }
        steps.push(prepare)
        for (const m of mine) {
          const k = m.invokes[0]
          slots.push({ name: m.method, f64: k.f64, at: emit(kernelId(k.name, k.f64), place.args(k), k.meta) })
        }
      } else if (entry.kind === COPY && sameFloatType(liveArray(entry, argsOf(entry), 0), liveArray(entry, argsOf(entry), 1))) {
        // (Lengths read before placing: a block placed may grow the memory, detaching views.)
        const bytes = (liveArray(entry, argsOf(entry), 0) as TypedArray).byteLength
        const dst = place.entryArray(entry, argsOf(entry), 0, 2)
        emit(OP_COPY, [dst, place.entryArray(entry, argsOf(entry), 1, 1), bytes], [])
      } else if (entry.kind === FILL && isFloat(entry.args[0])) {
        const dst = liveArray(entry, argsOf(entry), 0) as TypedArray
        const length = dst.length
        emit(dst instanceof Float64Array ? OP_FILL_F64 : OP_FILL_F32, [place.entryArray(entry, argsOf(entry), 0, 2), length, entry.args[1] as number], [])
      } else if (entry.kind === KERNEL && entry.name === 'checkProbabilities') {
        // In the interpreter, not between two calls of it: the seed step (BCE) stays one call.
        const x = liveArray(entry, argsOf(entry), 0) as TypedArray
        const length = x.length
        emit(x instanceof Float64Array ? OP_CHECK_UNIT_F64 : OP_CHECK_UNIT_F32, [place.entryArray(entry, argsOf(entry), 0, 1), length], [])
        segment!.checks.push({ at: segment!.count - 1, entry: placedEntry(entry, place) })
      } else if (entry.kind === KERNEL && entry.name === 'runningStats') {
        // BatchNorm's running statistics, updated in place: [mean, variance, runningMean | null, runningVar | null, momentum, unbias].
        const args = argsOf(entry)
        const mean = liveArray(entry, args, 0) as TypedArray
        const c = mean.length
        const at = (i: number, role: number): number => (args[i] === null ? 0 : place.entryArray(entry, args, i, role))
        const ptrs = [at(0, 1), at(1, 1), at(2, 3), at(3, 3)]
        emit(mean instanceof Float64Array ? OP_RUNNING_STATS_F64 : OP_RUNNING_STATS_F32, [...ptrs, c, args[4] as number, args[5] as number], [])
      } else if (entry.kind === KERNEL && entry.name === 'countBatch') {
        emit(OP_INCREMENT_I32, [place.entryArray(entry, argsOf(entry), 0, 3)], [])
      } else {
        close()
        if (entry.kind === OPAQUE) {
          steps.push({ kind: 'live', run: entry.run! })
          live = true
        } else {
          steps.push({ kind: 'js', entry: placedEntry(entry, place) })
        }
      }
    }
    close()
    if (c !== calls.length) throw new NotPlaceable('kernel calls outside the plan entries')
    // A live optimiser step reads `.grad` arrays directly: they must not have moved.
    const grads = plan.entries.flatMap((g) => (g.kind === SET_GRAD && g.grad !== null ? [g.grad] : []))
    if (live && grads.some((t) => place.movedTensor(t))) throw new NotPlaceable('a gradient the live optimiser step reads moved')
    // Nor may any array of the caller's the step writes (a .grad zeroGrad(false) kept): its copy back comes after the call.
    if (live && place.olderWritten) throw new NotPlaceable('the live optimiser step may read an array of the caller that the plan moved into wasm')
    for (const t of [...outputs(plan.output), ...grads]) place.copyOut(t)
  } catch (err) {
    place.free()
    if (err instanceof NotPlaceable) return err.message
    throw err
  }
  dropOverwrittenGrads(steps)
  const { heads, bytes } = layout(records, starts)
  let ops: number
  try {
    ops = place.block(bytes)
  } catch (err) {
    place.free() // (wasm memory exhausted: the blocks placed so far would leak)
    throw err
  }
  for (const s of steps) {
    if (s.kind === 'segment') s.at = ops + heads.get(s.at)!
    // (An optimiser's slot: its record's head as an index of the op list's f64s.)
    else if (s.kind === 'prepare') for (const slot of s.slots) slot.at = heads.get(slot.at - 3)! / 8
  }
  const byAddress = new Map(allocating.map(([at, k]) => [ops + heads.get(at)!, k]))
  const w: WasmPlan = { ops, length: bytes / 8, scratch: place.scratch, allocating: byAddress, view: new Float64Array(0), ints: new Int32Array(0), steps, inputs: place.inputs, outs: place.outs, ins: place.ins, patch: patchBackend(plan.backend), blocks: place.blocks }
  attach(w)
  writeRecords(w, records, starts, heads)
  freeBlocks?.register(plan, place.blocks, w)
  return w
}

/**
 * Where each record's head lies in the op list (bytes from its start), by the record's index in
 * `records` ([op, argc, metaInts, args…, meta…]), and the list's length in bytes: a record is
 * its f64 args, its head (16 bytes), its i32 args and meta ints, padded to 8 bytes.
 */
function layout(records: readonly number[], starts: readonly number[]): { heads: Map<number, number>; bytes: number } {
  const heads = new Map<number, number>()
  let bytes = 0
  for (const at of starts) {
    const argc = records[at + 1]
    heads.set(at, bytes + 8 * argc)
    bytes += 8 * argc + 16 + 8 * Math.ceil((argc + records[at + 2]) / 2)
  }
  return { heads, bytes }
}

/**
 * The records as the interpreter reads them (assembly/plan.ts): each arg as f64 before the head
 * and as i32 after it (a pointer's or a count's i32 is the value itself, a scalar's is not
 * read), the head [id, bytes to the next head, argc, metaInts], then the meta ints.
 */
function writeRecords(w: WasmPlan, records: readonly number[], starts: readonly number[], heads: Map<number, number>): void {
  for (let s = 0; s < starts.length; s++) {
    const at = starts[s]
    const argc = records[at + 1]
    const metaInts = records[at + 2]
    const head = heads.get(at)!
    const f = head / 8
    const i = head / 4
    w.ints[i] = records[at]
    w.ints[i + 1] = s + 1 < starts.length ? heads.get(starts[s + 1])! - head : 0
    w.ints[i + 2] = argc
    w.ints[i + 3] = metaInts
    for (let k = 0; k < argc; k++) {
      w.view[f - 1 - k] = records[at + 3 + k]
      w.ints[i + 4 + k] = records[at + 3 + k]
    }
    for (let j = 0; j < metaInts; j++) w.ints[i + 4 + argc + j] = records[at + 3 + argc + j]
  }
}

/** Frees the wasm blocks of a plan compile() drops (train()/eval() drops every plan: waiting for GC let memory grow). */
export function disposePlan(plan: Plan): void {
  const w = plan.wasm
  if (w === null) return
  plan.wasm = null
  plan.wasmReason = 'the plan was discarded'
  freeBlocks?.unregister(w)
  const e = wasmExports()
  if (e) for (const b of w.blocks) e.free(b)
  w.blocks.length = 0
}

/**
 * Removes `.grad` assignments that a later one to the same tensor overwrites before any step
 * could read them (only JS steps and the optimiser's read `.grad`; segments work on addresses):
 * zeroGrad()'s `= null` followed by backward()'s assignment leaves just the latter.
 */
function dropOverwrittenGrads(steps: Step[]): void {
  const dropped = new Set<Step>()
  const pending = new Map<unknown, Step>()
  for (const s of steps) {
    if (s.kind === 'setGrad') {
      const target = s.entry.input >= 0 ? `input ${s.entry.input}` : s.entry.tensor
      const before = pending.get(target)
      if (before !== undefined) dropped.add(before)
      pending.set(target, s)
    } else if (s.kind !== 'segment') {
      pending.clear()
    }
  }
  const kept = steps.filter((s) => !dropped.has(s))
  steps.length = 0
  steps.push(...kept)
}

/** The unary op `op` reads exactly the output of the gemm record at `at` (args: op code, x, out, n), of the same float type. */
function fuses(records: number[], at: number, op: number, args: number[]): boolean {
  const f64 = records[at] === kernelId('gemm', true)
  if (op !== kernelId('unary', f64)) return false
  const gemm = at + 3 // its args: a, b, out, batch, m, n, ...
  return args[1] === records[gemm + 2] && args[3] === records[gemm + 3] * records[gemm + 4] * records[gemm + 5]
}

/**
 * An optimiser call whose arguments a replay can write (optimiser-args.ts): one wasm export
 * call on views of wasm memory (the writers pass their addresses). A call eager ran on the ts
 * kernel was recorded on its wasm twin (src/backend/wasm/twins.ts).
 */
function writable(m: MethodCall): boolean {
  if (!(m.method in argWriters)) return false
  return m.invokes.length === 1 && m.invokes[0].name === m.method && m.invokes[0].arrays.every((a, j) => a === null || m.invokes[0].addr[j] >= 0)
}

function isFloat(a: unknown): a is Float32Array | Float64Array {
  return a instanceof Float32Array || a instanceof Float64Array
}

function sameFloatType(a: unknown, b: unknown): boolean {
  return isFloat(a) && isFloat(b) && a.constructor === b.constructor && a.length === b.length
}

/** A copy of a KERNEL, COPY or FILL entry whose arrays are views of their placed copies. */
function placedEntry(entry: Entry, place: Placement): Entry {
  const args = entry.args.map((a) => (isOptions(a) ? { ...a } : a))
  const writes = entry.kind === KERNEL ? writtenArgs(entry.name ?? '', entry.args) : [0]
  const patches: Patch[] = []
  const bind = (target: Record<string | number, unknown>, key: string | number, role: number): void => {
    const original = originalOf(entry, target, args)
    // A view of wasm memory keeps its slot (its view, detached by a memory.grow since, has length 0).
    const own = entry.patches.find((p) => p.target === original && p.key === key)
    if (own !== undefined && own.slot.kind === 'wasm') return void patches.push({ target, key, slot: own.slot })
    const a = target[key] as TypedArray
    if (a.length === 0) return
    // An array made before the call that this JS step reads first stays where it is: the step reads and updates it in JS.
    if (own === undefined && place.staysInJs(a, role)) return
    patches.push({ target, key, slot: place.slot(a, place.entryArray(entry, original, key, role)) })
  }
  const targets = args as unknown as Record<number, unknown>
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (ArrayBuffer.isView(a)) bind(targets, i, writes.includes(i) ? 3 : 1)
    else if (isOptions(a)) for (const key of Object.keys(a)) if (ArrayBuffer.isView(a[key])) bind(a, key, 1)
  }
  return { ...entry, args, patches }
}

/** The entry's own target object (its args, or one of its option objects) matching `copy` in `copies`. */
function originalOf(entry: Entry, copy: Record<string | number, unknown>, copies: unknown[]): Record<string | number, unknown> {
  if (copy === (copies as unknown)) return argsOf(entry)
  return entry.args[copies.indexOf(copy)] as Record<string, unknown>
}

/** The tensors a plan returns. */
function outputs(s: OutputSpec): Tensor[] {
  if (s.kind === 'value') return s.value instanceof Tensor ? [s.value] : []
  return s.kind === 'list' ? s.items.flatMap(outputs) : []
}

function argsOf(entry: Entry): Record<string | number, unknown> {
  return entry.args as unknown as Record<number, unknown>
}
