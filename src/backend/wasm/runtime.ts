import type { FloatArray, FloatDType } from '../../dtype.js'
import { failedAllocation, MAX_BLOCK, TOO_BIG, WasmOutOfMemory } from './out-of-memory.js'

export { WasmOutOfMemory } from './out-of-memory.js'

/**
 * The one instance of build/yann.wasm, its scratch arena and the staging of arrays.
 *
 * Arrays passed to a kernel are either views of the wasm memory (`arr.buffer ===
 * memory.buffer`: used in place, pointer = byteOffset) or ordinary JS arrays, which are
 * copied into the arena, a single heap block reused by every call and grown (never
 * shrunk) when a call needs more. `memory.grow` detaches every view of the memory, so
 * nothing here keeps one across a call: the heap views below are re-created whenever
 * `memory.buffer` has changed, and pointers of in-place views are read before anything
 * that may grow the memory.
 */

/** The exports of build/yann.wasm (see assembly/index.ts). Pointers are byte addresses. */
export interface WasmExports {
  memory: WebAssembly.Memory
  /** Call allocBytes() instead: it reads the allocator's record of a failure, which a later trap would otherwise misread. */
  alloc(size: number): number
  free(ptr: number): void
  /** The `<kernel>_f32`/`_f64` functions, in pairs in the order of kernel-table.generated.ts (scripts/wasm-table.mjs). */
  kernels: WebAssembly.Table
  [name: string]: unknown
}

let ex: WasmExports | null = null
let arenaPtr = 0
let arenaBytes = 0
let liveAllocations = 0

// Views of the whole memory, re-created when memory.buffer changes.
let buffer: ArrayBuffer | null = null
let heapF32 = new Float32Array(0)
let heapF64 = new Float64Array(0)
let heapI32 = new Int32Array(0)
// Buffers that memory.grow has detached: a view of one is an error, not an empty array.
const detached = new WeakSet<ArrayBufferLike>()

export function wasmExports(): WasmExports | null {
  return ex
}

/** The exports, loading synchronously if needed; throws where that is not allowed. */
export function requireExports(what: string): WasmExports {
  if (ex) return ex
  try {
    attach(new WebAssembly.Instance(compileSync()).exports as unknown as WasmExports)
  } catch (e) {
    throw new Error(`${what}: the wasm backend is not loaded and cannot be compiled synchronously here (${String(e)}); await ready() first`)
  }
  return ex!
}

function refresh(): void {
  const b = ex!.memory.buffer
  if (b !== buffer) {
    if (buffer) detached.add(buffer)
    buffer = b
    heapF32 = new Float32Array(b)
    heapF64 = new Float64Array(b)
    heapI32 = new Int32Array(b)
  }
}

/**
 * Where build/yann.wasm comes from, set by the entry point: its bytes (the default entry embeds
 * them as base64; the Node entry reads them from a file, or promises them where Node cannot read
 * synchronously) or a precompiled module (workerd imports the .wasm file as a module, since it
 * forbids compiling from bytes). Entries that never load wasm carry no copy of the binary.
 */
export type WasmSource = WebAssembly.Module | (() => Uint8Array<ArrayBuffer> | Promise<Uint8Array<ArrayBuffer>>)
let source: WasmSource | null = null

export function setWasmSource(s: WasmSource): void {
  source = s
}

function requireSource(): WasmSource {
  if (!source) throw new Error('yann: no wasm binary was registered (import yann from its package entry)')
  return source
}

export function compileSync(): WebAssembly.Module {
  const s = requireSource()
  if (s instanceof WebAssembly.Module) return s
  const bytes = s()
  if (bytes instanceof Promise) {
    bytes.catch(() => {}) // compile() reads it again and reports its error
    throw new Error('the wasm binary can only be read asynchronously here')
  }
  return new WebAssembly.Module(bytes)
}

export async function compile(): Promise<WebAssembly.Module> {
  const s = requireSource()
  return s instanceof WebAssembly.Module ? s : WebAssembly.compile(await s())
}

