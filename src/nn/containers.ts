import { requireTensor } from '../argument-checks.js'
import { formatShape, normalizeDim } from '../shape.js'
import type { Tensor } from '../tensor.js'
import { Module, type AnyModule } from './module.js'
import { checkOptionKeys } from './options.js'

/** Containers that hold modules (ModuleList, ModuleDict) and the shape-only layers (Identity, Flatten, Unflatten). */

function checkModule(op: string, m: unknown, where: string): AnyModule {
  if (!(m instanceof Module)) {
    const hint = typeof m === 'function' ? ' (did you pass the class instead of an instance?)' : ''
    throw new TypeError(`${op}: ${where} is ${m === null ? 'null' : typeof m}, not an nn.Module${hint}`)
  }
  return m as AnyModule
}

/**
 * A list of modules whose parameters the parent sees, like torch.nn.ModuleList: children are
 * named "0", "1", ... It has no forward: iterate it in the parent's forward.
 *
 * @example
 * class Net extends nn.Module {
 *   readonly layers = this.registerModule('layers', new nn.ModuleList([new nn.Linear(4, 4), new nn.Linear(4, 2)]))
 *   forward(x: Tensor): Tensor {
 *     for (const layer of this.layers) x = layer.forward(x)
 *     return x
 *   }
 * }
 */
export class ModuleList<M extends AnyModule = AnyModule> extends Module<never[], never> {
  static readonly displayName: string = 'ModuleList'

  constructor(modules: Iterable<M> = []) {
    super()
    for (const m of modules) this.append(m)
  }

  private get items(): readonly M[] {
    return this.ownModules() as readonly M[]
  }

  /** The number of modules. */
  get length(): number {
    return this.items.length
  }

  /** The module at `index` (negative counts from the end). */
  at(index: number): M {
    return this.items[this.position('at', index, this.length)]
  }

  /** Replace the module at `index`. */
  set(index: number, m: M): void {
    this.registerModule(String(this.position('set', index, this.length)), checkModule('ModuleList.set', m, 'the module'))
  }

  /** Add a module at the end. */
  append(m: M): this {
    this.registerModule(String(this.length), checkModule('ModuleList.append', m, `module ${this.length}`))
    return this
  }

  /** Add every module of `modules` at the end. */
  extend(modules: Iterable<M>): this {
    for (const m of modules) this.append(m)
    return this
  }

  /** Insert a module before `index`; the later ones move up one name ("2" becomes "3"). */
  insert(index: number, m: M): void {
    const n = this.length
    const i = this.position('insert', index, n + 1)
    checkModule('ModuleList.insert', m, 'the module')
    const items = this.items
    for (let k = n; k > i; k--) this.registerModule(String(k), items[k - 1])
    this.registerModule(String(i), m)
  }

  private position(op: string, index: number, n: number): number {
    const i = index < 0 ? index + n : index
    if (!Number.isInteger(index) || i < 0 || i >= n) throw new RangeError(`ModuleList.${op}: index ${index} is out of range for a ModuleList of ${this.length} modules`)
    return i
  }

  [Symbol.iterator](): Iterator<M> {
    return this.items[Symbol.iterator]()
  }

  forward(): never {
    throw new Error('ModuleList has no forward: call its modules in the forward of the module that holds it (for (const m of list) x = m.forward(x))')
  }
}

/**
 * Modules by name, like torch.nn.ModuleDict: the parent sees their parameters as `<key>.<name>`.
 * Keys keep insertion order. It has no forward.
 */
export class ModuleDict<M extends AnyModule = AnyModule> extends Module<never[], never> {
  static readonly displayName: string = 'ModuleDict'
  private readonly names: string[] = []

  constructor(entries: Record<string, M> | Iterable<[string, M]> = {}) {
    super()
    const list = Symbol.iterator in Object(entries) ? [...(entries as Iterable<[string, M]>)] : Object.entries(entries)
    for (const [key, m] of list) this.set(key, m)
  }

  /** The module under `key`; an unknown key is an error naming the known ones. */
  get(key: string): M {
    if (!this.names.includes(key)) throw new Error(`ModuleDict: no module under '${key}'; the keys are ${this.names.join(', ') || '(none)'}`)
    return this.getSubmodule(key) as M
  }

  /** Add or replace the module under `key`. */
  set(key: string, m: M): this {
    this.registerModule(key, checkModule('ModuleDict.set', m, `module '${key}'`))
    if (!this.names.includes(key)) this.names.push(key)
    return this
  }

  has(key: string): boolean {
    return this.names.includes(key)
  }

