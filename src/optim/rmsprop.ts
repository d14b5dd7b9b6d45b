import { backend } from '../backend/index.js'
import { checkOptionKeys } from '../options.js'
import type { Tensor } from '../tensor.js'
import { checkNonNegative, floatsOf, Optimizer, stateTensor, type ParamGroupSpec } from './optimizer.js'

export interface RMSpropOptions {
  /** Learning rate (default 1e-2). */
  lr: number
  /** Decay of the running average of squared gradients (default 0.99). */
  alpha: number
  /** Added to the denominator for stability (default 1e-8). */
  eps: number
  /** L2 penalty added to the gradient: g + weightDecay·p (default 0). */
  weightDecay: number
  /** Momentum factor (default 0). */
  momentum: number
  /** Normalise by the variance of the gradient (its square average minus its squared average) instead (default false). */
  centered: boolean
}

export type RMSpropState = { step?: number; squareAvg?: Tensor; gradAvg?: Tensor; momentumBuffer?: Tensor }

const KEYS = ['lr', 'alpha', 'eps', 'weightDecay', 'momentum', 'centered'] as const

/**
 * RMSprop, like torch.optim.RMSprop. Per parameter p with gradient g:
 *
 *     g = g + weightDecay·p
 *     s = α·s + (1 − α)·g²
 *     avg = √s + eps                          (centered: a = α·a + (1 − α)·g, avg = √(s − a²) + eps)
 *     b = momentum·b + g/avg,  p = p − lr·b     (momentum > 0)
 *     p = p − lr·g/avg                          (otherwise)
 *
 * @example
 * const opt = new optim.RMSprop(model.parameters(), { lr: 1e-3, momentum: 0.9 })
 */
export class RMSprop extends Optimizer<RMSpropOptions, RMSpropState> {
  static readonly displayName: string = 'RMSprop'

  constructor(params: Iterable<Tensor> | Iterable<ParamGroupSpec<RMSpropOptions>>, options: Partial<RMSpropOptions> = {}) {
    checkOptionKeys('RMSprop', options, KEYS)
    super(params, { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, ...options })
  }

  protected validate(group: RMSpropOptions): void {
    checkNonNegative('RMSprop', 'learning rate', group.lr, 'lr')
    checkNonNegative('RMSprop', 'epsilon value', group.eps, 'eps')
    checkNonNegative('RMSprop', 'momentum value', group.momentum, 'momentum')
    checkNonNegative('RMSprop', 'weight_decay value', group.weightDecay, 'weightDecay')
    checkNonNegative('RMSprop', 'alpha value', group.alpha, 'alpha')
    if (typeof group.centered !== 'boolean') throw new TypeError(`RMSprop: centered must be a boolean, got ${typeof group.centered}`)
  }

  protected updateParameter(p: Tensor, grad: Tensor, group: RMSpropOptions, state: RMSpropState): void {
    const { lr, alpha, eps, weightDecay, momentum, centered } = group
    state.step = (state.step ?? 0) + 1
    state.squareAvg ??= stateTensor(p)
    if (momentum > 0) state.momentumBuffer ??= stateTensor(p)
    if (centered) state.gradAvg ??= stateTensor(p)
    backend().rmspropStep(
      floatsOf(p),
      floatsOf(grad),
      floatsOf(state.squareAvg),
      centered ? floatsOf(state.gradAvg!) : null,
      momentum > 0 ? floatsOf(state.momentumBuffer!) : null,
      { lr, alpha, eps, weightDecay, momentum },
    )
  }
}
