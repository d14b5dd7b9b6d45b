import { backend } from '../backend/index.js'
import { checkOptionKeys } from '../options.js'
import type { Tensor } from '../tensor.js'
import { checkNonNegative, floatsOf, Optimizer, stateTensor, type ParamGroupSpec } from './optimizer.js'

export interface SGDOptions {
  /** Learning rate (default 1e-3, as in PyTorch 2). */
  lr: number
  /** Momentum factor (default 0: plain SGD). */
  momentum: number
  /** Dampening for momentum (default 0). */
  dampening: number
  /** Nesterov momentum (needs momentum > 0 and dampening 0). */
  nesterov: boolean
  /** L2 penalty added to the gradient: g + weightDecay·p (default 0). */
  weightDecay: number
}

export type SGDState = { momentumBuffer?: Tensor }

const KEYS = ['lr', 'momentum', 'dampening', 'nesterov', 'weightDecay'] as const

/**
 * Stochastic gradient descent with optional momentum, like torch.optim.SGD. Per parameter p
 * with gradient g, PyTorch's rule:
 *
 *     d = g + weightDecay·p
 *     b = d                                   on the first step (the buffer is the gradient itself)
 *     b = momentum·b + (1 − dampening)·d       after
 *     d = nesterov ? d + momentum·b : b        (with momentum ≠ 0)
 *     p = p − lr·d
 *
 * @example
 * const opt = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 })
 * opt.zeroGrad(); loss.backward(); opt.step()
 */
export class SGD extends Optimizer<SGDOptions, SGDState> {
  static readonly displayName: string = 'SGD'
  // Its step reads only its groups' options, their parameters, their .grad and its state: compile() may skip a repeated one.
  static override readonly stepReadsOnlyState: boolean = true

  constructor(params: Iterable<Tensor> | Iterable<ParamGroupSpec<SGDOptions>>, options: Partial<SGDOptions> = {}) {
    checkOptionKeys('SGD', options, KEYS)
    super(params, { lr: 1e-3, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, ...options })
  }

  protected validate(group: SGDOptions): void {
    checkNonNegative('SGD', 'learning rate', group.lr, 'lr')
    checkNonNegative('SGD', 'momentum value', group.momentum, 'momentum')
    if (typeof group.dampening !== 'number' || Number.isNaN(group.dampening)) throw new TypeError(`SGD: dampening must be a number, got ${group.dampening}`)
    checkNonNegative('SGD', 'weight_decay value', group.weightDecay, 'weightDecay')
    if (typeof group.nesterov !== 'boolean') throw new TypeError(`SGD: nesterov must be a boolean, got ${typeof group.nesterov}`)
    if (group.nesterov && (group.momentum <= 0 || group.dampening !== 0)) {
      throw new Error(
        `SGD: Nesterov momentum requires a momentum and zero dampening (got momentum ${group.momentum}, dampening ${group.dampening})`,
      )
    }
  }

  protected updateParameter(p: Tensor, grad: Tensor, group: SGDOptions, state: SGDState): void {
    let buffer: Tensor | null = null
    let firstStep = false
    if (group.momentum !== 0) {
      if (!state.momentumBuffer) {
        state.momentumBuffer = stateTensor(p)
        firstStep = true
      }
      buffer = state.momentumBuffer
    }
    // The group holds every SgdOptions field: passed as is (no object per parameter per step).
    backend().sgdStep(floatsOf(p), floatsOf(grad), buffer && floatsOf(buffer), firstStep, group)
  }
}
