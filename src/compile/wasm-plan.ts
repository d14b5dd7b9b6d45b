import type { FloatArray } from '../dtype.js'
import { swapBackend } from '../backend/index.js'
import type { Backend } from '../backend/types.js'
import type { KernelName } from '../backend/wasm/invoke.js'
import { wasmExports, type WasmExports } from '../backend/wasm/runtime.js'
import { Tensor } from '../tensor.js'
import { COPY, FILL, KERNEL, OPAQUE, SET_GRAD, type Entry, type OutputSpec, type Plan } from './plan.js'
import { kernelId, OP_COPY, OP_FILL_F32, OP_FILL_F64, PLAN_KERNELS } from './plan-kernels.js'
import type { Recorder } from './recorder.js'
import { argWriters, beginArgs, missingArgs, mismatch, type ArgSlot } from './optimiser-args.js'
import { META, SENTINEL, type Captured } from './wasm-capture.js'

/**
 * A plan lowered for the wasm plan interpreter (assembly/plan.ts): every kernel the step ran,
 * the optimiser's included, as one op list in wasm memory, with every array at a fixed wasm
 * address (intermediates and constants placed once; inputs copied in at each call). A replay
 * is then a little JavaScript (`.grad` assignments, the optimiser's step() writing its
 * per-call scalars into the op list) and one call into wasm.
 */
export interface WasmPlan {
  /** Byte address of the op list, its length in f64s, its number of ops; the meta scratch. */
  ops: number
  length: number
  count: number
  scratch: number
  /** The op list as f64s (re-created when memory.grow detached it). */
  view: Float64Array
  /** Each input copied in at every call: its data goes to `addr`. */
  inputs: { index: number; addr: number; length: number; f64: boolean; view: FloatArray }[]
  /** Arrays JavaScript can see (the returned tensors, `.grad` of inputs) copied back after the call. */
  outs: { dst: Uint8Array; addr: number; src: Uint8Array }[]
  /** SET_GRAD entries run as is; OPAQUE ones run with their kernels writing into the op list at `slots`. */
  steps: { entry: Entry; slots: ArgSlot[] }[]
  /** The backend the optimiser's step() sees during a replay (see optimiser-args.ts). */
  patch: Backend
  /** Wasm blocks the plan owns. */
  blocks: number[]
}


const freeBlocks = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry<number[]>((blocks) => {
  const e = wasmExports()
  if (e) for (const b of blocks) e.free(b)
}) : null

/** Lowers `plan` for the interpreter, or returns why it cannot (the plan then replays in JS). */
export function lowerToWasm(plan: Plan, rec: Recorder): WasmPlan | string {
  const e = wasmExports()
  if (plan.backend.name !== 'wasm' || e === null || typeof e.runPlan !== 'function') return 'not the wasm backend'
  const calls = rec.capture.calls
  let maxMeta = 1
  for (const call of calls) for (const k of call.invokes) maxMeta = Math.max(maxMeta, k.meta.length)
  const place = new Placement(e, rec)
  const scratch = place.block(maxMeta * 4)
  place.scratch = scratch
  const records: number[] = []
  const steps: WasmPlan['steps'] = []
  let count = 0
  let c = 0
  const emit = (op: number, args: number[], meta: number[]): number => {
    records.push(op, args.length, meta.length, ...args, ...meta)
    count++
    return records.length - args.length - meta.length
  }
  try {
    for (let i = 0; i < plan.entries.length; i++) {
      const entry = plan.entries[i]
      const mine: Captured[] = []
      for (; c < calls.length && calls[c].entry === i; c++) {
        const call = calls[c]
        if (!PLAN_KERNELS.includes(call.method as KernelName)) return `kernel '${call.method}' is not one the interpreter runs`
        if (call.invokes.length !== 1) return `kernel '${call.method}' ran on the ts kernels (small arrays)`
        mine.push(call.invokes[0])
      }
      if (entry.kind === KERNEL || entry.kind === OPAQUE) {
        if (entry.kind === KERNEL && mine.length !== 1) return 'a kernel call was not seen'
        const slots: ArgSlot[] = []
        for (const k of mine) {
          if (entry.kind === OPAQUE && !(k.name in argWriters)) return `the optimiser's step ran '${k.name}'`
          const at = emit(kernelId(k.name, k.f64), place.args(k), k.meta)
          slots.push({ name: k.name, f64: k.f64, at })
        }
        if (entry.kind === OPAQUE) steps.push({ entry, slots })
      } else if (entry.kind === COPY) {
        const [dst, src] = entry.args as FloatArray[]
        if (dst.constructor !== src.constructor || dst.length !== src.length || !isFloat(dst)) return 'a copy that converts'
        emit(OP_COPY, [place.entryArray(entry, 0, true), place.entryArray(entry, 1, false), dst.byteLength], [])
      } else if (entry.kind === FILL) {
        const dst = entry.args[0] as FloatArray
        if (!isFloat(dst)) return 'a fill of integers'
        emit(dst instanceof Float64Array ? OP_FILL_F64 : OP_FILL_F32, [place.entryArray(entry, 0, true), dst.length, entry.args[1] as number], [])
      } else if (entry.kind === SET_GRAD) {
        steps.push({ entry, slots: [] })
      }
    }
    if (c !== calls.length) return 'kernel calls outside the plan entries'
  } catch (err) {
    place.free()
    if (err instanceof NotPlaceable) return err.message
    throw err
  }
  for (const t of escaping(plan)) place.copyOut(t)
  const ops = place.block(records.length * 8)
  const view = new Float64Array(e.memory.buffer, ops, records.length)
  view.set(records)
  const w: WasmPlan = { ops, length: records.length, count, scratch, view, inputs: place.inputs, outs: place.outs, steps, blocks: place.blocks, patch: patchBackend(plan.backend) }
  freeBlocks?.register(plan, place.blocks)
  return w
}

