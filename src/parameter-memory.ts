/** Parameter memory: blocks kernels use in place (the Backend's pinned memory) for parameters, gradients and optimiser state. */
import { pinned } from './backend/index.js'
import type { PinnedBlock } from './backend/types.js'
import { allocateFloat, isFloat, type FloatArray, type FloatDType } from './dtype.js'
import { Tensor, type Storage } from './tensor.js'

// ---- parameter memory ------------------------------------------------------------------------

/** Wasm blocks of parameter memory not yet freed (see memory().liveParameters). */
let liveBlocks = 0

function freeBlock(handle: PinnedBlock): void {
  handle.free()
  liveBlocks--
}

/**
 * The safety net: a block whose ParameterMemory became unreachable without dispose() is freed
 * when the garbage collector finalises it. The registry holds the allocation handle (which
 * does not refer back to its ParameterMemory), keyed by the ParameterMemory; dispose()
 * unregisters it. Absent where the platform lacks FinalizationRegistry: dispose() then is the
 * only way to free.
 */
const finalizer: FinalizationRegistry<PinnedBlock> | null =
  typeof FinalizationRegistry === 'function' ? new FinalizationRegistry(freeBlock) : null

/**
 * One block of parameter memory: a parameter's values, its gradient buffer, or an optimiser's
 * state tensor. In the wasm heap once the wasm backend is loaded (the instance exists, whichever
 * backend runs the ops), so kernels use it in place; a JS typed array before that (a browser
 * before `ready()`). `data` is a view valid now: memory.grow detaches views, so it may be a new
 * one after any kernel call. Never keep it across ops.
 */
export class ParameterMemory implements Storage {
  private handle: PinnedBlock | null = null
  private array: FloatArray | null = null
  private disposedMessage = ''

  constructor(dtype: FloatDType, length: number) {
    const memory = pinned()
    if (memory) {
      const handle = memory.alloc(dtype, length)
      this.handle = handle
      liveBlocks++
      finalizer?.register(this, handle, handle)
    } else {
      this.array = allocateFloat(dtype, length)
    }
  }

  get data(): FloatArray {
    const h = this.handle
    if (h !== null) return h.view()
    const a = this.array
    if (a !== null) return a
    throw new Error(this.disposedMessage)
  }

  /** True once dispose() ran: `data` then throws. */
  get disposed(): boolean {
    return this.handle === null && this.array === null
  }

  /** Throws the disposal message if dispose() ran. */
  assertLive(): void {
    if (this.disposed) throw new Error(this.disposedMessage)
  }

  /** True while the block lives in wasm memory. */
  get inWasm(): boolean {
    return this.handle !== null
  }

  /**
   * Free the block now (no-op if already freed). `message` is the error every later access to
   * `data` throws, naming what was disposed and how.
   */
  dispose(message: string): void {
    if (this.disposed) return
    this.disposedMessage = message
    const h = this.handle
    this.handle = null
    this.array = null
    if (h !== null) {
      finalizer?.unregister(h)
      freeBlock(h)
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

/** @internal The number of wasm blocks of parameter memory not yet freed (memory().liveParameters). */
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

