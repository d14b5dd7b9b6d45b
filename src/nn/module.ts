import { fillArray, structureChanged } from '../compile/hooks.js'
import { noGrad } from '../autograd/grad-mode.js'
import { bumpVersion } from '../autograd/version.js'
import { isFloat, type FloatDType } from '../dtype.js'
import { formatShape, sameShape } from '../shape.js'
import { Tensor } from '../tensor.js'
import { Parameter } from './parameter.js'
import { className, moduleRepr } from './repr.js'

export { className, pyBool } from './repr.js'

/** Any module, whatever its forward's arguments and result (for containers and registries). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModule = Module<never[], unknown>

/** A state dict: fully qualified name (`"0.weight"`) → tensor, in registration order. */
export type StateDict = Record<string, Tensor>

/** What `loadStateDict(dict, false)` reports (PyTorch's `_IncompatibleKeys`). */
export interface IncompatibleKeys {
  missingKeys: string[]
  unexpectedKeys: string[]
}

/**
 * The base class of every layer and model, like torch.nn.Module.
 *
 * TypeScript has no `__setattr__`, so parameters, buffers and submodules are registered
 * explicitly; each register call returns what it was given, so a field is declared and
 * registered in one line:
 *
 * @example
 * class Net extends nn.Module {
 *   readonly hidden1 = this.registerModule('hidden1', new nn.Linear(3, 3))
 *   readonly act = this.registerModule('act', new nn.ReLU())
 *   forward(x: Tensor): Tensor {
 *     return this.act.forward(this.hidden1.forward(x))
 *   }
 * }
 * new Net().namedParameters().map(([name]) => name)   // ['hidden1.weight', 'hidden1.bias']
 *
 * Names follow PyTorch's state-dict keys: a parameter `weight` of the child `hidden1` is
 * `"hidden1.weight"`; children of a Sequential are named `"0"`, `"1"`, ...
 *
 * `Args` and `Out` type `forward`: `Module<[Tensor], Tensor>` (the default) for layers,
 * `Module<[Tensor, Tensor], Tensor>` for losses.
 */
export abstract class Module<Args extends unknown[] = [Tensor], Out = Tensor> {
  /** True in training mode (the default), false after eval(). */
  training = true
  private readonly registeredParameters = new Map<string, Parameter | null>()
  private readonly registeredBuffers = new Map<string, Tensor | null>()
  private readonly nonPersistentBuffers = new Set<string>()
  private readonly registeredModules = new Map<string, AnyModule | null>()
  /** ownModules(), made again only after registerModule (Sequential's forward reads it at every call). */
  private ownModulesList: AnyModule[] | null = null

  /** The computation. Call it directly: `model.forward(x)`, `loss.forward(input, target)`. */
  abstract forward(...args: Args): Out

  /**
   * Add a parameter under `name` (or replace the one there). `null` declares an absent
   * parameter, as Linear's bias with `bias: false`: it appears in no list and no state dict.
   */
  registerParameter<P extends Parameter | null>(name: string, param: P): P {
    this.checkName('registerParameter', 'parameter', name, this.registeredParameters)
    if (param !== null && !(param instanceof Parameter)) {
      const given: unknown = param
      const what = given instanceof Tensor ? `a plain Tensor of shape ${formatShape(given.shape)}` : String(given)
      throw new TypeError(`registerParameter: cannot register ${what} as parameter '${name}': an nn.Parameter or null is required; wrap it: new nn.Parameter(t)`)
    }
    this.registeredParameters.set(name, param)
    structureChanged()
    return param
  }

  /**
   * Add a tensor that is state but not a parameter (optimisers do not see it), e.g. a loss's
   * class weights. Persistent buffers are part of the state dict.
   */
  registerBuffer<T extends Tensor | null>(name: string, tensor: T, { persistent = true }: { persistent?: boolean } = {}): T {
    this.checkName('registerBuffer', 'buffer', name, this.registeredBuffers)
    if (tensor !== null && !(tensor instanceof Tensor)) {
      throw new TypeError(`registerBuffer: cannot register ${String(tensor)} as buffer '${name}': a Tensor or null is required`)
    }
    this.registeredBuffers.set(name, tensor)
    structureChanged()
    if (persistent) this.nonPersistentBuffers.delete(name)
    else this.nonPersistentBuffers.add(name)
    return tensor
  }