class NotPlaceable extends Error {}

function isFloat(a: unknown): a is FloatArray {
  return a instanceof Float32Array || a instanceof Float64Array
}

/** Tensors JavaScript sees after a replay whose arrays the plan may have moved: the outputs and assigned `.grad`s. */
function escaping(plan: Plan): Tensor[] {
  const out: Tensor[] = []
  const walk = (s: OutputSpec): void => {
    if (s.kind === 'value' && s.value instanceof Tensor) out.push(s.value)
    if (s.kind === 'list') s.items.forEach(walk)
  }
  walk(plan.output)
  for (const e of plan.entries) if (e.kind === SET_GRAD && e.grad !== null) out.push(e.grad)
  return out
}

/** Fixed wasm addresses for the arrays of a recording. */
class Placement {
  readonly blocks: number[] = []
  readonly inputs: WasmPlan['inputs'] = []
  readonly outs: WasmPlan['outs'] = []
  /** Where each JS buffer made during the recording went. */
  private readonly moved = new Map<ArrayBufferLike, number>()
  private readonly written = new Set<ArrayBufferLike>()
  /** The metadata scratch block, passed where a kernel takes its metadata pointer. */
  scratch = 0

  constructor(
    private readonly e: WasmExports,
    private readonly rec: Recorder,
  ) {}

  block(bytes: number): number {
    const p = this.e.alloc(Math.max(bytes, 16)) >>> 0
    this.blocks.push(p)
    return p
  }

  free(): void {
    for (const b of this.blocks) this.e.free(b)
  }

  /** A captured call's arguments with the sentinels replaced by addresses. */
  args(k: Captured): number[] {
    const addr = k.arrays.map((a, j) => (a === null ? 0 : k.addr[j] >= 0 ? k.addr[j] : this.js(a, k.roles[j])))
    return k.args.map((v) => (v === META ? this.scratch : v <= SENTINEL && v > SENTINEL - 16 && Number.isInteger(v) ? addr[SENTINEL - v] : v))
  }

  /** Array argument `k` of a COPY or FILL entry (a slot when it is an input's or wasm memory). */
  entryArray(entry: Entry, k: number, writes: boolean): number {
    const patch = entry.patches.find((p) => p.key === k)
    const a = entry.args[k] as FloatArray
    if (!patch) return this.js(a, writes ? 2 : 1)
    const s = patch.slot
    if (s.kind === 'wasm') return s.byteOffset
    if (writes) throw new NotPlaceable('the step writes into an input')
    const data = this.rec.inputData[s.index] as FloatArray
    return this.input(s.index, data) + (s.kind === 'inputView' ? s.byteOffset : 0)
  }

