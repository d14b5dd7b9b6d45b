import { isGradEnabled } from '../autograd/grad-mode.js'
import { backend } from '../backend/index.js'
import { Tensor } from '../tensor.js'
import { recording, structureVersionNow } from './hooks.js'
import { leavesMatch, output, replay, type Plan } from './plan.js'
import { PlanMismatch } from './optimiser-args.js'
import { Recorder } from './recorder.js'
import { disposePlan, lowerToWasm } from './wasm-plan.js'

/** How the last call of a compiled function ran. */
export type CompiledRun = 'record' | 'replay' | 'eager'

/** A compiled function: call it as the original; these properties say how it ran. */
export interface CompiledFunction<A extends unknown[], R> {
  (...args: A): R
  /** 'record' (ran eagerly, recording a plan), 'replay' (ran the plan), 'eager' (its plan falls back). */
  readonly lastRun: CompiledRun | null
  /** Why the last call ran eagerly although a plan was recorded for it, or null. */
  readonly fallbackReason: string | null
  /** Plans recorded so far (re-recordings after a guard failed included). */
  readonly recordings: number
  /**
   * How the plan of the last call replays: 'wasm' (the wasm plan interpreter: one call into
   * wasm per step), 'js' (the JS replay, kernel by kernel), or null (it runs eagerly).
   */
  readonly replayPath: 'wasm' | 'js' | null
  /** Why the last call's plan replays in JS rather than in the wasm interpreter, or null. */
  readonly interpreterReason: string | null
}

/**
 * @internal Tests compare compiled code (Keras fit) with eager: `enabled` false makes every
 * compiled function call its fn; `interpreter` false makes plans recorded from then on replay in JS.
 */
export const compileSwitch = { enabled: true, replays: 0, interpreter: true }

/** Plans kept per input signature (e.g. `.grad` null on the first call, set on later ones). */
const MAX_PLANS_PER_KEY = 4

/**
 * Compile a training (or inference) step: `compile(fn)` returns a function called as `fn`,
 * with the same results bit for bit. Its first call for given inputs runs `fn` eagerly and
 * records the kernels it ran (every intermediate array placed once); later calls replay them
 * with no Tensor objects and no autograd graph. The optimiser's `step()` runs live inside the
 * replay, so a changed learning rate or other hyper-parameter (a scheduler) is honoured (the
 * wasm replay skips SGD's step while its options, parameters, `.grad`s and state are as its
 * last run left them: src/compile/repeat-guard.ts).
 * On the wasm backend the replay is the wasm plan interpreter's (src/compile/wasm-plan.ts):
 * one call into wasm per step where every kernel is one it runs (`replayPath`).
 *
 * Guards, checked at every call: the inputs' shapes, dtypes and requiresGrad, other
 * arguments' values, grad mode and the backend select a plan (recorded on first use); a
 * parameter made, replaced, freed, frozen or unfrozen, a module or buffer registered, an
 * optimiser's param group added, or train()/eval() discards every plan (re-recorded at the
 * next call; their wasm memory is freed); `.grad` of a parameter being null or not where the
 * plan assumed otherwise, or another tensor than the one its backward added into (`p.grad =`
 * between calls of a step without zeroGrad()), records another plan.
 *
 * int32 indices among the inputs (embedding, indexSelect, gather, scatterAdd, index() with one
 * or several index tensors, the class targets of crossEntropy (label smoothing included) and
 * nllLoss) are range-checked at every replay, before any kernel runs, with eager's error; so
 * are binaryCrossEntropy's probabilities (in [0, 1]), where the loss reads them.
 *
 * Ops whose work is a JavaScript loop replay it as a step of the plan (src/compile/hooks.ts's
 * replayedStep): BatchNorm in training (its running statistics and numBatchesTracked are
 * updated at every replay), max/min along a dim, prod, cumsum, l1/smoothL1/huber/klDiv losses,
 * hardtanh/relu6, F.pad, the logical ops, any/all, fill_/zero_, where, casts to int32/bool.
 *
 * Falls back to eager (every call, `fallbackReason` says why) when the recording saw what it
 * cannot replay: `item()`/`toArray()` inside `fn` (a branch on values), an array JavaScript
 * computed (randn, normal_ or uniform_ inside `fn` (the dropout masks of dropout and of
 * attention's dropoutP replay, drawn anew, and so does attention's attnMask), tensors made
 * from values: pass them as inputs instead; a bool mask in index()), an in-place op into a
 * tensor made inside `fn` from constants (zerosLike(x).add_(...)), BatchNorm with momentum
 * null (its cumulative average reads numBatchesTracked), `step(closure)`, clipGradNorm, or a
 * result that is not a Tensor, a list of Tensors or nothing. Reading `t.data` directly inside `fn` is not
 * detected: use item() or toArray(). Numbers `fn` reads from JavaScript (a closure variable,
 * a loss module's option) are baked in at recording: pass a changing number as an argument
 * (arguments that are not tensors select the plan by value). Other JavaScript side effects in
 * `fn` (a counter, a log line) happen only at recording; optimizer.step() runs at every call.
 *
 * The returned tensors are the plan's own: valid until the next call, which overwrites them
 * (as CUDA graphs' static outputs); `.item()` on them works, `.clone()` keeps one.
 *
 * @example
 * const step = yann.compile((x: Tensor, y: Tensor) => {
 *   opt.zeroGrad()
 *   const loss = lossFn.forward(model.forward(x), y)
 *   loss.backward()
 *   opt.step()
 *   return loss
 * })
 * for (let i = 0; i < 1000; i++) step(x, y).item()
 */
