import { swapBackend } from '../backend/index.js'
import type { Backend } from '../backend/types.js'
import { wasmOnlyBackend } from '../backend/wasm/backend.js'
import { setInvokeTap } from '../backend/wasm/invoke.js'
import { sameBits } from '../backend/wasm/twins.js'
import { wasmExports } from '../backend/wasm/runtime.js'
import { Tensor } from '../tensor.js'
import { markGradLeaf, setGradWatch, setRecording, type RecordingHooks, type StepSource } from './hooks.js'
import { CaptureLog } from './wasm-capture.js'
import { COPY, FILL, KERNEL, OPAQUE, SET_GRAD, type Bump, type Entry, type Leaf, type OutputSpec, type Patch, type Plan, type Slot } from './plan.js'

/** Kernels that update arrays in place besides their last array argument: the indices they write. */
const WRITES: Record<string, number[]> = {
  sgdStep: [0, 2], adamStep: [0, 2, 3], rmspropStep: [0, 2, 3, 4], adagradStep: [0, 2], maxAxis: [1, 2],
  maxPool2d: [1, 2], avgPool2d: [1], avgPool2dBackward: [1], attention: [4, 5], attentionBackward: [7, 8, 9],
  layerNorm: [3, 4, 5], layerNormBackward: [5, 6, 7], batchNorm: [5, 6, 7], batchNormBackward: [5, 6, 7], gelu: [1, 3], geluBackward: [2], targetMask: [2, 3],
  // JavaScript steps (replayedStep): the range check writes the wrapped indices, when asked to;
  // narrow and castInteger write the int32/bool result; select (where) its output; bce's check writes nothing;
  // stridedPut (a strided window's gradient) and stridedTake (an int32/bool window) their output.
  checkIndices: [5], narrow: [1], select: [3], checkExactProduct: [], castInteger: [1], checkProbabilities: [], stridedPut: [1], stridedTake: [1],
  // The loops of max(dim)'s gradient (scattered to the indices), cumsum, prod, the elementwise
  // losses, hardtanh's gradient, pad (forward and gradient) and the logical ops write their output.
  scatterToIndex: [2], runningSum: [1], prodLines: [1], prodOthers: [1], elementLoss: [2], elementLossGrad: [3], hardtanhGrad: [2],
  padTake: [1], padPut: [1], logicalNot: [1], logical: [2], anyAll: [1],
  // batchNorm's running statistics and BatchNorm's numBatchesTracked, updated in place.
  runningStats: [2, 3], countBatch: [0],
}

/** JavaScript steps that read the arrays they write (an update in place): those count as read too, and the step runs in its place, never as an early check. */
const UPDATES = new Set(['runningStats', 'countBatch'])

/** The indices of the array arguments a backend method writes (the last one, unless WRITES says). */
export function writtenArgs(name: string, args: readonly unknown[]): number[] {
  const found = WRITES[name]
  if (found) return found
  for (let i = args.length - 1; i >= 0; i--) if (ArrayBuffer.isView(args[i])) return [i]
  return []
}

type View = ArrayBufferView & ArrayLike<number>

/**
 * Records one eager run of a step into a Plan: a wrapper around the backend logs every kernel
 * call, and compile's hooks (src/compile/hooks.ts) log what JavaScript does to tensor memory.
 *
 * An array a kernel reads must be one whose values the plan reproduces: an input, wasm memory
 * (parameters and their state, updated in place), an array a logged call wrote, a constant
 * written in code, or one that existed before the call (state kept by reference). Anything
 * else was computed by JavaScript during the call (random numbers, a mask made from the targets,
 * a tensor built from values): the plan then falls back to eager, with that reason.
 */
export class Recorder implements RecordingHooks {
  readonly entries: Entry[] = []
  /** JavaScript steps reading only the inputs (index checks): a replay runs them before anything else. */
  readonly checks: Entry[] = []
  readonly leaves: Leaf[] = []
  readonly bumps: Bump[] = []
  /** Buffers of tensors made before the call that in-place ops wrote (their versions outlive it). */
  private readonly kept = new Set<ArrayBufferLike>()
  failure: string | null = null
  /** The wasm exports each backend call ran (the wasm plan is built from them). */
  readonly capture = new CaptureLog()
  /** Buffers of arrays made during the recording. */
  readonly fresh = new Set<ArrayBufferLike>()
  private readonly constants = new Set<ArrayBufferLike>()
  private readonly written = new Set<ArrayBufferLike>()
  readonly inputData: (View | null)[]
  /** Some input's data is a view of wasm memory (the wasm plan does not take those). */
  readonly inputInWasm: boolean

