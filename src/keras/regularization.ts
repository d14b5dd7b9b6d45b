import { dropout } from '../ops/dropout.js'
import { batchNorm } from '../ops/norm.js'
import { permute } from '../ops/shape.js'
import type { Parameter } from '../nn/parameter.js'
import type { Tensor } from '../tensor.js'
import { getInitializer } from './initializers.js'
import { Layer, type LayerArgs, type SymbolicShape } from './layer.js'

/** TF.js's dropout and batchNormalization layers: active only while fit() trains (apply(x, { training: true })). */

export interface DropoutLayerArgs extends LayerArgs {
  rate: number
}

/** Zeroes inputs with probability `rate` while training (survivors × 1/(1 − rate)); identity otherwise. */
export class Dropout extends Layer {
  readonly rate: number
  constructor(args: DropoutLayerArgs) {
    super(args, 'Dropout')
    if (typeof args.rate !== 'number' || !(args.rate >= 0 && args.rate < 1)) throw new RangeError(`Dropout '${this.name}': rate must be in [0, 1), got ${args.rate}`)
    this.rate = args.rate
  }
  getClassName(): string {
    return 'Dropout'
  }
  build(): void {}
  call(x: Tensor): Tensor {
    return dropout(x, { p: this.rate, training: this.training })
  }
  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape
  }
}

export interface BatchNormalizationLayerArgs extends LayerArgs {
  /** The features axis: -1 (channelsLast, the default) or 1 (channelsFirst). */
  axis?: number
  /** Default 0.99: moving = momentum·moving + (1 − momentum)·batch. */
  momentum?: number
  /** Default 1e-3. */
  epsilon?: number
  center?: boolean
  scale?: boolean
}

/**
 * Batch normalisation over the features `axis`, TF.js's tf.layers.batchNormalization: gamma
 * (ones), beta (zeros), and the non-trainable movingMean (zeros) and movingVariance (ones),
 * updated while training (yann's running variance is the unbiased one, as PyTorch's).
 */
export class BatchNormalization extends Layer {
  readonly axis: number
  readonly momentum: number
  readonly epsilon: number
  gamma: Parameter | null = null
  beta: Parameter | null = null
  movingMean: Parameter | null = null
  movingVariance: Parameter | null = null
  private readonly center: boolean
  private readonly scale: boolean

  constructor(args: BatchNormalizationLayerArgs = {}) {
    super(args, 'BatchNormalization')
    const what = `BatchNormalization '${this.name}'`
    this.axis = args.axis ?? -1
    this.momentum = args.momentum ?? 0.99
    this.epsilon = args.epsilon ?? 1e-3
    if (!Number.isInteger(this.axis)) throw new TypeError(`${what}: axis must be an integer, got ${JSON.stringify(args.axis)}`)
    if (typeof this.momentum !== 'number' || !(this.momentum >= 0 && this.momentum <= 1)) throw new RangeError(`${what}: momentum must be a number in [0, 1], got ${JSON.stringify(args.momentum)}`)
    if (typeof this.epsilon !== 'number' || !(this.epsilon > 0)) throw new RangeError(`${what}: epsilon must be a positive number, got ${JSON.stringify(args.epsilon)}`)
    this.center = args.center ?? true
    this.scale = args.scale ?? true
  }
  getClassName(): string {
    return 'BatchNormalization'
  }
  build(inputShape: SymbolicShape): void {
    const axis = this.axis < 0 ? inputShape.length + this.axis : this.axis
    const n = inputShape[axis]
    if (axis < 1 || !(typeof n === 'number' && n > 0)) throw new Error(`BatchNormalization '${this.name}': cannot build for input shape [${inputShape.join(', ')}] on axis ${this.axis}`)
    if (this.scale) this.gamma = this.addWeight('gamma', [n], getInitializer('ones', 'gamma'))
    if (this.center) this.beta = this.addWeight('beta', [n], getInitializer('zeros', 'beta'))
    this.movingMean = this.addWeight('moving_mean', [n], getInitializer('zeros', 'moving_mean'), false)
    this.movingVariance = this.addWeight('moving_variance', [n], getInitializer('ones', 'moving_variance'), false)
  }
  call(x: Tensor): Tensor {
    const axis = this.axis < 0 ? x.ndim + this.axis : this.axis
    // yann's batchNorm normalises dim 1: move the features axis there and back.
    const order = [0, axis, ...x.shape.map((_, i) => i).filter((i) => i !== 0 && i !== axis)]
    const back = order.map((_, i) => order.indexOf(i))
    const moved = axis === 1 ? x : permute(x, order)
    const y = batchNorm(moved, this.movingMean, this.movingVariance, this.gamma, this.beta, { training: this.training, momentum: 1 - this.momentum, eps: this.epsilon })
    return axis === 1 ? y : permute(y, back)
  }
  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape
  }
}