  /** Add a child module under `name` (or replace the one there); its parameters become `name.<...>`. */
  registerModule<M extends AnyModule | null>(name: string, module: M): M {
    this.checkName('registerModule', 'module', name, this.registeredModules)
    if (module !== null && !(module instanceof Module)) {
      throw new TypeError(`registerModule: cannot register ${module instanceof Tensor ? 'a Tensor' : String(module)} as module '${name}': an nn.Module or null is required`)
    }
    this.registeredModules.set(name, module)
    this.ownModulesList = null
    structureChanged()
    return module
  }

  private checkName(op: string, kind: string, name: string, own: Map<string, unknown>): void {
    if (typeof name !== 'string') throw new TypeError(`${op}: the ${kind} name must be a string, got ${typeof name}`)
    if (name === '') throw new Error(`${op}: the ${kind} name cannot be empty`)
    if (name.includes('.')) throw new Error(`${op}: the ${kind} name "${name}" cannot contain "."; register the child module instead`)
    const taken: [string, Map<string, unknown>][] = [
      ['parameter', this.registeredParameters],
      ['buffer', this.registeredBuffers],
      ['module', this.registeredModules],
    ]
    for (const [other, map] of taken) {
      if (map !== own && map.has(name)) throw new Error(`${op}: "${name}" is already registered as a ${other} of this ${this.moduleName()}`)
    }
  }

  /** The class name, as printed by toString() (PyTorch's `_get_name`). */
  protected moduleName(): string {
    return className(this.constructor)
  }

  // ---- traversal ---------------------------------------------------------

  /** The direct children with their names, in registration order. */
  namedChildren(): [string, AnyModule][] {
    const out: [string, AnyModule][] = []
    const seen = new Set<AnyModule>()
    for (const [name, m] of this.registeredModules) {
      if (m && !seen.has(m)) {
        seen.add(m)
        out.push([name, m])
      }
    }
    return out
  }

  children(): AnyModule[] {
    return this.namedChildren().map(([, m]) => m)
  }

  /** This module (named `prefix`, '' by default) and every module below it, each once. */
  namedModules(prefix = ''): [string, AnyModule][] {
    const out: [string, AnyModule][] = []
    const seen = new Set<AnyModule>()
    const walk = (m: AnyModule, name: string): void => {
      if (seen.has(m)) return
      seen.add(m)
      out.push([name, m])
      for (const [childName, child] of m.registeredModules) if (child) walk(child, name ? `${name}.${childName}` : childName)
    }
    walk(this, prefix)
    return out
  }

  modules(): AnyModule[] {
    return this.namedModules().map(([, m]) => m)
  }

  /** Every parameter with its state-dict name (`"0.weight"`); a parameter shared by two modules is listed once. */
  namedParameters(prefix = '', recurse = true): [string, Parameter][] {
    return this.namedMembers(prefix, recurse, (m) => m.registeredParameters) as [string, Parameter][]
  }

  /** Every parameter, as an optimiser wants them: `new optim.SGD(model.parameters(), { lr: 0.01 })`. */
  parameters(recurse = true): Parameter[] {
    return this.namedParameters('', recurse).map(([, p]) => p)
  }

  namedBuffers(prefix = '', recurse = true): [string, Tensor][] {
    return this.namedMembers(prefix, recurse, (m) => m.registeredBuffers)
  }

  buffers(recurse = true): Tensor[] {
    return this.namedBuffers('', recurse).map(([, b]) => b)
  }

  private namedMembers(prefix: string, recurse: boolean, members: (m: AnyModule) => Map<string, Tensor | null>): [string, Tensor][] {
    const out: [string, Tensor][] = []
    const seen = new Set<Tensor>()
    const modules = recurse ? this.namedModules(prefix) : ([[prefix, this]] as [string, AnyModule][])
    for (const [moduleName, m] of modules) {
      for (const [name, t] of members(m)) {
        if (!t || seen.has(t)) continue
        seen.add(t)
        out.push([moduleName ? `${moduleName}.${name}` : name, t])
      }
    }
    return out
  }

  /** The submodule at a dotted path: `model.getSubmodule('encoder.0')`. */
  getSubmodule(target: string): AnyModule {
    let m: AnyModule = this
    if (target === '') return m
    for (const part of target.split('.')) {
      const child = m.registeredModules.get(part)
      if (!child) throw new Error(`getSubmodule: ${m.moduleName()} has no submodule "${part}" (looking up "${target}")`)
      m = child
    }
    return m
  }