  constructor(
    private readonly real: Backend,
    private readonly inputs: readonly unknown[],
  ) {
    this.inputData = inputs.map((x) => (x instanceof Tensor ? (x.data as View) : null))
    const wasm = currentWasmBuffer()
    this.inputInWasm = this.inputData.some((d) => d !== null && d.buffer === wasm)
  }

  /** Runs `fn` eagerly while recording it; the hooks and the backend are restored after. */
  run<R>(fn: () => R): R {
    const backendBefore = swapBackend(this.wrapper())
    const hooksBefore = setRecording(this)
    const tapBefore = setInvokeTap(this.capture)
    try {
      return fn()
    } finally {
      setInvokeTap(tapBefore)
      setRecording(hooksBefore)
      swapBackend(backendBefore)
    }
  }

  /** The plan for what ran, returning `result`. */
  plan(result: unknown): Plan {
    const output = this.failure === null ? this.outputSpec(result, 'the result') : ({ kind: 'value', value: undefined } as const)
    return { backend: this.real, entries: this.entries, checks: this.checks, output, leaves: this.leaves, bumps: this.bumps, inputGrads: this.entries.filter((e) => e.kind === SET_GRAD && e.input >= 0 && e.grad !== null), fallbackReason: this.failure, wasm: null, wasmReason: null }
  }

  fail(reason: string): void {
    this.failure ??= reason
  }

  created(data: ArrayBufferView): void {
    if (data.buffer !== currentWasmBuffer()) this.fresh.add(data.buffer)
  }

  constant(data: ArrayBufferView): void {
    this.constants.add(data.buffer)
  }

  copy(dst: ArrayBufferView, src: ArrayBufferView): void {
    this.check(src as View, 'a copy (clone, cast or a gradient into its buffer)')
    this.log(COPY, null, [dst, src], [0, 1])
    this.written.add(dst.buffer)
  }

  fill(dst: ArrayBufferView, value: number): void {
    this.log(FILL, null, [dst, value], [0])
    this.written.add(dst.buffer)
  }

  gradSet(tensor: object, previous: unknown, value: unknown): void {
    const t = tensor as Tensor
    const input = this.leaf(t, previous)
    this.entries.push({ kind: SET_GRAD, method: null, args: [], patches: [], run: null, tensor: t, input, grad: value as Tensor | null })
  }

  gradRead(tensor: object, current: unknown): void {
    const t = tensor as Tensor
    this.leaf(t, current)
    // Adding into the .grad from before the call (none assigned since): the plan holds its memory.
    const leaf = this.leaves.find((l) => l.tensor === t)!
    if (current !== null && !leaf.wasNull && !this.entries.some((e) => e.kind === SET_GRAD && e.tensor === t)) leaf.grad = current as Tensor
  }

  /** Notes the leaf's `.grad` state the first time it is seen; returns its input index, or -1. */
  private leaf(t: Tensor, grad: unknown): number {
    const input = this.inputs.indexOf(t)
    if (input < 0) markGradLeaf(t)
    if (!this.leaves.some((l) => l.tensor === t)) this.leaves.push({ tensor: t, input, wasNull: grad === null, grad: null })
    return input
  }

  jsKernel(name: string, run: (...args: never[]) => void, args: unknown[]): void {
    const method = run as (...a: unknown[]) => unknown
    const writes = writtenArgs(name, args)
    const reads = args.flatMap((a, i) => (ArrayBuffer.isView(a) && !writes.includes(i) ? [a as View] : []))
    const slots = reads.map((a) => this.slotOf(a)?.kind)
    if (UPDATES.has(name) || !slots.every((k) => k === 'input' || k === 'inputView')) return void this.kernel(name, method, args)
    // It reads only the call's inputs: a replay runs it first, so a bad index throws before any of the step ran.
    const arrays = args.flatMap((a, i) => (ArrayBuffer.isView(a) ? [i] : []))
    const entry = this.log(KERNEL, method, args, arrays, this.checks)
    entry.name = name
    method(...args)
    for (const i of writes) if (ArrayBuffer.isView(args[i])) this.written.add((args[i] as View).buffer)
  }