/** Adopts a fresh instance's exports; the first one wins. */
export function attach(exports: WasmExports): void {
  if (ex) return
  ex = exports
  refresh()
}

/**
 * A wasm trap becomes an Error that names the kernel; nothing surfaces raw. A trap in the
 * allocator (the kernel's scratch: the allocator recorded it) is WasmOutOfMemory, naming the
 * shapes (`shapes`); any other is a bug.
 */
export function kernelError(name: string, e: unknown, shapes?: () => string): Error {
  if (e instanceof WebAssembly.RuntimeError) {
    const failed = failedAllocation(ex!)
    if (failed !== null) {
      return new WasmOutOfMemory(
        `${name}: out of wasm memory: the kernel could not allocate its ${failed.bytes}-byte scratch${shapes ? ` for ${shapes()}` : ''} ` +
          `(${failed.why}); use a smaller batch or smaller shapes`,
      )
    }
    return new Error(`yann wasm backend: kernel '${name}' trapped (${e.message}); this is a bug in yann, setBackend('ts') avoids it`)
  }
  if (e instanceof Error) return e
  return new Error(`yann wasm backend: kernel '${name}' failed: ${String(e)}`)
}

/** One heap block is < 1 GiB (TOOLCHAIN.md); the arena never asks for more than this. */
let maxArenaBytes = (1 << 30) - (1 << 20)

/** Lowers (or restores, with no argument) the arena's cap: tests of the out-of-memory fallback. */
export function setMaxArenaBytesForTests(bytes = (1 << 30) - (1 << 20)): void {
  maxArenaBytes = bytes
}

/** A block of `bytes` in the wasm heap (16-byte aligned); WasmOutOfMemory, naming `what`, when it cannot be had. */
export function allocBytes(bytes: number, what: string): number {
  // The export takes a u32: a larger size would wrap to a small block.
  if (bytes > MAX_BLOCK) throw new WasmOutOfMemory(`${what}: cannot allocate ${bytes} bytes of wasm memory (${TOO_BIG})`)
  let p: number
  try {
    p = ex!.alloc(bytes) >>> 0
  } catch (e) {
    // The allocator traps (the binary imports no abort: asconfig.json) when memory cannot grow enough.
    const failed = e instanceof WebAssembly.RuntimeError ? failedAllocation(ex!) : null
    if (failed === null) throw kernelError('alloc', e)
    throw new WasmOutOfMemory(`${what}: cannot allocate ${bytes} bytes of wasm memory (${failed.why})`)
  }
  refresh()
  return p
}

function ensureArena(bytes: number): void {
  if (bytes > maxArenaBytes) throw new WasmOutOfMemory(`wasm arena: ${bytes} bytes exceed the ${maxArenaBytes}-byte cap`)
  if (bytes <= arenaBytes) return
  // Doubling amortises growth; capped so it never asks for more than one heap block holds.
  const want = Math.min(Math.max(bytes, Math.min(arenaBytes * 2, 1 << 29), 65536), maxArenaBytes)
  if (arenaPtr) ex!.free(arenaPtr)
  arenaPtr = 0
  arenaBytes = 0
  arenaPtr = allocBytes(want, 'wasm arena')
  arenaBytes = want
}

// ---------------------------------------------------------------- staging one call

export const IN = 1
export const OUT = 2
export const INOUT = 3

const MAX_ARGS = 12 // attentionBackward stages 10 arrays
const args: (FloatArray | null)[] = new Array<FloatArray | null>(MAX_ARGS).fill(null)
const roles = new Int32Array(MAX_ARGS)
/** Byte pointer of each argument (0 for null) once staged. */
export const pointers = new Float64Array(MAX_ARGS)
/**
 * Where each argument lives: ≥ 0 its byte offset in the arena; IN_PLACE (a view of wasm
 * memory, used where it is); or SAME_AS − j when it is the same array as argument j.
 */
const placement = new Float64Array(MAX_ARGS)
const IN_PLACE = -1
const SAME_AS = -2
const lens = new Int32Array(MAX_ARGS)
let count = 0
let metaInts = 0
/** Byte pointer of the int32 metadata block (binary, stridedCopy), once staged. */
export let metaPtr = 0

