import { crossEntropy, nllLoss } from '../ops/cross-entropy.js'
import type { ElementReduction } from '../ops/element-loss.js'
import { klDiv } from '../ops/kl-div.js'
import { bce, binaryCrossEntropyWithLogits, mse, type Reduction } from '../ops/loss.js'
import { Tensor } from '../tensor.js'
import { Module } from './module.js'
import { checkOptionKeys } from './options.js'

/**
 * Loss modules: the module forms of the functional losses in F (src/ops/loss.ts), called as
 * `loss.forward(input, target)`. As in PyTorch, a class weight is a buffer (in the state dict
 * under `weight`, not a parameter), and the reduction is 'mean' (default), 'sum' or 'none'.
 * Losses do not broadcast: the target must have the input's shape (class indices excepted).
 */
export type { Reduction }

export interface LossModuleOptions {
  /** 'mean' (default), 'sum' or 'none'. */
  reduction?: Reduction
}

export interface WeightedLossOptions extends LossModuleOptions {
  /** Rescales each element's loss (broadcast to the input's shape); null for none. */
  weight?: Tensor | null
}

function checkReduction(op: string, reduction: unknown): Reduction {
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') {
    throw new Error(`${op}: reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(reduction)}`)
  }
  return reduction
}

/** Base of the loss modules (PyTorch's _Loss): holds the reduction. */
export abstract class Loss extends Module<[Tensor, Tensor], Tensor> {
  readonly reduction: Reduction

  constructor(op: string, reduction: Reduction = 'mean') {
    super()
    this.reduction = checkReduction(op, reduction)
  }
}

/** A loss with an optional per-element (or per-class) weight buffer (PyTorch's _WeightedLoss). */
export abstract class WeightedLoss extends Loss {
  constructor(op: string, { weight = null, reduction = 'mean' }: WeightedLossOptions) {
    super(op, reduction)
    if (weight !== null && !(weight instanceof Tensor)) throw new TypeError(`${op}: weight must be a Tensor or null, got ${typeof weight}`)
    this.registerBuffer('weight', weight)
  }

  /** The weight buffer, or null. */
  get weight(): Tensor | null {
    return this.ownBuffer('weight')
  }
}

/**
 * Binary cross-entropy between probabilities `input` and targets in [0, 1], like torch.nn.BCELoss:
 *
 *     ℓ_i = −w_i · (t_i·log x_i + (1 − t_i)·log(1 − x_i))
 *
 * each log clamped at −100, as in PyTorch. Input and target: any shape, the same; the output is
 * a scalar, or the input's shape with reduction 'none'. Put a Sigmoid before it, or use
 * BCEWithLogitsLoss on raw scores (more stable).
 *
 * @example
 * const loss = new nn.BCELoss()
 * loss.forward(yann.tensor([0.773, 0.773]), yann.tensor([1, 0]))   // tensor(0.8701)
 */
export class BCELoss extends WeightedLoss {
  static readonly displayName: string = 'BCELoss'

  constructor(options: WeightedLossOptions = {}) {
    checkOptionKeys('BCELoss', options, ['weight', 'reduction'])
    super('BCELoss', options)
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return bce(input, target, this.weight, this.reduction)
  }
}

export interface BCEWithLogitsLossOptions extends WeightedLossOptions {
  /** Weight of the positive term, broadcast to the input (usually one per class); a buffer. */
  posWeight?: Tensor | null
}

/**
 * Sigmoid and binary cross-entropy in one, like torch.nn.BCEWithLogitsLoss:
 *
 *     ℓ_i = −w_i · (p_i·t_i·log σ(x_i) + (1 − t_i)·log(1 − σ(x_i)))
 *
 * computed stably for large |x|; p is posWeight (1 without it). Input (raw scores) and target:
 * any shape, the same.
 */
export class BCEWithLogitsLoss extends WeightedLoss {
  static readonly displayName: string = 'BCEWithLogitsLoss'

  constructor(options: BCEWithLogitsLossOptions = {}) {
    checkOptionKeys('BCEWithLogitsLoss', options, ['weight', 'reduction', 'posWeight'])
    const { posWeight = null, ...rest } = options
    super('BCEWithLogitsLoss', rest)
    if (posWeight !== null && !(posWeight instanceof Tensor)) throw new TypeError(`BCEWithLogitsLoss: posWeight must be a Tensor or null, got ${typeof posWeight}`)
    this.registerBuffer('pos_weight', posWeight)
  }

  /** The posWeight buffer (state key `pos_weight`), or null. */
  get posWeight(): Tensor | null {
    return this.ownBuffer('pos_weight')
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropyWithLogits(input, target, { weight: this.weight, posWeight: this.posWeight, reduction: this.reduction })
  }
}

