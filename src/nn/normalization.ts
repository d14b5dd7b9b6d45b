import { requireTensor } from '../argument-checks.js'
import { checkDType, isFloat, type FloatDType } from '../dtype.js'
import { recording, replayedStep } from '../compile/hooks.js'
import { wroteInPlace } from '../ops/inplace.js'
import { batchNorm, groupNorm, layerNorm } from '../ops/norm.js'
import { full } from '../creation.js'
import { Tensor } from '../tensor.js'
import { Module, pyBool } from './module.js'
import { checkOptionKeys } from './options.js'
import { Parameter } from './parameter.js'

function floatDType(op: string, dtype: FloatDType): FloatDType {
  checkDType(dtype, op)
  if (!isFloat(dtype)) throw new TypeError(`${op}: dtype must be float32 or float64, got ${dtype}`)
  return dtype
}

const param = (n: number[], v: number, dtype: FloatDType): Parameter => new Parameter(full(n, v, { dtype }))

export interface BatchNormModuleOptions {
  eps?: number
  /** Weight of the newest batch in the running statistics; null = cumulative average. */
  momentum?: number | null
  affine?: boolean
  trackRunningStats?: boolean
  dtype?: FloatDType
}

/**
 * Batch normalisation, like torch.nn.BatchNorm1d/2d: parameters `weight` (ones) and `bias`
 * (zeros), buffers `running_mean` (zeros), `running_var` (ones) and `num_batches_tracked`
 * (int32 0). Training normalises with the batch's statistics and updates the running ones;
 * eval() uses the running ones.
 */
abstract class BatchNormBase extends Module {
  readonly numFeatures: number
  readonly eps: number
  readonly momentum: number | null
  readonly affine: boolean
  readonly trackRunningStats: boolean

  constructor(op: string, numFeatures: number, options: BatchNormModuleOptions, private readonly ranks: number[]) {
    super()
    checkOptionKeys(op, options, ['eps', 'momentum', 'affine', 'trackRunningStats', 'dtype'])
    const { eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true } = options
    const dtype = floatDType(op, options.dtype ?? 'float32')
    if (!Number.isInteger(numFeatures) || numFeatures < 1) throw new RangeError(`${op}: numFeatures must be a positive integer, got ${numFeatures}`)
    this.numFeatures = numFeatures
    this.eps = eps
    this.momentum = momentum
    this.affine = affine
    this.trackRunningStats = trackRunningStats
    this.registerParameter('weight', affine ? param([numFeatures], 1, dtype) : null)
    this.registerParameter('bias', affine ? param([numFeatures], 0, dtype) : null)
    this.registerBuffer('running_mean', trackRunningStats ? full([numFeatures], 0, { dtype }) : null)
    this.registerBuffer('running_var', trackRunningStats ? full([numFeatures], 1, { dtype }) : null)
    this.registerBuffer('num_batches_tracked', trackRunningStats ? new Tensor(new Int32Array(1), []) : null)
  }

  get weight(): Parameter | null {
    return this.ownParameter('weight')
  }
  get bias(): Parameter | null {
    return this.ownParameter('bias')
  }
  get runningMean(): Tensor | null {
    return this.ownBuffer('running_mean')
  }
  get runningVar(): Tensor | null {
    return this.ownBuffer('running_var')
  }
  get numBatchesTracked(): Tensor | null {
    return this.ownBuffer('num_batches_tracked')
  }

