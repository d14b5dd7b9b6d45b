import type { Tensor } from '../tensor.js'
import { Module } from './module.js'

/** A module that maps one tensor to one tensor: what a Sequential can chain. */
export type SequentialModule = Module<[Tensor], Tensor>

/** `seq.at(i)`'s type: the module's own class for a literal index into a Sequential built from a list. */
export type ModuleAt<L extends SequentialModule[], I extends number> = `${I}` extends keyof L ? L[I] : L[number]

/**
 * Modules applied in order, each to the previous one's output, like torch.nn.Sequential.
 * Children are named `"0"`, `"1"`, ... (so parameters are `"0.weight"`, `"2.bias"` ...), or by
 * the keys of an object given instead of a list, like PyTorch's OrderedDict form.
 *
 * @example
 * const model = new nn.Sequential(new nn.Linear(3, 3), new nn.ReLU(), new nn.Linear(3, 2), new nn.Sigmoid())
 * model.forward(yann.tensor([0.23, 0.82, 0.47]))   // shape [2]
 * String(model)
 * // Sequential(
 * //   (0): Linear(in_features=3, out_features=3, bias=True)
 * //   (1): ReLU()
 * //   ...
 */
export class Sequential<L extends SequentialModule[] = SequentialModule[]> extends Module {
  static readonly displayName: string = 'Sequential'

  constructor(...modules: L)
  constructor(named: Record<string, SequentialModule>)
  constructor(...args: (SequentialModule | Record<string, SequentialModule>)[]) {
    super()
    if (args.length === 1 && !(args[0] instanceof Module) && args[0] !== null && typeof args[0] === 'object') {
      for (const [name, m] of Object.entries(args[0])) this.add(name, m, `"${name}"`)
    } else {
      args.forEach((m, i) => this.add(String(i), m as SequentialModule, `${i}`))
    }
  }

  private add(name: string, m: SequentialModule, where: string): void {
    if (!(m instanceof Module)) {
      const hint = typeof m === 'function' ? ` (did you pass the class instead of an instance, e.g. nn.ReLU instead of new nn.ReLU()?)` : ''
      throw new TypeError(`Sequential: argument ${where} is ${m === null ? 'null' : typeof m}, not an nn.Module${hint}`)
    }
    this.registerModule(name, m)
  }

  /** The modules in order, read from the registry so registerModule('1', m) replaces one. */
  private get layers(): readonly SequentialModule[] {
    return this.ownModules() as readonly SequentialModule[]
  }

  /** Append a module at the end (named by its position). */
  append(m: SequentialModule): this {
    this.add(String(this.layers.length), m, `${this.layers.length}`)
    return this
  }

  /** The number of modules. */
  get length(): number {
    return this.layers.length
  }

  /** The module at `index` (negative counts from the end), like `seq[i]` in PyTorch; typed as that module's class for a literal index. */
  at<I extends number>(index: I): ModuleAt<L, I> {
    const i = index < 0 ? index + this.layers.length : index
    if (!Number.isInteger(index) || i < 0 || i >= this.layers.length) {
      throw new RangeError(`Sequential.at: index ${index} is out of range for a Sequential of ${this.layers.length} modules`)
    }
    return this.layers[i] as ModuleAt<L, I>
  }

  [Symbol.iterator](): Iterator<SequentialModule> {
    return this.layers[Symbol.iterator]()
  }

  forward(input: Tensor): Tensor {
    let x = input
    for (const m of this.layers) x = m.forward(x)
    return x
  }
}