/** Starts staging a call; `ints` int32 values of metadata will be written after `stage()`. */
export function begin(ints = 0): void {
  // Whatever grew the memory since the last call (a kernel that failed after allocating, the
  // memory grown from outside), the heap views are then detached: length 0, a ~1 ns check.
  if (heapF32.length === 0) refresh()
  for (let i = 0; i < count; i++) args[i] = null
  count = 0
  metaInts = ints
  metaPtr = 0
}

/** Adds one argument (in order; null passes pointer 0) and returns its index into `pointers`. */
export function arg(a: FloatArray | null, role: number): number {
  if (count === MAX_ARGS) throw new Error(`yann wasm backend: a kernel call stages at most ${MAX_ARGS} arrays`)
  const i = count++
  args[i] = a
  roles[i] = role
  pointers[i] = 0
  placement[i] = 0
  if (a === null) return i
  lens[i] = a.length
  if (a.buffer === buffer) {
    pointers[i] = a.byteOffset // in place: wasm memory already
    placement[i] = IN_PLACE
    traffic.inPlaceBytes += a.byteLength
  } else if (a.length === 0 && detached.has(a.buffer)) {
    throw new Error(
      'yann wasm backend: a view of wasm memory was detached by memory.grow; re-create it (e.g. view()) after every kernel call',
    )
  }
  return i
}

/** Assigns arena slots, grows the arena if needed, copies inputs in. */
export function stage(): void {
  let need = 0
  for (let i = 0; i < count; i++) {
    const a = args[i]
    if (a === null || placement[i] === IN_PLACE) continue
    // The same JS array twice (out aliasing an input) shares one slot: in place in wasm.
    let shared = -1
    for (let j = 0; j < i; j++) if (args[j] === a) shared = j
    if (shared >= 0) {
      placement[i] = SAME_AS - shared
      roles[shared] |= roles[i]
      continue
    }
    placement[i] = need
    // 16-byte slots; `& ~15` is int32 and wrapped at 2 GiB (nothing reserved, the kernel wrote past
    // the arena). A slot of 1 GiB or more exceeds the arena's cap anyway: no rounding needed there.
    const bytes = lens[i] * a.BYTES_PER_ELEMENT
    need += bytes < 0x40000000 ? (bytes + 15) & ~15 : bytes
  }
  const metaAt = need
  need += metaInts * 4
  if (need > 0) ensureArena(need) // may grow the memory: allocBytes() then refreshes the views
  for (let i = 0; i < count; i++) {
    const a = args[i]
    const s = placement[i]
    if (a === null || s === IN_PLACE) continue
    if (s <= SAME_AS) {
      pointers[i] = pointers[SAME_AS - s]
      continue
    }
    const p = arenaPtr + s
    pointers[i] = p
    if (roles[i] & IN) copyIn(a, p)
  }
  metaPtr = arenaPtr + metaAt
}

/**
 * Bytes through the staging so far, cumulative (read the difference around a call): what
 * was copied into the arena, what was copied back out of it, and the size of arguments
 * used in place (views of wasm memory: parameters, their gradients, optimiser state).
 * Kernels that dispatch to ts below `SMALL` sizes stage nothing and count nothing.
 */
export interface StagingTraffic {
  stagedInBytes: number
  copiedOutBytes: number
  inPlaceBytes: number
}

const traffic: StagingTraffic = { stagedInBytes: 0, copiedOutBytes: 0, inPlaceBytes: 0 }

/** A snapshot of the staging counters (see StagingTraffic). */
export function stagingTraffic(): StagingTraffic {
  return { ...traffic }
}

// Small copies by hand: a typed-array view per copy (subarray) costs ~100 ns.
const HAND_COPY = 64

function copyIn(a: FloatArray, p: number): void {
  const len = a.length
  traffic.stagedInBytes += len * a.BYTES_PER_ELEMENT
  const heap = a instanceof Float32Array ? heapF32 : heapF64
  const at = a instanceof Float32Array ? p >>> 2 : p >>> 3
  if (len <= HAND_COPY) {
    for (let j = 0; j < len; j++) heap[at + j] = a[j]
  } else {
    heap.set(a, at)
  }
}