  /** This module's own parameter `name` (not a child's), or null if absent or registered as null. */
  protected ownParameter(name: string): Parameter | null {
    return this.registeredParameters.get(name) ?? null
  }

  /** This module's own buffer `name`, or null if absent or registered as null. */
  protected ownBuffer(name: string): Tensor | null {
    return this.registeredBuffers.get(name) ?? null
  }

  /** This module's registered children in order, repeats included (what Sequential runs). */
  protected ownModules(): readonly AnyModule[] {
    return (this.ownModulesList ??= [...this.registeredModules.values()].filter((m): m is AnyModule => m !== null))
  }

  /** The parameter at a dotted path: `model.getParameter('0.weight')`. */
  getParameter(target: string): Parameter {
    const dot = target.lastIndexOf('.')
    const owner = this.getSubmodule(dot < 0 ? '' : target.slice(0, dot))
    const p = owner.registeredParameters.get(target.slice(dot + 1))
    if (!p) throw new Error(`getParameter: ${owner.moduleName()} has no parameter "${target.slice(dot + 1)}" (looking up "${target}")`)
    return p
  }

  /** Run `fn` on every submodule (children first) and then on this one, e.g. for custom init. */
  apply(fn: (m: AnyModule) => void): this {
    for (const child of this.children()) child.apply(fn)
    fn(this)
    return this
  }

  // ---- state dict ----------------------------------------------------------

  /**
   * Parameters and persistent buffers by name, like PyTorch's state_dict(): for each module,
   * its own parameters, then its buffers, then its children's. The tensors share memory with the
   * live ones (as PyTorch's do) and carry no grad: `.clone()` them to keep a snapshot.
   */
  stateDict(): StateDict {
    const out: StateDict = {}
    for (const [key, t] of this.stateEntries()) out[key] = t.detach()
    return out
  }

  /** Every (key, live tensor) of the state dict; a tied parameter appears under each of its names. */
  private stateEntries(): [string, Tensor][] {
    const out: [string, Tensor][] = []
    const walk = (m: AnyModule, prefix: string): void => {
      for (const [name, p] of m.registeredParameters) if (p) out.push([prefix + name, p])
      for (const [name, b] of m.registeredBuffers) if (b && !m.nonPersistentBuffers.has(name)) out.push([prefix + name, b])
      for (const [name, child] of m.registeredModules) if (child) walk(child, `${prefix}${name}.`)
    }
    walk(this, '')
    return out
  }

  /**
   * Copy values from `stateDict` into this module's parameters and buffers, in place (the
   * tensors, and any optimiser holding them, stay the same objects). Values of another float
   * dtype are converted.
   *
   * With `strict` (the default) a key of the model missing from the dict, or a key of the dict the
   * model lacks, is an error; with `strict = false` they are returned instead. A shape mismatch is
   * always an error. Unlike PyTorch, nothing is copied when any error is raised.
   */
  loadStateDict(stateDict: StateDict | Map<string, Tensor>, strict = true): IncompatibleKeys {
    if (stateDict === null || typeof stateDict !== 'object') {
      throw new TypeError(`loadStateDict: expected an object mapping names to tensors, got ${stateDict === null ? 'null' : typeof stateDict}`)
    }
    const given = new Map<string, unknown>(stateDict instanceof Map ? stateDict : Object.entries(stateDict))
    const own = this.stateEntries()
    const ownKeys = new Set(own.map(([key]) => key))
    const missingKeys: string[] = []
    const errors: string[] = []
    const copies: [Tensor, Tensor][] = []
    for (const [key, target] of own) {
      if (!given.has(key)) {
        missingKeys.push(key)
        continue
      }
      const source = given.get(key)
      if (!(source instanceof Tensor)) {
        errors.push(`the value for ${key} is ${source === null ? 'null' : typeof source}, not a Tensor`)
      } else if (!sameShape(source.shape, target.shape)) {
        errors.push(
          `size mismatch for ${key}: copying a param with shape ${formatShape(source.shape)} from the state dict, ` +
            `the shape in current model is ${formatShape(target.shape)}`,
        )
      } else {
        copies.push([target, source])
      }
    }
    const unexpectedKeys = [...given.keys()].filter((key) => !ownKeys.has(key))
    if (strict) {
      if (missingKeys.length > 0) errors.unshift(`missing key(s) in the state dict: ${missingKeys.map((k) => `"${k}"`).join(', ')}`)
      if (unexpectedKeys.length > 0) errors.splice(missingKeys.length > 0 ? 1 : 0, 0, `unexpected key(s) in the state dict: ${unexpectedKeys.map((k) => `"${k}"`).join(', ')}`)
    }
    if (errors.length > 0) {
      const hint = strict && (missingKeys.length > 0 || unexpectedKeys.length > 0) ? ' (pass strict = false to load only the matching keys)' : ''
      throw new Error(`loadStateDict: ${errors.join('; ')}${hint}; nothing was loaded into ${this.moduleName()}`)
    }
    noGrad(() => {
      for (const [target, source] of copies) {
        target.data.set(source.data)
        bumpVersion(target) // PyTorch loads with copy_
      }
    })
    return { missingKeys, unexpectedKeys }
  }