  inPlace(tensor: object): void {
    const t = tensor as Tensor
    const b = t.data.buffer
    const input = this.inputHolding(t.data)
    if (input < 0 && b !== currentWasmBuffer() && !this.kept.has(b)) {
      // A constant made during the call (zerosLike, full): the plan keeps one array, which a replay would write again.
      if (this.constants.has(b)) this.fail('an in-place op wrote into a tensor the step made from constants (zerosLike, full, ...): a replay would start from the last call\'s values')
      // Written or made during the call: a tensor of this call's own, new (at version 0) at every eager call.
      if (this.written.has(b) || this.fresh.has(b) || this.constants.has(b)) return
      this.kept.add(b)
    }
    this.bumps.push({ tensor: input < 0 ? t : null, input })
  }

  read(what: string): void {
    this.fail(`the function read tensor values into JavaScript (${what}) while recording: a branch on them would not be replayed`)
  }

  opaque(_what: string, run: () => void, source?: StepSource): void {
    const backendBefore = swapBackend(this.wrapper(this.entries.length))
    const hooksBefore = setRecording(null)
    const watchBefore = setGradWatch((t, grad) => void this.leaf(t as Tensor, grad))
    try {
      run()
    } finally {
      setGradWatch(watchBefore)
      setRecording(hooksBefore)
      swapBackend(backendBefore)
    }
    this.entries.push({ kind: OPAQUE, method: null, args: [], patches: [], run, source: source ?? null, tensor: null, input: -1, grad: null })
  }

  /**
   * The backend the recorded function sees: each method logs its call, then runs the real
   * kernel. Inside the opaque entry `opaque` (the optimiser's step), it only notes which wasm
   * exports each call ran.
   */
  private wrapper(opaque = -1): Backend {
    const real = this.real as unknown as Record<string, unknown>
    const wrapped: Record<string, unknown> = { name: this.real.name }
    for (const key of methodNames(real)) {
      const method = real[key] as (...args: unknown[]) => unknown
      wrapped[key] = opaque < 0 ? (...args: unknown[]) => this.kernel(key, method, args) : (...args: unknown[]) => this.traced(opaque, key, method, args)
    }
    return wrapped as unknown as Backend
  }

  private traced(entry: number, name: string, method: (...args: unknown[]) => unknown, args: unknown[]): unknown {
    // A kernel whose ts and wasm forms give the same bits runs on wasm while recording, even below the
    // small-size threshold: the capture then holds its wasm call, which the plan interpreter replays.
    const twin = this.real.name === 'wasm' && sameBits(name, args)
    const before = this.capture.enter(entry, name, twin)
    try {
      if (twin) return (wasmOnlyBackend as unknown as Record<string, typeof method>)[name].apply(wasmOnlyBackend, args)
      return method.apply(this.real, args)
    } finally {
      this.capture.leave(before)
    }
  }

  private kernel(name: string, method: (...args: unknown[]) => unknown, args: unknown[]): unknown {
    const arrays: number[] = []
    for (let i = 0; i < args.length; i++) if (ArrayBuffer.isView(args[i])) arrays.push(i)
    const writes = writtenArgs(name, args)
    for (const i of arrays) if (!writes.includes(i) || UPDATES.has(name)) this.check(args[i] as View, `kernel '${name}'`)
    for (const a of args) {
      if (isOptions(a)) for (const v of Object.values(a)) if (ArrayBuffer.isView(v)) this.check(v as View, `kernel '${name}'`)
    }
    const entry = this.log(KERNEL, method, args, arrays)
    entry.name = name
    entry.self = this.real
    const result = this.traced(this.entries.length - 1, name, method, args)
    for (const i of writes) if (ArrayBuffer.isView(args[i])) this.written.add((args[i] as View).buffer)
    return result
  }

  /** An entry whose array arguments (at `arrays`, and inside option objects) become slots or stay kept. */
  private log(kind: Entry['kind'], method: Entry['method'], given: unknown[], arrays: number[], into = this.entries): Entry {
    const args = given.map((a) => (Array.isArray(a) ? a.slice() : isOptions(a) ? { ...a } : a))
    const patches: Patch[] = []
    for (const i of arrays) this.bind(args as unknown as Record<number, unknown>, i, patches)
    for (const a of args) {
      if (!isOptions(a)) continue
      for (const key of Object.keys(a)) if (ArrayBuffer.isView(a[key])) this.bind(a, key, patches)
    }
    const entry: Entry = { kind, method, args, patches, run: null, tensor: null, input: -1, grad: null }
    into.push(entry)
    return entry
  }