  /** Remove the module under `key` and return it. */
  pop(key: string): M {
    const m = this.get(key)
    this.registerModule(key, null)
    this.names.splice(this.names.indexOf(key), 1)
    return m
  }

  get size(): number {
    return this.names.length
  }

  keys(): string[] {
    return [...this.names]
  }

  values(): M[] {
    return this.names.map((k) => this.get(k))
  }

  entries(): [string, M][] {
    return this.names.map((k) => [k, this.get(k)])
  }

  [Symbol.iterator](): Iterator<[string, M]> {
    return this.entries()[Symbol.iterator]()
  }

  forward(): never {
    throw new Error("ModuleDict has no forward: call its modules in the forward of the module that holds it (dict.get('name').forward(x))")
  }
}

/** Returns its input unchanged, like torch.nn.Identity: a placeholder (e.g. a removed head). */
export class Identity extends Module {
  static readonly displayName: string = 'Identity'

  forward(input: Tensor): Tensor {
    return input
  }
}

/**
 * Flattens dims startDim..endDim into one, like torch.nn.Flatten (defaults 1 and −1: keeps the
 * batch dim). [N, C, H, W] → [N, C·H·W]. `new nn.Flatten(0)`, or `new nn.Flatten({ startDim: 0 })`.
 */
export class Flatten extends Module {
  static readonly displayName: string = 'Flatten'
  readonly startDim: number
  readonly endDim: number

  constructor(startDim?: number | { startDim?: number; endDim?: number }, endDim?: number) {
    super()
    if (startDim !== null && typeof startDim === 'object') {
      checkOptionKeys('Flatten', startDim, ['startDim', 'endDim'])
      ;({ startDim, endDim } = startDim)
    }
    this.startDim = startDim ?? 1
    this.endDim = endDim ?? -1
    for (const [name, v] of [['startDim', this.startDim], ['endDim', this.endDim]] as const) {
      if (!Number.isInteger(v)) throw new TypeError(`Flatten: ${name} must be an integer, got ${String(v)}`)
    }
  }

  forward(input: Tensor): Tensor {
    requireTensor('Flatten', 'the input', input)
    if (input.ndim === 0) return input.reshape([1])
    const start = normalizeDim('Flatten', this.startDim, input.ndim, input.shape)
    const end = normalizeDim('Flatten', this.endDim, input.ndim, input.shape)
    if (start > end) throw new Error(`Flatten: startDim ${this.startDim} comes after endDim ${this.endDim} for input of shape ${formatShape(input.shape)}`)
    const s = input.shape
    const merged = s.slice(start, end + 1).reduce((a, b) => a * b, 1)
    return input.reshape([...s.slice(0, start), merged, ...s.slice(end + 1)])
  }

  extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`
  }
}

/** Splits dim `dim` into `sizes`, like torch.nn.Unflatten: Unflatten(1, [C, H, W]) maps [N, C·H·W] → [N, C, H, W]. One size may be −1. */
export class Unflatten extends Module {
  static readonly displayName: string = 'Unflatten'
  readonly dim: number
  readonly sizes: readonly number[]

  constructor(dim: number, sizes: readonly number[]) {
    super()
    if (!Number.isInteger(dim)) throw new TypeError(`Unflatten: dim must be an integer, got ${String(dim)}`)
    if (!Array.isArray(sizes) || sizes.length === 0 || sizes.some((s) => !Number.isInteger(s) || (s < 0 && s !== -1)) || sizes.filter((s) => s === -1).length > 1) {
      throw new TypeError(`Unflatten: sizes must be a non-empty list of sizes (one may be -1), got ${JSON.stringify(sizes)}`)
    }
    this.dim = dim
    this.sizes = [...sizes]
  }

  forward(input: Tensor): Tensor {
    requireTensor('Unflatten', 'the input', input)
    const d = normalizeDim('Unflatten', this.dim, input.ndim, input.shape)
    const n = input.shape[d]
    const known = this.sizes.reduce((a, s) => (s === -1 ? a : a * s), 1)
    const sizes = this.sizes.map((s) => (s === -1 ? n / known : s))
    if (sizes.reduce((a, b) => a * b, 1) !== n || !sizes.every(Number.isInteger)) {
      throw new Error(`Unflatten: sizes ${JSON.stringify(this.sizes)} do not multiply to ${n}, the size of dim ${this.dim} of input ${formatShape(input.shape)}`)
    }
    return input.reshape([...input.shape.slice(0, d), ...sizes, ...input.shape.slice(d + 1)])
  }

  extraRepr(): string {
    return `dim=${this.dim}, unflattened_size=(${this.sizes.join(', ')})`
  }
}