  forward(x: Tensor): Tensor {
    requireTensor(this.moduleName(), 'the input', x)
    if (!this.ranks.includes(x.ndim)) {
      throw new Error(`${this.moduleName()}: expected an input of ${this.ranks.join(' or ')} dims, got shape [${x.shape.join(', ')}]`)
    }
    if (x.shape[1] !== this.numFeatures) {
      throw new Error(`${this.moduleName()}: expected ${this.numFeatures} channels (dim 1), got input of shape [${x.shape.join(', ')}]`)
    }
    const tracked = this.training ? this.numBatchesTracked : null
    let momentum = this.momentum ?? 0
    if (this.momentum === null && tracked) {
      // A cumulative average weighs this batch by 1/count: a number read in JavaScript, which compile() would bake in.
      if (recording !== null) recording.fail(`${this.moduleName()} with momentum null reads numBatchesTracked in JavaScript`)
      const count = tracked.data[0] + 1
      momentum = count > 0 ? 1 / count : 0
    }
    // Without running statistics, eval() normalises with the batch's too (PyTorch's rule).
    const training = this.training || !this.runningMean
    const y = batchNorm(x, this.runningMean, this.runningVar, this.weight, this.bias, { training, momentum, eps: this.eps })
    if (tracked) countBatch(tracked) // after the call: an input it refuses leaves the count as it was
    return y
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum ?? 'None'}, affine=${pyBool(this.affine)}, track_running_stats=${pyBool(this.trackRunningStats)}`
  }
}

/** numBatchesTracked + 1, in place: a replayedStep, so a compiled step counts each call as eager does. */
function countBatch(tracked: Tensor): void {
  wroteInPlace(tracked)
  replayedStep('countBatch', increment, [tracked.data as Int32Array])
}

const increment = (count: Int32Array): void => void count[0]++

/** BatchNorm over [N, C] or [N, C, L]. */
export class BatchNorm1d extends BatchNormBase {
  static readonly displayName: string = 'BatchNorm1d'
  constructor(numFeatures: number, options: BatchNormModuleOptions = {}) {
    super('BatchNorm1d', numFeatures, options, [2, 3])
  }
}

/** BatchNorm over [N, C, H, W], per channel. */
export class BatchNorm2d extends BatchNormBase {
  static readonly displayName: string = 'BatchNorm2d'
  constructor(numFeatures: number, options: BatchNormModuleOptions = {}) {
    super('BatchNorm2d', numFeatures, options, [4])
  }
}

export interface LayerNormOptions {
  eps?: number
  elementwiseAffine?: boolean
  /** Learn a bias (default true; needs elementwiseAffine). */
  bias?: boolean
  dtype?: FloatDType
}

/** Layer normalisation over the trailing `normalizedShape`, like torch.nn.LayerNorm: `weight` ones, `bias` zeros of that shape. */
export class LayerNorm extends Module {
  static readonly displayName: string = 'LayerNorm'
  readonly normalizedShape: number[]
  readonly eps: number
  readonly elementwiseAffine: boolean

  constructor(normalizedShape: number | number[], options: LayerNormOptions = {}) {
    super()
    checkOptionKeys('LayerNorm', options, ['eps', 'elementwiseAffine', 'bias', 'dtype'])
    const { eps = 1e-5, elementwiseAffine = true, bias = true } = options
    const dtype = floatDType('LayerNorm', options.dtype ?? 'float32')
    const shape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape]
    if (shape.some((d) => !Number.isInteger(d) || d < 1)) throw new RangeError(`LayerNorm: normalizedShape must be positive integers, got ${JSON.stringify(normalizedShape)}`)
    this.normalizedShape = shape
    this.eps = eps
    this.elementwiseAffine = elementwiseAffine
    this.registerParameter('weight', elementwiseAffine ? param(shape, 1, dtype) : null)
    this.registerParameter('bias', elementwiseAffine && bias ? param(shape, 0, dtype) : null)
  }

  get weight(): Parameter | null {
    return this.ownParameter('weight')
  }
  get bias(): Parameter | null {
    return this.ownParameter('bias')
  }

  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, this.weight, this.bias, { eps: this.eps })
  }

  override extraRepr(): string {
    return `(${this.normalizedShape.join(', ')}${this.normalizedShape.length === 1 ? ',' : ''}), eps=${this.eps}, elementwise_affine=${pyBool(this.elementwiseAffine)}`
  }
}

/** Group normalisation of [N, C, *], like torch.nn.GroupNorm: `weight` ones, `bias` zeros, [C]. */
export class GroupNorm extends Module {
  static readonly displayName: string = 'GroupNorm'
  readonly eps: number
  readonly affine: boolean

  constructor(readonly numGroups: number, readonly numChannels: number, options: { eps?: number; affine?: boolean; dtype?: FloatDType } = {}) {
    super()
    checkOptionKeys('GroupNorm', options, ['eps', 'affine', 'dtype'])
    const { eps = 1e-5, affine = true } = options
    const dtype = floatDType('GroupNorm', options.dtype ?? 'float32')
    if (!Number.isInteger(numGroups) || numGroups < 1 || numChannels % numGroups !== 0) {
      throw new Error(`GroupNorm: numGroups = ${numGroups} must divide numChannels = ${numChannels}`)
    }
    this.eps = eps
    this.affine = affine
    this.registerParameter('weight', affine ? param([numChannels], 1, dtype) : null)
    this.registerParameter('bias', affine ? param([numChannels], 0, dtype) : null)
  }

  forward(x: Tensor): Tensor {
    return groupNorm(x, this.numGroups, this.ownParameter('weight'), this.ownParameter('bias'), { eps: this.eps })
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${this.eps}, affine=${pyBool(this.affine)}`
  }
}
