import { fillArray, gradWatch, recording, structureChanged } from '../compile/hooks.js'
import { noGrad } from '../autograd/grad-mode.js'
import { bumpVersion } from '../autograd/version.js'
import type { FloatArray } from '../dtype.js'
import { className } from '../class-name.js'
import { checkOptionKeys } from '../options.js'
import { StateTensor, stateTensor } from '../parameter-memory.js'
import { formatShape, sameShape } from '../shape.js'
import { StateMap } from './state-map.js'
import { optionsOf, watchedGroup } from './param-group.js'
import { Tensor } from '../tensor.js'

/** A parameter group as given: its tensors and any options that override the optimiser's defaults. */
export type ParamGroupSpec<O> = Partial<O> & { params: Iterable<Tensor> }

/**
 * A parameter group as held: its tensors and every option. Change `lr` here to schedule it
 * (each option is an accessor that counts changes, for compile(): src/optim/param-group.ts).
 */
export type ParamGroup<O> = O & { params: Tensor[] }

/** What an optimiser keeps per parameter: tensors (in parameter memory) and counters. */
export type ParamState = Record<string, Tensor | number | undefined>

/** An optimiser's state as PyTorch's state_dict() lays it out, with parameters numbered in group order. */
export interface OptimizerStateDict {
  state: Record<number, Record<string, Tensor | number>>
  paramGroups: (Record<string, unknown> & { params: number[] })[]
}

/** Optimiser memory is parameter memory: allocate it through nn's stateTensor (the wasm heap once loaded). */
export { stateTensor }

/**
 * The base of every optimiser, like torch.optim.Optimizer: parameter groups, per-parameter
 * state, zeroGrad(), step(), stateDict() / loadStateDict().
 *
 * Parameters are leaf tensors (anything else is an error at construction). On step(), parameters
 * whose `.grad` is null are skipped, and so are frozen ones (requiresGrad = false), as in PyTorch:
 * freezing a backbone after building its optimiser just works. The update itself is one
 * backend kernel call per parameter (sgdStep, adamStep), in place on the parameter's memory.
 */
export abstract class Optimizer<O extends object, S extends ParamState = ParamState> {
  /** The groups, each with its parameters and options. */
  readonly paramGroups: ParamGroup<O>[] = []
  /** Per-parameter state (momentum buffers, moments, step counts), created on a parameter's first step. */
  readonly state: Map<Tensor, S> & { readonly version: number } = new StateMap<Tensor, S>()
  /** The options a group gets when it does not give its own. */
  readonly defaults: Readonly<O>
  private disposed = false

  /**
   * Set (as the class's own static, not inherited: a subclass may read more) by an optimiser
   * whose step() reads only its param groups' options (numbers and booleans: their changes are
   * counted, src/optim/param-group.ts), their parameters, their `.grad` and its state objects:
   * compile() may then skip a step that would repeat its last one exactly (repeat-guard.ts).
   */
  static readonly stepReadsOnlyState: boolean = false

  constructor(params: Iterable<Tensor> | Iterable<ParamGroupSpec<O>>, defaults: O) {
    this.defaults = Object.freeze({ ...defaults })
    const op = this.optimizerName()
    if (params instanceof Tensor) {
      throw new TypeError(`${op}: params must be a list of tensors (or of param groups), got a single Tensor of shape ${formatShape(params.shape)}; wrap it: [t]`)
    }
    if (params === null || typeof params !== 'object' || typeof (params as Iterable<unknown>)[Symbol.iterator] !== 'function') {
      throw new TypeError(`${op}: params must be a list of tensors or of param groups, e.g. model.parameters(); got ${params === null ? 'null' : typeof params}`)
    }
    const list = [...(params as Iterable<Tensor | ParamGroupSpec<O>>)]
    if (list.length === 0) throw new Error(`${op}: got an empty parameter list; pass the tensors to optimise, e.g. model.parameters()`)
    // A list of groups if any item looks like one; otherwise a list of tensors (so a stray
    // non-tensor is named by its position).
    const isGroup = (x: unknown): boolean => x !== null && typeof x === 'object' && !(x instanceof Tensor) && 'params' in x
    const groups = list.some(isGroup) ? (list as ParamGroupSpec<O>[]) : [{ params: list as Tensor[] } as unknown as ParamGroupSpec<O>]
    for (const group of groups) this.addParamGroup(group)
  }