export function compile<A extends unknown[], R>(fn: (...args: A) => R): CompiledFunction<A, R> {
  if (typeof fn !== 'function') throw new TypeError(`compile: expected a function, got ${fn === null ? 'null' : typeof fn}`)
  const plans = new Map<string, Plan[]>()
  let structure = structureVersionNow()
  let last: Plan | null = null
  // The previous call's arguments, copied (not the rest array itself: keeping it would make V8 allocate one per call).
  const lastArgs: unknown[] = []
  const lastKinds: number[] = []
  let lastGrad = true
  const state = { lastRun: null as CompiledRun | null, fallbackReason: null as string | null, recordings: 0, plan: null as Plan | null }

  // Up to four arguments arrive as parameters and go into this array, reused: a rest array
  // would be one allocation per call (a replay allocates nothing on the JS heap).
  const given: unknown[] = []
  const compiled = function (a0?: unknown, a1?: unknown, a2?: unknown, a3?: unknown): R {
    const count = arguments.length
    let args: A
    if (count <= 4) {
      if (given.length !== count) given.length = count // (setting length is a builtin call)
      if (count > 0) given[0] = a0
      if (count > 1) given[1] = a1
      if (count > 2) given[2] = a2
      if (count > 3) given[3] = a3
      args = given as A
    } else {
      args = Array.prototype.slice.call(arguments) as A
    }
    // Called from inside another recording: its ops are part of that one.
    if (recording !== null || !compileSwitch.enabled) return fn(...args)
    if (structureVersionNow() !== structure) {
      structure = structureVersionNow()
      for (const l of plans.values()) l.forEach(disposePlan)
      plans.clear()
      last = null
    }
    const grad = isGradEnabled()
    const again = last !== null && grad === lastGrad && last.backend === backend() && sameSignature(lastArgs, lastKinds, args) && leavesMatch(last, args)
    let plan = again ? last : null
    let key = ''
    let list: Plan[] | undefined
    if (plan === null) {
      key = signature(args)
      list = plans.get(key)
      plan = list?.find((p) => leavesMatch(p, args)) ?? null
    }
    if (plan !== null) {
      state.plan = plan
      // Called like the last call: its kinds stand (sameSignature checked them), only objects may differ.
      if (again) for (let i = 0; i < args.length; i++) lastArgs[i] = args[i]
      else keep(lastArgs, lastKinds, args)
      last = plan
      lastGrad = grad
      if (plan.fallbackReason !== null) {
        state.lastRun = 'eager'
        state.fallbackReason = plan.fallbackReason
        return fn(...args)
      }
      state.lastRun = 'replay'
      compileSwitch.replays++
      state.fallbackReason = null
      try {
        return replay(plan, args) as R
      } catch (e) {
        if (!(e instanceof PlanMismatch)) throw e
        // The optimiser updates other parameters than the plan holds (no guard caught why): record anew.
        for (const l of plans.values()) if (l.includes(plan)) l.splice(l.indexOf(plan), 1)
        disposePlan(plan)
        last = null
        key = signature(args)
        list = plans.get(key)
      }
    }
    args = args.slice() as A // the recording keeps them
    const recorder = new Recorder(backend(), args)
    const result = recorder.run(() => fn(...args))
    const recorded = recorder.plan(result)
    if (recorded.fallbackReason === null) lower(recorded, recorder)
    if (!list) plans.set(key, (list = []))
    if (list.length >= MAX_PLANS_PER_KEY) {
      const dropped = list.shift()!
      if (last === dropped) last = null
      disposePlan(dropped)
    }
    list.push(recorded)
    state.recordings++
    state.plan = recorded
    state.lastRun = 'record'
    state.fallbackReason = recorded.fallbackReason
    // The plan's outputs (detached, over the same memory) rather than the recording's graph.
    if (recorded.fallbackReason !== null) return result
    last = recorded
    keep(lastArgs, lastKinds, args)
    lastGrad = grad
    return output(recorded.output, args) as R // what a replay would return, without running it (the recording just did)
  }
  Object.defineProperties(compiled, {
    lastRun: { get: () => state.lastRun },
    fallbackReason: { get: () => state.fallbackReason },
    recordings: { get: () => state.recordings },
    replayPath: { get: () => (state.plan === null || state.plan.fallbackReason !== null ? null : state.plan.wasm !== null ? 'wasm' : 'js') },
    interpreterReason: { get: () => state.plan?.wasmReason ?? null },
  })
  return compiled as unknown as CompiledFunction<A, R>
}

