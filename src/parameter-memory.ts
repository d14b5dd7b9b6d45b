/** Parameter memory: blocks kernels use in place (the Backend's pinned memory) for parameters, gradients and optimiser state. */
import { pinned } from './backend/index.js'
import { structureChanged } from './compile/hooks.js'
import type { PinnedBlock } from './backend/types.js'
import { allocateFloat, isFloat, type FloatArray, type FloatDType } from './dtype.js'
import { Tensor, type Storage } from './tensor.js'

// ---- parameter memory ------------------------------------------------------------------------

/**
 * One block of parameter memory: a pinned (wasm) block while `handle` is set, else a JS array
 * (made before the wasm backend loaded, too big for the budget, or evicted). It never refers
 * back to its ParameterMemory, so the resident list below does not keep an unreachable one alive.
 */
interface Block {
  handle: PinnedBlock | null
  array: FloatArray | null
  readonly dtype: FloatDType
  readonly bytes: number
}

/** Wasm blocks of parameter memory not yet freed (see memory().liveParameters). */
let liveBlocks = 0

/** The pinned blocks, oldest first (a Set iterates in insertion order), and their total bytes. */
const resident = new Set<Block>()
let residentBytes = 0

/**
 * How many bytes of parameter memory may be pinned in wasm memory. Past it, the oldest blocks
 * move to JS arrays (evict): kernels then stage them like any JS array, and the garbage
 * collector, which sees JS arrays but not wasm blocks, reclaims them once unreachable. So models
 * dropped without dispose() cannot fill the wasm memory, whether or not the collector ever runs.
 */
let budget = 256 * 2 ** 20

/** @internal Set the wasm budget of parameter memory in bytes (tests); returns the previous one. */
export function setParameterMemoryBudget(bytes: number): number {
  const before = budget
  budget = bytes
  return before
}

function freeBlock(block: Block): void {
  const h = block.handle
  if (h === null) return
  block.handle = null
  resident.delete(block)
  residentBytes -= block.bytes
  liveBlocks--
  h.free()
}

/** Move a pinned block's values to a JS array and free the pinned block. */
function evict(block: Block): void {
  const array = allocateFloat(block.dtype, block.handle!.length)
  array.set(block.handle!.view())
  freeBlock(block)
  block.array = array
  structureChanged() // compiled plans hold the block's wasm address
  // Nothing left for the finalizer to free; its strong hold on the block (and now the array)
  // must not outlive the ParameterMemory.
  finalizer?.unregister(block)
}

/** Evict the oldest blocks until `bytes` more fit in half the budget (half: not on every allocation). */
function makeRoom(bytes: number): void {
  for (const block of resident) {
    if (residentBytes + bytes <= budget / 2) return
    evict(block)
  }
}

/**
 * The safety net: a block whose ParameterMemory became unreachable without dispose() is freed
 * when the garbage collector finalises it (the budget above bounds the wasm memory meanwhile).
 * Absent where the platform lacks FinalizationRegistry.
 */
const finalizer: FinalizationRegistry<Block> | null = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry(freeBlock) : null

/** A pinned block when the wasm backend is loaded and it fits the budget, else null. */
function pinnedBlock(dtype: FloatDType, bytes: number, length: number): PinnedBlock | null {
  const memory = pinned()
  if (!memory || bytes > budget / 2) return null
  if (residentBytes + bytes > budget) makeRoom(bytes)
  try {
    return memory.alloc(dtype, length)
  } catch {
    // The wasm memory is full (or fragmented): move all of it to JS arrays, then try once more.
    makeRoom(Infinity)
    try {
      return memory.alloc(dtype, length)
    } catch {
      return null
    }
  }
}

/**
 * One block of parameter memory: a parameter's values, its gradient buffer, or an optimiser's
 * state tensor. In the wasm heap once the wasm backend is loaded (the instance exists, whichever
 * backend runs the ops), so kernels use it in place; a JS typed array before that (a browser
 * before `ready()`), when it is over half the budget, or once evicted (see `budget`). `data` is
 * a view valid now: memory.grow detaches views, so it may be a new one after any kernel call or
 * allocation. Never keep it across ops.
 */
export class ParameterMemory implements Storage {
  private readonly block: Block
  private disposedMessage = ''
  /** In-place writes to the parameter (Storage.version). */
  version = 0

  constructor(dtype: FloatDType, length: number) {
    const bytes = length * (dtype === 'float64' ? 8 : 4)
    const handle = pinnedBlock(dtype, bytes, length)
    this.block = { handle, array: handle === null ? allocateFloat(dtype, length) : null, dtype, bytes }
    if (handle !== null) {
      resident.add(this.block)
      residentBytes += bytes
      liveBlocks++
      finalizer?.register(this, this.block, this.block)
    }
  }

  get data(): FloatArray {
    const b = this.block
    const h = b.handle
    if (h !== null) return h.view()
    const a = b.array
    if (a !== null) return a
    throw new Error(this.disposedMessage)
  }

  /** True once dispose() ran: `data` then throws. */
  get disposed(): boolean {
    return this.block.handle === null && this.block.array === null
  }

  /** Throws the disposal message if dispose() ran. */
  assertLive(): void {
    if (this.disposed) throw new Error(this.disposedMessage)
  }

  /** True while the block lives in wasm memory. */
  get inWasm(): boolean {
    return this.block.handle !== null
  }

  /**
   * Free the block now (no-op if already freed). `message` is the error every later access to
   * `data` throws, naming what was disposed and how.
   */
  dispose(message: string): void {
    if (this.disposed) return
    this.disposedMessage = message
    const b = this.block
    b.array = null
    if (b.handle !== null) {
      finalizer?.unregister(b)
      freeBlock(b)
    }
  }
}

/**
 * The one place memory owned by modules and optimisers is allocated: parameter values, their
 * gradient buffers and optimiser state (momentum buffers, Adam's moments). See ParameterMemory:
 * wasm memory once the wasm backend is loaded, where `.data` is a view re-validated on each
 * access. So code never keeps a parameter's `.data` across ops: it reads `p.data` afresh and
 * writes in place through `p.data.set(values)`, with `values` computed first.
 */
export function parameterStorage(dtype: FloatDType, length: number): ParameterMemory {
  return new ParameterMemory(dtype, length)
}

/** The number of wasm blocks of parameter memory not yet freed (memory().liveParameters). */
export function liveParameterBlocks(): number {
  return liveBlocks
}

/**
 * An optimiser's state tensor (momentum buffer, Adam moment) in parameter memory, freed by
 * `optimizer.dispose()` (or the FinalizationRegistry once unreachable).
 */
export class StateTensor extends Tensor {
  private readonly memory: ParameterMemory

  constructor(memory: ParameterMemory, shape: readonly number[]) {
    super(memory, shape)
    this.memory = memory
  }

  /** @internal Free the memory; later reads of `data` throw `message`. */
  release(message: string): void {
    this.memory.dispose(message)
  }
}

/** A zero-filled tensor in parameter memory, shaped and typed like `like` (optimiser state). */
export function stateTensor(like: Tensor): StateTensor {
  if (!isFloat(like.dtype)) throw new TypeError(`stateTensor: parameters are floating point, got ${like.dtype}`)
  return new StateTensor(parameterStorage(like.dtype, like.numel()), like.shape)
}

