import type { TypedArray } from '../dtype.js'
import { allocBytes, type WasmExports } from '../backend/wasm/runtime.js'
import type { Tensor } from '../tensor.js'
import type { Entry, Slot } from './plan.js'
import type { Recorder } from './recorder.js'
import { META, SENTINEL, type Captured } from './wasm-capture.js'
import { isInternalScratch } from './hooks.js'

/** An input copied into wasm at every call: its data goes to `addr`. */
export interface InputBlock {
  index: number
  addr: number
  length: number
  ctor: ArrayCtor
  view: TypedArray
}

/** A JS array the caller can see, refreshed from its wasm copy after every call. */
export interface CopyOut {
  /** The JS array and its wasm copy, of the array's own type (a short copy loops over elements, not bytes). */
  dst: TypedArray
  addr: number
  src: TypedArray
}

type ArrayCtor = new (buffer: ArrayBuffer, byteOffset: number, length: number) => TypedArray

/** The plan cannot be placed in wasm memory; the message says why. */
export class NotPlaceable extends Error {}

const READ = 1
const WRITE = 2

/**
 * Fixed wasm addresses for every array a recorded step touches: views of wasm memory stay
 * where they are; each input gets a block its data is copied into at every call; any other
 * JS array (intermediates, constants, a kernel's scratch) moves to a block of its own, once,
 * with its values at the recording.
 */
export class Placement {
  readonly blocks: number[] = []
  readonly inputs: InputBlock[] = []
  readonly outs: CopyOut[] = []
  /** JS arrays made before the call that the step reads: copied into wasm before every call (`dst` is the JS array, as in outs). */
  readonly ins: CopyOut[] = []
  /** The metadata scratch block, passed where a kernel takes its metadata pointer. */
  scratch = 0
  /** Where each JS buffer made during the recording went. */
  private readonly moved = new Map<ArrayBufferLike, number>()
  private readonly written = new Set<ArrayBufferLike>()
  /** An array made before the call moved into wasm and the step writes it (JS sees it only after the call). */
  olderWritten = false
  /** Arrays made before the call that a JavaScript step reads first: they stay in JS memory (staysInJs). */
  private readonly inJs = new Set<ArrayBufferLike>()

  constructor(
    private readonly e: WasmExports,
    private readonly rec: Recorder,
  ) {}

  block(bytes: number): number {
    // Through the runtime: a failure is WasmOutOfMemory, and the allocator's record of it is read.
    const p = allocBytes(Math.max(bytes, 16), 'compile: the wasm plan')
    this.blocks.push(p)
    return p
  }

  free(): void {
    for (const b of this.blocks) this.e.free(b)
  }

  /** A captured export call's arguments with the sentinels replaced by addresses. */
  args(k: Captured): number[] {
    const addr = k.arrays.map((a, j) => (a === null ? 0 : k.addr[j] >= 0 ? k.addr[j] : this.js(a, k.roles[j])))
    return k.args.map((v) => (v === META ? this.scratch : v <= SENTINEL && v > SENTINEL - 16 && Number.isInteger(v) ? addr[SENTINEL - v] : v))
  }

  /** The address of array argument `key` of an entry (through its slot, when an input's or wasm memory). */
  entryArray(entry: Entry, target: Record<string | number, unknown>, key: string | number, role: number): number {
    const patch = entry.patches.find((p) => p.target === target && p.key === key)
    const a = target[key] as TypedArray
    if (!patch) return this.js(a, role)
    const s = patch.slot
    if (s.kind === 'wasm') return s.byteOffset
    if ((role & WRITE) !== 0) throw new NotPlaceable('the step writes into an input')
    return this.input(s.index, this.rec.inputData[s.index] as TypedArray) + (s.kind === 'inputView' ? s.byteOffset : 0)
  }

  /** A slot that views `a`'s placed copy at `addr` (re-created when memory.grow detached it). */
  slot(a: TypedArray, addr: number): Slot {
    const ctor = a.constructor as ArrayCtor
    return { kind: 'wasm', byteOffset: addr, length: a.length, ctor: ctor as unknown as Float32ArrayConstructor, view: new ctor(this.e.memory.buffer as ArrayBuffer, addr, a.length) }
  }