  /** The address of a JS array: in an input's block, or in a block it moved to (its values copied once). */
  private js(a: FloatArray, role: number): number {
    const data = this.rec.inputData
    for (let i = 0; i < data.length; i++) {
      const d = data[i] as FloatArray | null
      if (d === null || d.buffer !== a.buffer) continue
      if ((role & 2) !== 0) throw new NotPlaceable('the step writes into an input')
      if (!isFloat(d) || a.byteOffset < d.byteOffset || a.byteOffset + a.byteLength > d.byteOffset + d.byteLength) throw new NotPlaceable('an array beside an input')
      return this.input(i, d) + a.byteOffset - d.byteOffset
    }
    // An older array (a kernel's scratch) is fine once a kernel of the step wrote it.
    if ((role & 1) !== 0 && !this.rec.fresh.has(a.buffer) && !this.written.has(a.buffer)) {
      throw new NotPlaceable('an array made before the call that the step reads before writing it')
    }
    if ((role & 2) !== 0) this.written.add(a.buffer)
    let p = this.moved.get(a.buffer)
    if (p === undefined) {
      const bytes = a.buffer.byteLength
      p = this.block(bytes)
      new Uint8Array(this.e.memory.buffer, p, bytes).set(new Uint8Array(a.buffer as ArrayBuffer))
      this.moved.set(a.buffer, p)
    }
    return p + a.byteOffset
  }

  private input(index: number, d: FloatArray): number {
    const found = this.inputs.find((b) => b.index === index)
    if (found) return found.addr
    const addr = this.block(d.byteLength)
    const f64 = d instanceof Float64Array
    this.inputs.push({ index, addr, length: d.length, f64, view: new Float64Array(0) })
    return addr
  }

  /** Copies `t`'s values back after each call when its array moved into wasm. */
  copyOut(t: Tensor): void {
    const d = t.data
    const p = this.moved.get(d.buffer)
    if (p === undefined || d.byteLength === 0) return
    this.outs.push({ dst: new Uint8Array(d.buffer as ArrayBuffer, d.byteOffset, d.byteLength), addr: p + d.byteOffset, src: new Uint8Array(0) })
  }
}

// ---------------------------------------------------------------- replay

/** Runs a lowered plan on `inputs`: its JS steps, the inputs copied in, one wasm call, the outputs copied out. */
export function runWasmPlan(w: WasmPlan, inputs: readonly unknown[]): void {
  const e = wasmExports()!
  if (w.view.length === 0) w.view = new Float64Array(e.memory.buffer, w.ops, w.length)
  const steps = w.steps
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]
    const entry = s.entry
    if (entry.kind === SET_GRAD) (entry.input >= 0 ? (inputs[entry.input] as Tensor) : entry.tensor!).grad = entry.grad
    else prepare(w, s.slots, entry.run!)
  }
  const ins = w.inputs
  for (let i = 0; i < ins.length; i++) {
    const b = ins[i]
    if (b.view.length === 0) b.view = b.f64 ? new Float64Array(e.memory.buffer, b.addr, b.length) : new Float32Array(e.memory.buffer, b.addr, b.length)
    copy(b.view, (inputs[b.index] as Tensor).data as FloatArray)
  }
  try {
    ;(e.runPlan as (ops: number, count: number, scratch: number) => number)(w.ops, w.count, w.scratch)
  } catch (err) {
    if (err instanceof WebAssembly.RuntimeError) {
      throw new Error(`compile: the wasm plan interpreter trapped (${err.message}); an op id it does not know means build/yann.wasm is older than src/compile/plan-kernels.ts: run npm run build:wasm`)
    }
    throw err
  }
  const outs = w.outs
  for (let i = 0; i < outs.length; i++) {
    const o = outs[i]
    if (o.src.length === 0) o.src = new Uint8Array(e.memory.buffer, o.addr, o.dst.length)
    copy(o.dst, o.src)
  }
}

/** `dst.set(src)`; small arrays by hand (a native set costs more than a short loop). */
function copy(dst: FloatArray | Uint8Array, src: FloatArray | Uint8Array): void {
  const n = src.length
  if (n > 32) dst.set(src)
  else for (let i = 0; i < n; i++) dst[i] = src[i]
}

/** The backend the optimiser's step() sees during a replay: its kernels write their arguments (optimiser-args.ts). */
const patchBackends = new WeakMap<Backend, Backend>()
function patchBackend(real: Backend): Backend {
  let b = patchBackends.get(real)
  if (b === undefined) {
    const o: Record<string, unknown> = { name: real.name }
    for (const key of Object.keys(real)) {
      if (typeof (real as unknown as Record<string, unknown>)[key] === 'function') o[key] = () => { throw mismatch(`a call of '${key}'`) }
    }
    b = Object.assign(o, argWriters) as unknown as Backend
    patchBackends.set(real, b)
  }
  return b
}

function prepare(w: WasmPlan, s: ArgSlot[], run: () => void): void {
  beginArgs(w.view, s)
  const before = swapBackend(w.patch)
  try {
    run()
  } finally {
    swapBackend(before)
  }
  if (missingArgs() !== 0) throw mismatch(`${missingArgs()} kernel call(s) fewer`)
}
