import type { FloatDType } from '../dtype.js'
import { Parameter } from '../nn/parameter.js'
import type { Tensor } from '../tensor.js'
import type { Initializer } from './initializers.js'
import { LayerVariable } from './variable.js'

/** A shape whose first (batch) dim may be unknown: `[null, 3]` is Keras's `(None, 3)`. */
export type SymbolicShape = readonly (number | null)[]

export interface LayerArgs {
  /** Unique names are made from the class (`'dense'`, `'dense_1'`, ...) when not given. */
  name?: string
  /** The shape of one sample, without the batch dim: `[3]`. Only the first layer of a model needs it. */
  inputShape?: readonly number[]
  /** The shape with the batch dim: `[null, 3]`. */
  batchInputShape?: SymbolicShape
  /** Shorthand for `inputShape: [inputDim]`. */
  inputDim?: number
  /** False freezes the layer's weights. Default true. */
  trainable?: boolean
  /** Default 'float32'. */
  dtype?: FloatDType
}

/** LayerArgs' keys, for layers' checkOptionKeys. */
export const LAYER_ARGS = ['name', 'inputShape', 'batchInputShape', 'inputDim', 'trainable', 'dtype'] as const

const nameCounts = new Map<string, number>()

/** Keras's automatic names: `'dense'`, then `'dense_1'`, `'dense_2'`, ... per prefix, process-wide. */
export function uniqueName(prefix: string): string {
  const n = nameCounts.get(prefix) ?? 0
  nameCounts.set(prefix, n + 1)
  return n === 0 ? prefix : `${prefix}_${n}`
}

/** Restart automatic names (`tf.keras.backend.clear_session()`): the next Dense is `'dense'` again. */
export function clearSession(): void {
  nameCounts.clear()
}

/** `'Dense'` → `'dense'`, `'BatchNormalization'` → `'batch_normalization'`. */
function snakeCase(className: string): string {
  return className.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()
}

/**
 * The base of Keras-style layers: a name, weights created lazily by `build(inputShape)` on first
 * use, and `call(x)`. Weights are `nn.Parameter`s, so yann's optimizers train them.
 */
export abstract class Layer {
  readonly name: string
  trainable: boolean
  readonly dtype: FloatDType
  /** The input shape given at construction (with a null batch dim), or null. */
  readonly batchInputShape: SymbolicShape | null
  protected built = false
  private readonly variables: LayerVariable[] = []

  constructor(args: LayerArgs, className: string) {
    this.name = args.name ?? uniqueName(snakeCase(className))
    this.trainable = args.trainable ?? true
    this.dtype = args.dtype ?? 'float32'
    if (this.dtype !== 'float32' && this.dtype !== 'float64') {
      throw new TypeError(`${className}: dtype must be 'float32' or 'float64', got ${JSON.stringify(this.dtype)}`)
    }
    const shape = args.batchInputShape ?? (args.inputShape ? [null, ...args.inputShape] : args.inputDim !== undefined ? [null, args.inputDim] : null)
    if (shape && (!Array.isArray(shape) || shape.slice(1).some((d) => !Number.isInteger(d) || (d as number) <= 0))) {
      throw new TypeError(`${className} '${this.name}': inputShape must be positive integers (without the batch dim), got ${JSON.stringify(args.inputShape ?? args.batchInputShape ?? args.inputDim)}`)
    }
    this.batchInputShape = shape
  }

  /** Keras's class name (`'Dense'`), shown by summary(). */
  abstract getClassName(): string

  /** Create the weights for inputs of `inputShape` (called once, by apply()). */
  abstract build(inputShape: SymbolicShape): void

  /** The layer's computation on a built layer. */
  abstract call(x: Tensor): Tensor

  /** The output shape for inputs of `inputShape`. */
  abstract computeOutputShape(inputShape: SymbolicShape): SymbolicShape

  get isBuilt(): boolean {
    return this.built
  }

  /** True during this layer's call from fit() (dropout and batch normalisation read it). */
  protected training = false

  /** Build (on first use) and call: TensorFlow.js's `layer.apply(x, { training })` (training defaults to false). */
  apply(x: Tensor, kwargs: { training?: boolean } = {}): Tensor {
    this.ensureBuilt([null, ...x.shape.slice(1)])
    this.training = kwargs.training ?? false
    return this.call(x)
  }

  ensureBuilt(inputShape: SymbolicShape): void {
    if (this.built) return
    this.build(inputShape)
    this.built = true
  }

  /** Every weight, in creation order (`kernel`, then `bias`). */
  get weights(): LayerVariable[] {
    return [...this.variables]
  }

  get trainableWeights(): LayerVariable[] {
    return this.trainable ? this.variables.filter((v) => v.trainable) : []
  }

  get nonTrainableWeights(): LayerVariable[] {
    return this.trainable ? this.variables.filter((v) => !v.trainable) : [...this.variables]
  }

  /** The number of weight elements. */
  countParams(): number {
    return this.variables.reduce((n, v) => n + v.read().numel(), 0)
  }

  /** Create a weight `'<layer>/<name>'` from an initializer. */
  protected addWeight(name: string, shape: readonly number[], initializer: Initializer, trainable = true): Parameter {
    const init = initializer.apply(shape, this.dtype)
    const p = new Parameter(init.dtype === this.dtype ? init : init.to(this.dtype), trainable)
    this.variables.push(new LayerVariable(`${this.name}/${name}`, p, trainable))
    return p
  }
}
