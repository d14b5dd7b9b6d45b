import { checkOptionKeys } from '../options.js'
import type { Tensor } from '../tensor.js'
import { elementLossOp, type ElementLoss, type ElementReduction } from './element-loss.js'
import { checkTarget } from './loss.js'

export interface KlDivOptions {
  /**
   * 'mean' (default, PyTorch's: over every element, not the KL divergence), 'batchmean' (the sum
   * divided by the batch size, the true KL divergence per sample), 'sum' or 'none'.
   */
  reduction?: ElementReduction
  /** The target holds log-probabilities instead of probabilities (default false). */
  logTarget?: boolean
}

/** t·(log t − x), with 0 where t = 0 (PyTorch's xlogy). */
const probabilityTarget: ElementLoss = {
  value: (x, t) => (t === 0 ? 0 : t * (Math.log(t) - x)),
  dx: (_x, t) => -t,
  dt: (x, t) => Math.log(t) + 1 - x,
}

/** exp(t)·(t − x). */
const logProbabilityTarget: ElementLoss = {
  value: (x, t) => Math.exp(t) * (t - x),
  dx: (_x, t) => -Math.exp(t),
  dt: (x, t) => Math.exp(t) * (t - x + 1),
}

/**
 * Kullback–Leibler divergence of the target distribution from the input, as
 * torch.nn.functional.kl_div: the input holds log-probabilities (logSoftmax output), the target
 * probabilities (or log-probabilities with `logTarget`). ℓ = t·(log t − x) per element.
 * Input and target: any shape, the same.
 */
export function klDiv(input: Tensor, target: Tensor, options: KlDivOptions = {}): Tensor {
  const op = 'klDiv'
  checkOptionKeys(op, options, ['reduction', 'logTarget'])
  checkTarget(op, input, target)
  const reduction = options.reduction ?? 'mean'
  if (reduction !== 'mean' && reduction !== 'batchmean' && reduction !== 'sum' && reduction !== 'none') {
    throw new Error(`${op}: reduction must be 'mean', 'batchmean', 'sum' or 'none', got ${JSON.stringify(reduction)}`)
  }
  const logTarget = options.logTarget ?? false
  if (typeof logTarget !== 'boolean') throw new TypeError(`${op}: logTarget must be a boolean, got ${typeof logTarget}`)
  return elementLossOp(op, 'KlDivBackward0', input, target, logTarget ? logProbabilityTarget : probabilityTarget, reduction)
}
