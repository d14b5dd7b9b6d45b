import { backend } from '../backend/index.js'
import { checkOptionKeys } from '../options.js'
import type { Tensor } from '../tensor.js'
import { checkNonNegative, floatsOf, Optimizer, stateTensor, type ParamGroupSpec } from './optimizer.js'

export interface AdagradOptions {
  /** Learning rate (default 1e-2). */
  lr: number
  /** The rate at step t is lr / (1 + (t − 1)·lrDecay) (default 0). */
  lrDecay: number
  /** L2 penalty added to the gradient: g + weightDecay·p (default 0). */
  weightDecay: number
  /** Added to the denominator for stability (default 1e-10). */
  eps: number
  /** The sum of squared gradients starts here (default 0). */
  initialAccumulatorValue: number
}

export type AdagradState = { step?: number; sum?: Tensor }

const KEYS = ['lr', 'lrDecay', 'weightDecay', 'eps', 'initialAccumulatorValue'] as const

/**
 * Adagrad, like torch.optim.Adagrad. Per parameter p with gradient g, at step t = 1, 2, ...:
 *
 *     g = g + weightDecay·p
 *     s = s + g²
 *     p = p − lr / (1 + (t − 1)·lrDecay) · g / (√s + eps)
 *
 * @example
 * const opt = new optim.Adagrad(model.parameters(), { lr: 0.1 })
 */
export class Adagrad extends Optimizer<AdagradOptions, AdagradState> {
  static readonly displayName: string = 'Adagrad'

  constructor(params: Iterable<Tensor> | Iterable<ParamGroupSpec<AdagradOptions>>, options: Partial<AdagradOptions> = {}) {
    checkOptionKeys('Adagrad', options, KEYS)
    super(params, { lr: 1e-2, lrDecay: 0, weightDecay: 0, eps: 1e-10, initialAccumulatorValue: 0, ...options })
  }

  protected validate(group: AdagradOptions): void {
    checkNonNegative('Adagrad', 'learning rate', group.lr, 'lr')
    checkNonNegative('Adagrad', 'lr_decay value', group.lrDecay, 'lrDecay')
    checkNonNegative('Adagrad', 'weight_decay value', group.weightDecay, 'weightDecay')
    checkNonNegative('Adagrad', 'initial_accumulator_value', group.initialAccumulatorValue, 'initialAccumulatorValue')
    checkNonNegative('Adagrad', 'epsilon value', group.eps, 'eps')
  }

  protected updateParameter(p: Tensor, grad: Tensor, group: AdagradOptions, state: AdagradState): void {
    const { lr, lrDecay, weightDecay, eps, initialAccumulatorValue } = group
    if (!state.sum) {
      state.sum = stateTensor(p)
      if (initialAccumulatorValue !== 0) state.sum.data.fill(initialAccumulatorValue)
      state.step = 0
    }
    state.step = (state.step ?? 0) + 1
    const clr = lr / (1 + (state.step - 1) * lrDecay)
    backend().adagradStep(floatsOf(p), floatsOf(grad), floatsOf(state.sum), { lr: clr, eps, weightDecay })
  }
}
