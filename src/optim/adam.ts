import { backend } from '../backend/index.js'
import { className } from '../class-name.js'
import { checkOptionKeys } from '../options.js'
import type { Tensor } from '../tensor.js'
import { checkNonNegative, floatsOf, Optimizer, stateTensor, type ParamGroupSpec } from './optimizer.js'

export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  lr: number
  /** Decay rates of the moment averages (default [0.9, 0.999]), each in [0, 1). */
  betas: [number, number]
  /** Added to the denominator for stability (default 1e-8). */
  eps: number
  /** Adam: L2 penalty added to the gradient (default 0). AdamW: decoupled decay of the weights (default 0.01). */
  weightDecay: number
  /** Decay the weights directly (AdamW) instead of through the gradient (default false; AdamW: true). */
  decoupledWeightDecay: boolean
}

export type AdamState = { step?: number; expAvg?: Tensor; expAvgSq?: Tensor }

const KEYS = ['lr', 'betas', 'eps', 'weightDecay', 'decoupledWeightDecay'] as const

/**
 * Adam, like torch.optim.Adam (amsgrad and maximize not supported). Per parameter p with
 * gradient g, at step t = 1, 2, ...:
 *
 *     g = g + weightDecay·p                 (Adam)   or   p = p·(1 − lr·weightDecay)   (AdamW)
 *     m = β1·m + (1 − β1)·g
 *     v = β2·v + (1 − β2)·g²
 *     p = p − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + eps)
 *
 * @example
 * const opt = new optim.Adam(model.parameters(), { lr: 1e-3 })
 */
export class Adam extends Optimizer<AdamOptions, AdamState> {
  static readonly displayName: string = 'Adam'

  constructor(params: Iterable<Tensor> | Iterable<ParamGroupSpec<AdamOptions>>, options: Partial<AdamOptions> = {}) {
    checkOptionKeys(className(new.target), options, new.target === Adam ? KEYS : KEYS.filter((k) => k !== 'decoupledWeightDecay'))
    const defaults: AdamOptions = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, decoupledWeightDecay: false }
    super(params, { ...defaults, ...(new.target === Adam ? {} : { weightDecay: 1e-2, decoupledWeightDecay: true }), ...options })
  }

  protected validate(group: AdamOptions): void {
    const op = this.optimizerName()
    checkNonNegative(op, 'learning rate', group.lr, 'lr')
    checkNonNegative(op, 'epsilon value', group.eps, 'eps')
    const betas = group.betas
    if (!Array.isArray(betas) || betas.length !== 2) throw new TypeError(`${op}: betas must be a pair [beta1, beta2], got ${JSON.stringify(betas)}`)
    betas.forEach((b, i) => {
      if (typeof b !== 'number' || !(b >= 0 && b < 1)) throw new RangeError(`${op}: invalid beta parameter at index ${i}: ${b} (each beta must be in [0, 1))`)
    })
    checkNonNegative(op, 'weight_decay value', group.weightDecay, 'weightDecay')
    if (typeof group.decoupledWeightDecay !== 'boolean') throw new TypeError(`${op}: decoupledWeightDecay must be a boolean`)
  }

  protected updateParameter(p: Tensor, grad: Tensor, group: AdamOptions, state: AdamState): void {
    if (state.step === undefined || !state.expAvg || !state.expAvgSq) {
      state.step = 0
      state.expAvg = stateTensor(p)
      state.expAvgSq = stateTensor(p)
    }
    state.step += 1
    const { lr, betas, eps, weightDecay, decoupledWeightDecay } = group
    backend().adamStep(floatsOf(p), floatsOf(grad), floatsOf(state.expAvg), floatsOf(state.expAvgSq), state.step, {
      lr,
      beta1: betas[0],
      beta2: betas[1],
      eps,
      weightDecay,
      decoupled: decoupledWeightDecay,
    })
  }
}

/**
 * AdamW, like torch.optim.AdamW: Adam with decoupled weight decay (the weights shrink by
 * lr·weightDecay each step, independently of the gradient's scaling); weightDecay defaults to 0.01.
 */
export class AdamW extends Adam {
  static readonly displayName: string = 'AdamW'

  constructor(params: Iterable<Tensor> | Iterable<ParamGroupSpec<AdamOptions>>, options: Partial<Omit<AdamOptions, 'decoupledWeightDecay'>> = {}) {
    super(params, options)
  }
}