  /** The class name for messages (SGD, Adam, AdamW). */
  protected optimizerName(): string {
    return className(this.constructor)
  }

  /** Check a group's options, throwing PyTorch's errors ('Invalid learning rate: -1' ...). */
  protected abstract validate(group: O): void

  /** Update one parameter in place from its gradient with its group's options (called without grad recording). */
  protected abstract updateParameter(param: Tensor, grad: Tensor, options: O, state: S): void

  /** Add a group of parameters with its own options (like fine-tuning a new head at another lr). */
  addParamGroup(spec: ParamGroupSpec<O>): void {
    const op = this.optimizerName()
    const g = this.paramGroups.length
    if (spec === null || typeof spec !== 'object' || spec instanceof Tensor || !('params' in spec)) {
      // A typo such as { parameters: ... } gets named: the one key that should have been `params`.
      const keys = spec !== null && typeof spec === 'object' && !(spec instanceof Tensor) ? Object.keys(spec).filter((k) => !(k in this.defaults)) : []
      const named = keys.length > 0 ? `; it has no 'params' key (unknown key${keys.length > 1 ? 's' : ''} ${keys.map((k) => `'${k}'`).join(', ')}: did you mean params?)` : ''
      throw new TypeError(`${op}: param group ${g} must be an object { params: [...], ...options }, or every item a Tensor${named}`)
    }
    const { params, ...options } = spec
    checkOptionKeys(`${op} param group ${g}`, options, Object.keys(this.defaults))
    if (params instanceof Tensor) throw new TypeError(`${op}: param group ${g}: params must be a list of tensors; wrap the tensor: [t]`)
    const list = [...params]
    if (list.length === 0) throw new Error(`${op}: param group ${g} has an empty parameter list`)
    const where = (i: number, p: Tensor): string =>
      `${op}: parameter ${i}${g > 0 ? ` of param group ${g}` : ''} (shape ${formatShape(p.shape)})`
    const seen = new Set<Tensor>(this.paramGroups.flatMap((group) => group.params))
    list.forEach((p, i) => {
      if (!(p instanceof Tensor)) {
        // An object here is usually a param group with a misspelt `params` ({ parameters: ... }).
        const keys = p !== null && typeof p === 'object' ? Object.keys(p) : null
        const group = keys ? `an object with keys ${keys.map((k) => `'${k}'`).join(', ') || 'none'}; a param group needs a 'params' key ({ params: [...], ...options })` : null
        throw new TypeError(`${op}: parameter ${i}${g > 0 ? ` of param group ${g}` : ''} is ${group ?? (p === null ? 'null' : typeof p)}, not a Tensor`)
      }
      if (!p.isLeaf) {
        throw new Error(
          `${where(i, p)} is not a leaf: it was computed by ${p.gradFn?.name}; optimisers update leaves with requiresGrad: true ` +
            '(pass the parameters themselves, or .detach() it and set requiresGrad)',
        )
      }
      if (seen.has(p)) throw new Error(`${where(i, p)} appears more than once in the optimiser's parameters; give each tensor once`)
      seen.add(p)
    })
    const group = { ...this.defaults, ...options, params: list } as ParamGroup<O>
    this.validate(group)
    const { params: _list, ...values } = group
    this.paramGroups.push(watchedGroup(values, list) as ParamGroup<O>)
    structureChanged() // compiled plans hold the optimiser's calls for the parameters it had
  }