  // ---- training ------------------------------------------------------------

  /** Forget the gradients: `.grad = null` (PyTorch 2's default), or zero them in place with `setToNone = false`. */
  zeroGrad(setToNone = true): void {
    for (const p of this.parameters()) {
      if (!p.grad) continue
      if (setToNone) p.grad = null
      else fillArray(p.grad.data, 0)
    }
  }

  /** Set training mode (true) or evaluation mode (false) here and in every submodule. */
  train(mode = true): this {
    if (typeof mode !== 'boolean') throw new TypeError(`train: mode must be a boolean, got ${typeof mode}`)
    if (this.training !== mode) structureChanged() // compiled plans recorded in the other mode are stale
    this.training = mode
    for (const child of this.children()) child.train(mode)
    return this
  }

  /** Evaluation mode: `train(false)`. */
  eval(): this {
    return this.train(false)
  }

  /**
   * Free the memory of every parameter of this module and its submodules (values and gradient
   * buffers, in wasm memory: see nn.Parameter) now, rather than when the garbage collector
   * finalises them. Using the module's parameters afterwards throws an error naming the
   * parameter. A parameter shared with another module is freed for both. Buffers are ordinary
   * JS memory and stay. Calls dispose() on every child, so overriding modules are reached.
   */
  dispose(): void {
    for (const [name, p] of this.namedParameters()) {
      p.release(`Parameter ${name} ${formatShape(p.shape)} was disposed (module.dispose() freed its memory)`)
    }
    for (const child of this.children()) child.dispose()
  }

  /**
   * Convert every float parameter and buffer to `dtype` (PyTorch's `module.to(dtype)`): each is
   * replaced by a converted copy (tied ones stay tied) and the old parameter is released, so an
   * optimiser made before fails naming it: make optimisers afterwards. Integer buffers
   * (num_batches_tracked) stay.
   */
  to(dtype: FloatDType): this {
    if (dtype !== 'float32' && dtype !== 'float64') throw new TypeError(`to: a module converts to float32 or float64, got ${String(dtype)}`)
    const done = new Map<Tensor, Tensor>()
    const convert = <T extends Tensor>(t: T, make: (t: T) => T): T => done.get(t) as T ?? (done.set(t, t.dtype === dtype || !isFloat(t.dtype) ? t : make(t)).get(t) as T)
    for (const m of this.modules()) {
      for (const [k, p] of m.registeredParameters) if (p) m.registeredParameters.set(k, convert(p, (q) => q.convertedTo(dtype, k)))
      for (const [k, b] of m.registeredBuffers) if (b) m.registeredBuffers.set(k, convert(b, (q) => q.to(dtype)))
    }
    return this
  }

  /** `to('float64')`. */
  double(): this {
    return this.to('float64')
  }

  /** `to('float32')`. */
  float(): this {
    return this.to('float32')
  }

  // ---- printing ------------------------------------------------------------

  /** The module's own settings for toString(), e.g. `in_features=3, out_features=2, bias=True`. */
  extraRepr(): string {
    return ''
  }

  /** PyTorch's module repr: `Sequential(\n  (0): Linear(in_features=3, out_features=3, bias=True)\n  ...)`. */
  toString(): string {
    return moduleRepr(this.moduleName(), this.extraRepr(), this.registeredModules)
  }

  /** console.log(model) in Node prints like PyTorch's print(model). */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString()
  }
}

