import { huberLoss, l1Loss, smoothL1Loss } from '../ops/regression-loss.js'
import type { Tensor } from '../tensor.js'
import { Loss, type LossModuleOptions } from './loss.js'
import { checkOptionKeys } from './options.js'

/** Mean absolute error, like torch.nn.L1Loss: ℓ_i = |x_i − t_i|. Input and target: any shape, the same. */
export class L1Loss extends Loss {
  static readonly displayName: string = 'L1Loss'

  constructor(options: LossModuleOptions = {}) {
    checkOptionKeys('L1Loss', options, ['reduction'])
    super('L1Loss', options.reduction)
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return l1Loss(input, target, { reduction: this.reduction })
  }
}

/** Like torch.nn.SmoothL1Loss: 0.5·d²/β where |d| < β, else |d| − 0.5·β (d = x − t; β default 1). */
export class SmoothL1Loss extends Loss {
  static readonly displayName: string = 'SmoothL1Loss'
  readonly beta: number

  constructor(options: LossModuleOptions & { beta?: number } = {}) {
    checkOptionKeys('SmoothL1Loss', options, ['reduction', 'beta'])
    super('SmoothL1Loss', options.reduction)
    this.beta = options.beta ?? 1
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta })
  }
}

/** Like torch.nn.HuberLoss: 0.5·d² where |d| < δ, else δ·(|d| − 0.5·δ) (d = x − t; δ default 1). */
export class HuberLoss extends Loss {
  static readonly displayName: string = 'HuberLoss'
  readonly delta: number

  constructor(options: LossModuleOptions & { delta?: number } = {}) {
    checkOptionKeys('HuberLoss', options, ['reduction', 'delta'])
    super('HuberLoss', options.reduction)
    this.delta = options.delta ?? 1
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return huberLoss(input, target, { reduction: this.reduction, delta: this.delta })
  }
}