  /** Forget the gradients of every parameter: `.grad = null` (PyTorch 2's default), or zero them with `setToNone = false`. */
  zeroGrad(setToNone = true): void {
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (!p.grad) continue
        if (setToNone) p.grad = null
        else fillArray(floatsOf(p.grad), 0)
      }
    }
  }

  /**
   * One optimisation step over every parameter that has a gradient. `closure`, if given,
   * recomputes the loss (zeroGrad, forward, backward) and its result is returned, as in PyTorch.
   */
  step(closure?: () => Tensor): Tensor | undefined {
    this.checkAlive('step')
    const rec = recording
    if (rec !== null) {
      // Compiled: the update runs live at every call (step counts, first-step flags, a changed lr).
      if (closure) rec.fail(`${this.optimizerName()}.step(closure): compile the closure's body instead`)
      else {
        const cls = this.constructor as typeof Optimizer
        const own = Object.prototype.hasOwnProperty.call(cls, 'stepReadsOnlyState') && cls.stepReadsOnlyState
        rec.opaque(`${this.optimizerName()}.step()`, () => this.step(), own ? this : undefined)
        return undefined
      }
    }
    const loss = closure ? closure() : undefined
    noGrad(this.updateAll)
    this.countUpdates()
    return loss
  }

  /** Every parameter's update (plain loops: a compiled step replays this at every call). */
  private readonly updateAll = (): void => {
    const groups = this.paramGroups
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g]
      const params = group.params
      const options = optionsOf(group)
      for (let i = 0; i < params.length; i++) {
        const p = params[i]
        if ((p as { disposed?: boolean }).disposed === true) throw new Error(`${this.optimizerName()}.step: parameter ${i} of param group ${g} ${formatShape(p.shape)} was disposed (module.dispose()) or replaced (module.to(dtype)); make the optimiser from the module's parameters as they are now`)
        const grad = p.grad
        if (gradWatch !== null) gradWatch(p, grad)
        if (grad === null || !p.requiresGrad) continue
        let state = this.state.get(p)
        if (!state) {
          state = {} as S
          this.state.set(p, state)
        }
        this.updateParameter(p, grad, options, state)
      }
    }
  }

  /**
   * @internal Bumps the version of each parameter step() updated, as PyTorch's in-place update
   * does: a graph that saved one refuses a later backward. (Also called by a compiled replay
   * that skipped step() but whose kernels updated the parameters, src/compile/repeat-guard.ts.)
   */
  countUpdates(): void {
    const groups = this.paramGroups
    for (let g = 0; g < groups.length; g++) {
      const params = groups[g].params
      for (let i = 0; i < params.length; i++) if (params[i].grad !== null && params[i].requiresGrad) bumpVersion(params[i])
    }
  }

  /**
   * The state and options, as PyTorch's state_dict(): parameters are numbered in group order;
   * state tensors share memory with the live ones (clone them to keep a snapshot).
   */
  stateDict(): OptimizerStateDict {
    this.checkAlive('stateDict')
    const state: OptimizerStateDict['state'] = {}
    const paramGroups: OptimizerStateDict['paramGroups'] = []
    let index = 0
    for (const group of this.paramGroups) {
      const { params, ...options } = group
      const ids: number[] = []
      for (const p of params) {
        const s = this.state.get(p)
        if (s) {
          const entry: Record<string, Tensor | number> = {}
          for (const [key, v] of Object.entries(s)) if (v !== undefined) entry[key] = v instanceof Tensor ? v.detach() : v
          state[index] = entry
        }
        ids.push(index++)
      }
      paramGroups.push({ ...structuredCloneOptions(options), params: ids })
    }
    return { state, paramGroups }
  }

  /**
   * Restore state and options saved by stateDict() from an optimiser over parameters of the same
   * shapes, in the same groups. State tensors are copied into this optimiser's own memory.
   */
  loadStateDict(stateDict: OptimizerStateDict): void {
    const op = `${this.optimizerName()}.loadStateDict`
    this.checkAlive('loadStateDict')
    if (!stateDict || typeof stateDict !== 'object' || !Array.isArray(stateDict.paramGroups) || typeof stateDict.state !== 'object') {
      throw new TypeError(`${op}: expected { state, paramGroups } as returned by stateDict()`)
    }
    const saved = stateDict.paramGroups
    if (saved.length !== this.paramGroups.length) {
      throw new Error(`${op}: the state dict has ${saved.length} parameter groups, this optimiser has ${this.paramGroups.length}`)
    }
    const byIndex = new Map<number, Tensor>()
    const groups = saved.map((sg, g) => {
      const own = this.paramGroups[g]
      if (!Array.isArray(sg.params) || sg.params.length !== own.params.length) {
        throw new Error(`${op}: param group ${g} of the state dict has ${sg.params?.length} parameters, this optimiser's has ${own.params.length}`)
      }
      sg.params.forEach((id, i) => byIndex.set(id, own.params[i]))
      const { params: _ids, ...options } = sg
      checkOptionKeys(`${op} param group ${g}`, options, Object.keys(this.defaults))
      const group = { ...own, ...structuredCloneOptions(options), params: own.params } as ParamGroup<O>
      this.validate(group)
      return group
    })
    const states = new Map<Tensor, S>()
    for (const [key, entry] of Object.entries(stateDict.state)) {
      const p = byIndex.get(Number(key))
      if (!p) throw new Error(`${op}: the state dict has state for parameter ${key}, which no param group lists`)
      const s: ParamState = {}
      for (const [name, v] of Object.entries(entry)) {
        if (v instanceof Tensor) {
          if (!sameShape(v.shape, p.shape)) {
            throw new Error(`${op}: state '${name}' of parameter ${key} has shape ${formatShape(v.shape)}, but the parameter has shape ${formatShape(p.shape)}`)
          }
          const t = stateTensor(p)
          t.data.set(v.data)
          s[name] = t
        } else if (typeof v === 'number') {
          s[name] = v
        } else {
          throw new TypeError(`${op}: state '${name}' of parameter ${key} is ${typeof v}; expected a Tensor or a number`)
        }
      }
      states.set(p, s as S)
    }
    // Everything checked: apply.
    groups.forEach((group, g) => Object.assign(this.paramGroups[g], group))
    this.state.clear()
    for (const [p, s] of states) this.state.set(p, s)
  }

  /**
   * Free the optimiser's state (momentum buffers, moments: parameter memory, in wasm memory)
   * now, rather than when the garbage collector finalises it. Using the optimiser afterwards is
   * an error, and so is reading a state tensor taken from it (stateDict() shares them). The
   * parameters stay: `module.dispose()` frees those.
   */
  dispose(): void {
    if (this.disposed) return
    let index = 0
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        const s = this.state.get(p)
        if (s) {
          for (const [key, v] of Object.entries(s)) {
            if (v instanceof StateTensor) {
              v.release(
                `${this.optimizerName()} state '${key}' of parameter ${index} ${formatShape(p.shape)} was disposed ` +
                  '(optimizer.dispose() freed its memory); it can no longer be used',
              )
            }
          }
        }
        index++
      }
    }
    this.state.clear()
    this.disposed = true
  }

  private checkAlive(op: string): void {
    if (this.disposed) throw new Error(`${this.optimizerName()}.${op}: this optimiser was disposed; create a new one`)
  }

  /** Like PyTorch's repr: the class name, then each group's options in key order. */
  toString(): string {
    const lines = [`${this.optimizerName()} (`]
    this.paramGroups.forEach((group, g) => {
      lines.push(`Parameter Group ${g}`)
      const { params: _params, ...options } = group
      for (const key of Object.keys(options).sort()) lines.push(`    ${key}: ${formatValue((options as Record<string, unknown>)[key])}`)
    })
    lines.push(')')
    return lines.join('\n')
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString()
  }
}

function formatValue(v: unknown): string {
  return Array.isArray(v) ? `[${v.join(', ')}]` : String(v)
}

/** Group options are numbers, booleans and short arrays of numbers (betas): copy the arrays. */
function structuredCloneOptions<T extends object>(options: T): T {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(options)) out[k] = Array.isArray(v) ? [...v] : v
  return out as T
}

/** A float tensor's elements for a kernel call (read afresh: never keep them across calls). */
export function floatsOf(t: Tensor): FloatArray {
  return t.data as FloatArray
}

/** `value` as a finite number >= 0, or PyTorch's error for it ('Invalid learning rate: -1'). */
export function checkNonNegative(op: string, what: string, value: unknown, name: string): number {
  if (typeof value !== 'number' || Number.isNaN(value)) throw new TypeError(`${op}: ${name} must be a number, got ${typeof value === 'number' ? value : typeof value}`)
  if (!(value >= 0)) throw new RangeError(`${op}: invalid ${what}: ${value} (${name} must be >= 0)`)
  return value
}
