import type { Tensor } from '../tensor.js'
import { elementLossOp } from './element-loss.js'
import { checkReduction, checkTarget, expandWeight, type LossOptions } from './loss.js'
import { floats } from './operands.js'

/**
 * binaryCrossEntropyWithLogits with PyTorch's pos_weight p (broadcast to the input, usually one
 * per class along the last dim): with l = 1 + (p − 1)·t,
 *
 *     ℓ = w·((1 − t)·x + l·softplus(−x)),   ∂ℓ/∂x = w·(1 − t − l·σ(−x))
 *
 * softplus(−x) = max(−x, 0) + log1p(exp(−|x|)) stays finite for large |x|.
 */
export function posWeightedBceWithLogits(input: Tensor, target: Tensor, posWeight: Tensor, options: LossOptions): Tensor {
  const op = 'binaryCrossEntropyWithLogits'
  checkTarget(op, input, target)
  const reduction = checkReduction(op, options.reduction ?? 'mean')
  const p = floats(expandWeight(op, posWeight, input, 'posWeight')!)
  const wt = expandWeight(op, options.weight, input)
  const w = wt && floats(wt)
  const softplusNeg = (x: number): number => Math.max(-x, 0) + Math.log1p(Math.exp(-Math.abs(x)))
  return elementLossOp(
    op,
    'BinaryCrossEntropyWithLogitsBackward0',
    input,
    target,
    {
      value: (x, t, i) => (w ? w[i] : 1) * ((1 - t) * x + (1 + (p[i] - 1) * t) * softplusNeg(x)),
      dx: (x, t, i) => (w ? w[i] : 1) * (1 - t - (1 + (p[i] - 1) * t) / (1 + Math.exp(x))),
    },
    reduction,
  )
}