  private bind(target: Record<string | number, unknown>, key: string | number, patches: Patch[]): void {
    const slot = this.slotOf(target[key] as View)
    if (slot) patches.push({ target, key, slot })
  }

  /** Inputs and wasm memory are looked up at each replay; any other array is kept as it is. */
  private slotOf(a: View): Slot | null {
    if (a.length === 0) return null
    const ctor = a.constructor as Float32ArrayConstructor
    const i = this.inputHolding(a)
    if (i >= 0) {
      const d = this.inputData[i]!
      return d === a ? { kind: 'input', index: i } : { kind: 'inputView', index: i, byteOffset: a.byteOffset - d.byteOffset, length: a.length, ctor }
    }
    if (a.buffer === currentWasmBuffer()) return { kind: 'wasm', byteOffset: a.byteOffset, length: a.length, ctor, view: a }
    return null
  }

  /**
   * The input whose data is `a`, else holds it (a view within its range: inputs may be views
   * of one buffer, a dataset's, and need not be at the next call), or -1.
   */
  private inputHolding(a: ArrayBufferView): number {
    const data = this.inputData
    for (let i = 0; i < data.length; i++) if (data[i] === a) return i
    for (let i = 0; i < data.length; i++) {
      const d = data[i]
      if (d !== null && d.buffer === a.buffer && a.byteOffset >= d.byteOffset && a.byteOffset + a.byteLength <= d.byteOffset + d.byteLength) return i
    }
    return -1
  }

  /** Fails the plan if `a` holds values JavaScript computed during the recording. */
  private check(a: View, reader: string): void {
    const b = a.buffer
    // (An empty one too: a mask's true elements made in JS, none at recording, are a shape a replay would keep.)
    if (!this.fresh.has(b) || this.written.has(b) || this.constants.has(b)) return
    if (this.inputData.some((d) => d !== null && d.buffer === b)) return
    this.fail(
      `${reader} read an array that JavaScript computed during the recording, not a kernel ` +
        '(e.g. random numbers, a tensor made from values, a mask made from class targets): the replay could not reproduce it',
    )
  }

  private outputSpec(result: unknown, what: string): OutputSpec {
    if (result instanceof Tensor) {
      const index = this.inputs.indexOf(result)
      if (index >= 0) return { kind: 'input', index }
      // A view of an input (reshape): rebuilt over each call's input, not the recording's.
      const d = result.data
      const at = this.inputHolding(d)
      if (at >= 0) return { kind: 'inputView', index: at, byteOffset: d.byteOffset - this.inputData[at]!.byteOffset, length: d.length, shape: result.shape }
      this.check(result.data as View, what)
      return { kind: 'value', value: result.detach() }
    }
    if (Array.isArray(result)) return { kind: 'list', items: result.map((r, i) => this.outputSpec(r, `${what}[${i}]`)) }
    if (result === undefined) return { kind: 'value', value: undefined }
    this.fail(`the function returned ${typeof result}: a compiled function returns a Tensor, a list of Tensors, or nothing`)
    return { kind: 'value', value: undefined }
  }
}

/**
 * The wasm memory's buffer now: memory.grow during the recording (a gradient's first
 * allocation) replaces it, and an array in use is a view of the current one.
 */
function currentWasmBuffer(): ArrayBufferLike | null {
  return wasmExports()?.memory.buffer ?? null
}

/** A kernel's option object (arrays inside it are bound like arguments). */
export function isOptions(a: unknown): a is Record<string, unknown> {
  return a !== null && typeof a === 'object' && !Array.isArray(a) && !ArrayBuffer.isView(a)
}

/** Own and inherited method names of a backend object (plain objects and classes alike). */
function methodNames(o: Record<string, unknown>): string[] {
  const names = new Set<string>()
  for (let p: object | null = o; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const key of Object.getOwnPropertyNames(p)) if (key !== 'constructor' && typeof o[key] === 'function') names.add(key)
  }
  return [...names]
}