/** Copies the call's arguments into `into`, and what each was in `kinds`: 0 not a tensor, 1 a tensor, 2 one requiring grad. */
function keep(into: unknown[], kinds: number[], args: readonly unknown[]): void {
  if (into.length !== args.length) {
    into.length = args.length
    kinds.length = args.length
  }
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    into[i] = a
    kinds[i] = a instanceof Tensor ? (a.requiresGrad ? 2 : 1) : 0
  }
}


/** Lowers the plan for the wasm plan interpreter where it can (else it replays in JS: `wasmReason` says why). */
function lower(plan: Plan, recorder: Recorder): void {
  if (!compileSwitch.interpreter) {
    plan.wasmReason = 'the interpreter is switched off'
    return
  }
  let lowered: ReturnType<typeof lowerToWasm>
  try {
    lowered = lowerToWasm(plan, recorder)
  } catch (e) {
    // The JS replay is always right: a failure to lower (a bug, wasm memory exhausted) costs only speed.
    lowered = `lowering failed: ${e instanceof Error ? e.message : String(e)}`
  }
  if (typeof lowered === 'string') plan.wasmReason = lowered
  else plan.wasm = lowered
}

/** What selects a plan: each argument's dtype, shape and requiresGrad (or value), grad mode, backend. */
function signature(args: readonly unknown[]): string {
  const parts = args.map((a) =>
    a instanceof Tensor ? `${a.dtype}[${a.shape.join(',')}]${a.requiresGrad ? 'g' : ''}` : `${typeof a}:${String(a)}`,
  )
  return `${parts.join(';')}|${isGradEnabled() ? 'grad' : 'nograd'}|${backend().name}#${backendId(backend())}`
}

let backendCount = 0
const backendIds = new WeakMap<object, number>()
function backendId(b: object): number {
  let id = backendIds.get(b)
  if (id === undefined) backendIds.set(b, (id = ++backendCount))
  return id
}

/** The fast check for the common case: called again like the previous call (grad mode and backend aside). */
function sameSignature(before: readonly unknown[], kinds: readonly number[], now: readonly unknown[]): boolean {
  if (before.length !== now.length) return false
  for (let i = 0; i < now.length; i++) {
    const a = before[i]
    const b = now[i]
    // The same object again: a tensor's dtype and shape never change, its requiresGrad may.
    if (a === b) {
      if (kinds[i] !== 0 && (b as Tensor).requiresGrad !== (kinds[i] === 2)) return false
      continue
    }
    if (a instanceof Tensor) {
      // requiresGrad against what the plan was recorded with: `a`'s own may have changed since.
      if (!(b instanceof Tensor) || a.dtype !== b.dtype || kinds[i] !== (b.requiresGrad ? 2 : 1) || !sameDims(a.shape, b.shape)) return false
    } else if (a !== b || b instanceof Tensor) {
      return false
    }
  }
  return true
}

function sameDims(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