function copyOut(a: FloatArray, len: number, p: number): void {
  traffic.copiedOutBytes += len * a.BYTES_PER_ELEMENT
  const heap = a instanceof Float32Array ? heapF32 : heapF64
  const at = a instanceof Float32Array ? p >>> 2 : p >>> 3
  if (len <= HAND_COPY) {
    for (let j = 0; j < len; j++) a[j] = heap[at + j]
  } else {
    a.set(heap.subarray(at, at + len))
  }
}

/** The int32 view for writing metadata at `metaPtr` (valid until the next call into wasm). */
export function metaView(): Int32Array {
  refresh()
  return heapI32
}

/**
 * After the kernel: copies outputs back into the caller's JS arrays. `grew`: the kernel
 * may have allocated (only gemm does, once, for its packing buffers), so re-check the views.
 */
export function finish(grew = false): void {
  if (grew) refresh()
  for (let i = 0; i < count; i++) {
    const a = args[i]
    if (a === null || placement[i] < 0 || !(roles[i] & OUT)) continue
    copyOut(a, lens[i], pointers[i])
  }
  for (let i = 0; i < count; i++) args[i] = null
  count = 0
}

/** After a failed call: forgets the staged arguments without copying anything out. */
export function abandon(): void {
  for (let i = 0; i < count; i++) args[i] = null
  count = 0
}

// ---------------------------------------------------------------- public helpers

/** A block of the wasm heap holding `length` floats (zeroed). */
export interface WasmFloatAllocation {
  readonly ptr: number
  readonly dtype: FloatDType
  readonly length: number
  /**
   * A typed array over the block, valid now: over the current memory.buffer (re-created after
   * memory.grow detached the previous one). Don't keep it across kernel calls.
   */
  view(): Float32Array | Float64Array
  /** Returns the block to the heap; later calls are no-ops. */
  free(): void
}

/**
 * Allocates `length` floats in the wasm heap: parameters and optimiser state live here so
 * kernels use them in place. Loads the backend synchronously if needed.
 */
export function allocFloat(dtype: FloatDType, length: number): WasmFloatAllocation {
  if (dtype !== 'float32' && dtype !== 'float64') throw new TypeError(`allocFloat: dtype must be 'float32' or 'float64', got ${String(dtype)}`)
  if (!Number.isInteger(length) || length < 0) throw new RangeError(`allocFloat: length must be a non-negative integer, got ${length}`)
  const e = requireExports('allocFloat')
  const bpe = dtype === 'float32' ? 4 : 8
  const p = allocBytes(length * bpe, 'allocFloat')
  let freed = false
  liveAllocations++
  // The last view, reused while it is valid: memory.grow detaches it, and a detached view has
  // length 0 (a fresh view costs ~50-90 ns, `memory.buffer` alone ~40: this check ~1).
  let last: Float32Array | Float64Array | null = null
  const view = (): Float32Array | Float64Array => {
    if (freed) throw new Error('allocFloat: view() after free()')
    if (last !== null && last.length !== 0) return last
    last = dtype === 'float32' ? new Float32Array(e.memory.buffer, p, length) : new Float64Array(e.memory.buffer, p, length)
    return last
  }
  view().fill(0)
  return {
    ptr: p,
    dtype,
    length,
    view,
    free() {
      if (freed) return
      freed = true
      last = null
      liveAllocations--
      e.free(p)
    },
  }
}

export interface WasmMemoryStats {
  /** Size of the wasm linear memory (it only grows). */
  wasmBytes: number
  /** Capacity of the staging arena. */
  arenaBytes: number
  /** allocFloat blocks not yet freed. */
  liveAllocations: number
}

export function memoryStats(): WasmMemoryStats {
  return { wasmBytes: ex ? ex.memory.buffer.byteLength : 0, arenaBytes, liveAllocations }
}