  /** The address of a JS array: in an input's block, or in a block it moved to. */
  private js(a: TypedArray, role: number): number {
    const data = this.rec.inputData
    for (let i = 0; i < data.length; i++) {
      const d = data[i] as TypedArray | null
      if (d === null || d.buffer !== a.buffer) continue
      if ((role & WRITE) !== 0) throw new NotPlaceable('the step writes into an input')
      if (a.byteOffset < d.byteOffset || a.byteOffset + a.byteLength > d.byteOffset + d.byteLength) throw new NotPlaceable('an array beside an input')
      return this.input(i, d) + a.byteOffset - d.byteOffset
    }
    if (this.inJs.has(a.buffer)) throw new NotPlaceable('an array made before the call that both a JavaScript step and a wasm kernel use')
    const p = this.moveOnce(a)
    // An older array the step reads before writing it (module buffers: BatchNorm's running
    // statistics, its batch count) is copied in before every call: JavaScript may have written
    // it since, and nothing but the caller's array holds its value. (Once written by the step, the copy is current.)
    if ((role & READ) !== 0 && !this.rec.fresh.has(a.buffer) && !this.written.has(a.buffer)) this.copyIn(a, p)
    if ((role & WRITE) !== 0) this.written.add(a.buffer)
    // An array made before the call (a closure's tensor the step copies into) outlives it: JS
    // reads it after each call. Only the part written goes back (its buffer may hold others).
    if ((role & WRITE) !== 0 && !this.rec.fresh.has(a.buffer) && !isInternalScratch(a)) {
      this.copyBack(a, p)
      this.olderWritten = true
    }
    return p + a.byteOffset
  }

  /**
   * True when a JavaScript step's array `a` (no input's, not wasm memory) was made before the call
   * and is read before any step wrote it: it stays where it is, the step reading its values then
   * as eager does (a kernel in wasm using it too makes the plan unplaceable).
   */
  staysInJs(a: TypedArray, role: number): boolean {
    const b = a.buffer
    if ((role & READ) === 0 || this.rec.fresh.has(b) || this.moved.has(b) || this.written.has(b) || this.rec.inputData.some((d) => d !== null && d.buffer === b)) return false
    this.inJs.add(b)
    return true
  }

  /** The block `a`'s buffer moved to (moved, with its values now, on first use). */
  private moveOnce(a: TypedArray): number {
    let p = this.moved.get(a.buffer)
    if (p === undefined) {
      const bytes = a.buffer.byteLength
      p = this.block(bytes)
      new Uint8Array(this.e.memory.buffer, p, bytes).set(new Uint8Array(a.buffer as ArrayBuffer))
      this.moved.set(a.buffer, p)
    }
    return p
  }

  private copyBack(a: TypedArray, p: number): void {
    addCopy(this.outs, a, p)
  }

  private copyIn(a: TypedArray, p: number): void {
    addCopy(this.ins, a, p)
  }

  private input(index: number, d: TypedArray): number {
    const found = this.inputs.find((b) => b.index === index)
    if (found) return found.addr
    const addr = this.block(d.byteLength)
    this.inputs.push({ index, addr, length: d.length, ctor: d.constructor as ArrayCtor, view: new Float64Array(0) })
    return addr
  }

  /** Copies `t`'s values back after each call when its array moved into wasm. */
  copyOut(t: Tensor): void {
    const d = t.data
    const p = this.moved.get(d.buffer)
    if (p === undefined || d.byteLength === 0) return
    this.copyBack(d, p)
  }

  /** True when `t`'s array moved into wasm (JS reading it directly would see stale values). */
  movedTensor(t: Tensor): boolean {
    return this.moved.has(t.data.buffer)
  }
}

/** Adds the copy of JS array `a` and its wasm copy in the block at `p` to `list`, once. */
function addCopy(list: CopyOut[], a: TypedArray, p: number): void {
  for (let i = 0; i < list.length; i++) if (list[i].dst.buffer === a.buffer && list[i].dst.byteOffset === a.byteOffset && list[i].dst.byteLength === a.byteLength) return
  list.push({ dst: a, addr: p + a.byteOffset, src: new Float64Array(0) })
}