/**
 * Mean squared error, like torch.nn.MSELoss: ℓ_i = (x_i − t_i)². Input and target: any shape, the same.
 */
export class MSELoss extends Loss {
  static readonly displayName: string = 'MSELoss'

  constructor(options: LossModuleOptions = {}) {
    checkOptionKeys('MSELoss', options, ['reduction'])
    super('MSELoss', options.reduction)
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return mse(input, target, this.reduction)
  }
}

export interface CrossEntropyLossOptions extends WeightedLossOptions {
  /** A target class that contributes nothing (default −100). */
  ignoreIndex?: number
  /** Mixes the target with the uniform distribution: (1 − ε)·target + ε/C (default 0). */
  labelSmoothing?: number
}

/**
 * Cross-entropy of raw class scores, like torch.nn.CrossEntropyLoss (log-softmax, then the
 * negative log-likelihood):
 *
 *     ℓ_n = −w_{t_n} · log( exp(x_{n,t_n}) / Σ_c exp(x_{n,c}) )
 *
 * Shapes: input `[N, C]`, `[C]` or `[N, C, d1, ...]`; target int32 class indices of the input's
 * shape without dim 1 (`[N]`, `[]`, `[N, d1, ...]`), or class probabilities shaped like the input.
 * With a class weight `[C]`, the mean divides by the summed weights of the targets, as in PyTorch.
 *
 * @example
 * const loss = new nn.CrossEntropyLoss({ labelSmoothing: 0.1 })
 * loss.forward(yann.randn([8, 5]), yann.tensor([0, 4, 1, 1, 2, 3, 0, 4], { dtype: 'int32' }))
 */
export class CrossEntropyLoss extends WeightedLoss {
  static readonly displayName: string = 'CrossEntropyLoss'
  readonly ignoreIndex: number
  readonly labelSmoothing: number

  constructor(options: CrossEntropyLossOptions = {}) {
    checkOptionKeys('CrossEntropyLoss', options, ['weight', 'reduction', 'ignoreIndex', 'labelSmoothing'])
    const { ignoreIndex = -100, labelSmoothing = 0, ...rest } = options
    super('CrossEntropyLoss', rest)
    this.ignoreIndex = ignoreIndex
    this.labelSmoothing = labelSmoothing
  }

  forward(input: Tensor, target: Tensor): Tensor {
    const { ignoreIndex, labelSmoothing } = this
    return crossEntropy(input, target, { weight: this.weight, reduction: this.reduction, ignoreIndex, labelSmoothing })
  }
}

export interface NLLLossOptions extends WeightedLossOptions {
  /** A target class that contributes nothing (default −100). */
  ignoreIndex?: number
}

/**
 * The negative log-likelihood of the target classes, like torch.nn.NLLLoss: ℓ_n = −w_{t_n}·x_{n,t_n}
 * on log-probabilities (put a LogSoftmax before it). Shapes as CrossEntropyLoss with index targets.
 */
export class NLLLoss extends WeightedLoss {
  static readonly displayName: string = 'NLLLoss'
  readonly ignoreIndex: number

  constructor(options: NLLLossOptions = {}) {
    checkOptionKeys('NLLLoss', options, ['weight', 'reduction', 'ignoreIndex'])
    const { ignoreIndex = -100, ...rest } = options
    super('NLLLoss', rest)
    this.ignoreIndex = ignoreIndex
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return nllLoss(input, target, { weight: this.weight, reduction: this.reduction, ignoreIndex: this.ignoreIndex })
  }
}

export interface KLDivLossOptions {
  /** 'mean' (default: over elements), 'batchmean' (the KL divergence per sample), 'sum' or 'none'. */
  reduction?: ElementReduction
  /** The target holds log-probabilities (default false). */
  logTarget?: boolean
}

/**
 * Kullback–Leibler divergence, like torch.nn.KLDivLoss: ℓ = t·(log t − x) with the input as
 * log-probabilities. Use reduction 'batchmean' for the mathematical KL divergence.
 */
export class KLDivLoss extends Module<[Tensor, Tensor], Tensor> {
  static readonly displayName: string = 'KLDivLoss'
  readonly reduction: ElementReduction
  readonly logTarget: boolean

  constructor(options: KLDivLossOptions = {}) {
    super()
    checkOptionKeys('KLDivLoss', options, ['reduction', 'logTarget'])
    this.reduction = options.reduction ?? 'mean'
    this.logTarget = options.logTarget ?? false
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget })
  }
}
