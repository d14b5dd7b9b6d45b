/**
 * @internal What compile()'s recorder needs to see besides kernel calls: the places where
 * JavaScript itself writes or reads tensor memory, assigns `.grad`, or changes a model's
 * structure. Each hook is one null check when nothing is recorded. No imports: the tensor,
 * nn and optim layers all call in here.
 */

/** The recorder listening now (compile's first call for a plan), or null. */
export interface RecordingHooks {
  /** A Tensor was made over the typed array `data` (a new array, not another tensor's storage) while recording. */
  created(data: ArrayBufferView): void
  /** JS filled `data` from numbers written in code (a scalar operand, backward's seed, full()). */
  constant(data: ArrayBufferView): void
  /** JS copied `src` into `dst` (clone, cast, a gradient into its buffer). */
  copy(dst: ArrayBufferView, src: ArrayBufferView): void
  /** JS filled `dst` with `value` (zeroGrad(false)). */
  fill(dst: ArrayBufferView, value: number): void
  /** `.grad` of `tensor` was assigned `value` (was `previous`). */
  gradSet(tensor: object, previous: unknown, value: unknown): void
  /** backward() is about to accumulate into the leaf `tensor`, whose `.grad` is `current`. */
  gradRead(tensor: object, current: unknown): void
  /** Tensor values were read into JavaScript (item, toArray): a branch on them is invisible. */
  read(what: string): void
  /** An in-place op is about to write `tensor`'s elements (and bump its version): a replay bumps it again. */
  inPlace(tensor: object): void
  /** A step that must run live at every call (the optimiser's update): run it and log it; `source` lets a replay skip a repeat (StepSource). */
  opaque(what: string, run: () => void, source?: StepSource): void
  /** Something a plan cannot replay happened: the plan falls back to eager, for this reason. */
  fail(reason: string): void
  /** A JavaScript step over typed arrays that every replay must run again (an index check): logged as a kernel call. */
  jsKernel(name: string, run: (...args: never[]) => void, args: unknown[]): void
}

export let recording: RecordingHooks | null = null

/**
 * An opaque step whose effect is fully determined by what compile() can compare between calls
 * (an optimiser: its groups' options, whose changes param-group.ts counts, its parameters,
 * their `.grad`, its state).
 * A wasm replay skips running it when it would repeat its last run exactly
 * (src/compile/repeat-guard.ts). Its step() must read nothing else.
 */
export interface StepSource {
  readonly paramGroups: readonly { readonly params: readonly object[] }[]
  /** Per-parameter state objects; `version` counts its set/delete/clear calls. */
  readonly state: ReadonlyMap<object, object> & { readonly version: number }
  /** Bumps the version of each parameter step() updates: a replay that skipped step() calls it, its kernels having updated them as before. */
  countUpdates(): void
}

/**
 * While a recording runs the optimiser's step (whose own kernel calls are not recorded): told
 * each parameter's `.grad` the update reads, so the plan's guard covers it becoming null or not.
 */
export let gradWatch: ((tensor: object, grad: unknown) => void) | null = null

/** @internal Installed by the recorder around an opaque step; returns the one before. */
export function setGradWatch(watch: typeof gradWatch): typeof gradWatch {
  const before = gradWatch
  gradWatch = watch
  return before
}

/** @internal Installed by compile() around its recording run; returns the one before. */
export function setRecording(hooks: RecordingHooks | null): RecordingHooks | null {
  const before = recording
  recording = hooks
  return before
}

let structureVersion = 0

/**
 * Leaves a plan may depend on the requiresGrad of: parameters, the optimisers' parameters and
 * the leaves backward reached while recording (inputs are guarded by the call's signature).
 */
const gradLeaves = new WeakSet<object>()

/** @internal Marks `t`: a change of its requiresGrad makes compiled plans stale. */
export function markGradLeaf(t: object): void {
  gradLeaves.add(t)
}

/** @internal `t`'s requiresGrad changed: plans that assumed the old value are stale. */
export function requiresGradChanged(t: object): void {
  if (gradLeaves.has(t)) structureVersion++
}

/**
 * A parameter was made, replaced or freed, a module or buffer registered, or train()/eval()
 * changed a mode: compiled plans recorded before are stale.
 */
export function structureChanged(): void {
  structureVersion++
}

/** The count structureChanged() bumps: plans compare it before replaying. */
export function structureVersionNow(): number {
  return structureVersion
}

const scratchBuffers = new WeakSet<ArrayBufferLike>()

/** Marks `a` as a library-internal scratch array JS never reads outside the op: a wasm plan need not copy it back. */
export function internalScratch<A extends ArrayBufferView>(a: A): A {
  scratchBuffers.add(a.buffer)
  return a
}

/** @internal True for an array internalScratch() marked. */
export function isInternalScratch(a: ArrayBufferView): boolean {
  return scratchBuffers.has(a.buffer)
}

/** `dst.set(src)`, seen by the recorder. */
export function copyArray(dst: ArrayBufferView & { set(a: ArrayLike<number>): void }, src: ArrayBufferView & ArrayLike<number>): void {
  dst.set(src)
  if (recording !== null) recording.copy(dst, src)
}

/** `dst.fill(value)`, seen by the recorder. */
export function fillArray(dst: ArrayBufferView & { fill(v: number): unknown }, value: number): void {
  dst.fill(value)
  if (recording !== null) recording.fill(dst, value)
}

/** Marks `data` as a new array JS made during the call (not a tensor's): a recorded step writes it before any kernel reads it. */
export function newArray<A extends ArrayBufferView>(data: A): A {
  if (recording !== null) recording.created(data)
  return data
}

/** Marks `data` as filled from constants in code (same values at every call). */
export function constantArray<A extends ArrayBufferView>(data: A): A {
  if (recording !== null) recording.constant(data)
  return data
}

/**
 * Runs `run(...args)`, a JavaScript step on the call's arrays (an index range check): while
 * recording, logged as a kernel call, so a replay runs it again on that call's arrays (its
 * error included) before the kernels that read them. `name` must be listed in the recorder's
 * WRITES (the arguments it writes).
 */
export function replayedStep<A extends unknown[]>(name: string, run: (...args: A) => void, args: A): void {
  if (recording !== null) recording.jsKernel(name, run as unknown as (...a: never[]) => void, args)
  else run(...args)
}

/** Runs `run`; while recording, as one opaque entry that the replay runs live (an optimiser's update with its own JS state). */
export function opaqueStep(what: string, run: () => void): void {
  if (recording !== null) recording.opaque(what, run)
  else run()
}
