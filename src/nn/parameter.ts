import { allocFloat, wasmExports, type WasmFloatAllocation } from '../backend/wasm/runtime.js'
import { allocateFloat, isFloat, type FloatArray, type FloatDType } from '../dtype.js'
import { formatShape } from '../shape.js'
import { Tensor, type Storage } from '../tensor.js'

// ---- parameter memory ------------------------------------------------------------------------

/**
 * One block of parameter memory: a wasm block while `handle` is set, else a JS array (made
 * before the wasm backend loaded, too big for wasm, or evicted). It never refers back to its
 * ParameterMemory, so the resident list below does not keep an unreachable one alive.
 */
interface Block {
  handle: WasmFloatAllocation | null
  array: FloatArray | null
  readonly bytes: number
}

/** Wasm blocks of parameter memory not yet freed (see memory().liveParameters). */
let liveBlocks = 0

/** The wasm blocks, oldest first (a Set iterates in insertion order), and their total bytes. */
const resident = new Set<Block>()
let residentBytes = 0

/**
 * How many bytes of parameter memory may live in wasm memory. Past it, the oldest blocks move to
 * JS arrays (evict): kernels then stage them like any JS array, and the garbage collector, which
 * sees JS arrays but not wasm blocks, reclaims them once unreachable. So models that are dropped
 * without dispose() cannot fill the wasm memory, whether or not the collector ever runs.
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

/** Move a wasm block's values to a JS array and free the wasm block. */
function evict(block: Block): void {
  const h = block.handle!
  const array = allocateFloat(h.dtype, h.length)
  array.set(h.view())
  freeBlock(block)
  block.array = array
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

/** A wasm block when the wasm backend is loaded and it fits, else null. */
function wasmBlock(dtype: FloatDType, length: number): WasmFloatAllocation | null {
  const bytes = length * (dtype === 'float64' ? 8 : 4)
  if (!wasmExports() || bytes > budget / 2) return null
  if (residentBytes + bytes > budget) makeRoom(bytes)
  try {
    return allocFloat(dtype, length)
  } catch {
    // The wasm memory is full (or fragmented): free all of it to JS arrays, then try once more.
    makeRoom(Infinity)
    try {
      return allocFloat(dtype, length)
    } catch {
      return null
    }
  }
}

/**
 * One block of parameter memory: a parameter's values, its gradient buffer, or an optimiser's
 * state tensor. In the wasm heap once the wasm backend is loaded (the instance exists, whichever
 * backend runs the ops), so kernels use it in place; a JS typed array before that (a browser
 * before `ready()`), when it does not fit in wasm memory, or once evicted (see `budget`). `data`
 * is a view valid now: memory.grow detaches views, so it may be a new one after any kernel call
 * or allocation. Never keep it across ops.
 */
export class ParameterMemory implements Storage {
  private readonly block: Block
  private disposedMessage = ''

  constructor(dtype: FloatDType, length: number) {
    const handle = wasmBlock(dtype, length)
    const bytes = length * (dtype === 'float64' ? 8 : 4)
    this.block = { handle, array: handle === null ? allocateFloat(dtype, length) : null, bytes }
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

// ---- Parameter -------------------------------------------------------------------------------

/**
 * A tensor that is a module's learnable parameter, like torch.nn.Parameter: a leaf that requires
 * grad (unless `requiresGrad` is false), found by `module.parameters()` once registered with
 * `module.registerParameter(name, p)`.
 *
 * The values of `data` are copied into parameter memory (see parameterStorage: the wasm heap once
 * the wasm backend is loaded): a Parameter never shares elements with the tensor it was made from,
 * and a training step updates it in place, copying no weights.
 *
 * Its gradient also lives in parameter memory, in one buffer allocated by the first backward()
 * and kept for the parameter's life. `zeroGrad()` still sets `.grad = null` (PyTorch's default),
 * and the next backward() writes into the same buffer through a new `.grad` tensor: as with
 * PyTorch's `zero_grad(set_to_none=False)`, a gradient tensor kept from an earlier step is
 * overwritten. Keep a copy across steps with `p.grad.clone()`.
 *
 * `module.dispose()` (or `p.dispose()`) frees the values and the gradient buffer; using the
 * parameter afterwards is an error. Unreachable parameters are freed by the garbage collector.
 *
 * @example
 * const w = new nn.Parameter(yann.zeros([3, 5]))   // requiresGrad: true, isLeaf: true
 */
export class Parameter extends Tensor {
  private readonly memory: ParameterMemory
  private gradMemory: ParameterMemory | null = null
  /** The backward() sweep that last lent gradMemory to an op (lendGradBuffer). */
  private lentIn = 0

  constructor(data: Tensor, requiresGrad = true) {
    if (!(data instanceof Tensor)) {
      throw new TypeError(`Parameter: expected a Tensor, got ${data === null ? 'null' : typeof data}; wrap numbers with yann.tensor(...) first`)
    }
    if (!isFloat(data.dtype)) {
      throw new TypeError(`Parameter: parameters must be float32 or float64, got ${data.dtype} of shape [${data.shape.join(', ')}]`)
    }
    const memory = parameterStorage(data.dtype, data.numel())
    memory.data.set(data.data)
    super(memory, data.shape)
    this.memory = memory
    this.requiresGrad = requiresGrad
  }

  /**
   * @internal Leaves' gradients accumulate here in backward(). With no `.grad`, the gradient is
   * written into this parameter's own gradient buffer (allocated once, on first use; unless the
   * op computed it there already, see lendGradBuffer) and `.grad` becomes a new tensor over it;
   * otherwise it is added into `.grad` in place.
   */
  override accumulateGrad(g: Tensor): void {
    if (this.grad !== null) {
      super.accumulateGrad(g)
      return
    }
    const m = this.gradBuffer()
    const values = g.data // read after the allocation in gradBuffer(), which may grow wasm memory
    // A gradient computed straight into the buffer (lendGradBuffer) is adopted: nothing to copy.
    if (values !== m.data) m.data.set(values)
    this.grad = new Tensor(m, this.shape)
  }

  /**
   * @internal backward() lends the gradient buffer to the op computing this parameter's only
   * gradient while `.grad` is null (autograd's gradDestination): the op's kernel writes it in
   * place and accumulateGrad adopts the tensor returned here. Once per backward sweep.
   */
  override lendGradBuffer(sweep: number): Tensor | null {
    if (this.lentIn === sweep) return null
    this.lentIn = sweep
    return new Tensor(this.gradBuffer(), this.shape)
  }

  /** The gradient buffer, allocated on first use. */
  private gradBuffer(): ParameterMemory {
    this.memory.assertLive()
    let m = this.gradMemory
    if (m === null) m = this.gradMemory = parameterStorage(this.dtype as FloatDType, this.numel())
    return m
  }

  /**
   * Free this parameter's memory (values and gradient buffer) now, rather than when it is
   * garbage collected. Reading it afterwards throws. `module.dispose()` does this for every
   * parameter of a model; a parameter shared with another module is freed for both.
   */
  dispose(): void {
    this.release(`Parameter ${formatShape(this.shape)} was disposed (p.dispose() freed its memory)`)
  }

  /** @internal Free values and gradient buffer; later reads of either throw `message`. */
  release(message: string): void {
    if (this.memory.disposed) return
    const hint = '; it can no longer be used: create it anew, or copy what you need (p.detach().clone()) before disposing'
    this.memory.dispose(message + hint)
    this.gradMemory?.dispose(`the gradient of ${message}${hint}`)
    this.grad = null
  }

  /** True once dispose() (or its module's) freed this parameter. */
  get disposed(): boolean {
    return this.memory.disposed
  }

  /** As PyTorch prints a parameter: `Parameter containing:` above the tensor. */
  override toString(): string {
    return `Parameter containing:\n${super.toString()}`
  }
}
