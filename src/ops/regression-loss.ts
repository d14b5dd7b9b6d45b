import { checkOptionKeys } from '../options.js'
import type { Tensor } from '../tensor.js'
import { elementLossOp, type ElementLoss } from './element-loss.js'
import { checkReduction, checkTarget, type Reduction } from './loss.js'

/** Losses of the difference d = x − t, each with its gradient (∂ℓ/∂t = −∂ℓ/∂x). */

export interface L1LossOptions {
  reduction?: Reduction
}

export interface SmoothL1LossOptions extends L1LossOptions {
  /** Where the loss turns from quadratic to linear (default 1); 0 makes it l1Loss. */
  beta?: number
}

export interface HuberLossOptions extends L1LossOptions {
  /** Where the loss turns from quadratic to linear (default 1). */
  delta?: number
}

/** A loss of d = x − t: ℓ(d) and ℓ'(d). */
function ofDifference(value: (d: number) => number, slope: (d: number) => number): ElementLoss {
  return {
    value: (x, t) => value(x - t),
    dx: (x, t) => slope(x - t),
    dt: (x, t) => -slope(x - t),
  }
}

function differenceLoss(op: string, gradFnName: string, input: Tensor, target: Tensor, reduction: unknown, loss: ElementLoss): Tensor {
  checkTarget(op, input, target)
  return elementLossOp(op, gradFnName, input, target, loss, checkReduction(op, reduction ?? 'mean'))
}

function checkThreshold(op: string, name: string, value: unknown, positive: boolean): number {
  if (typeof value !== 'number' || !(positive ? value > 0 : value >= 0) || !Number.isFinite(value)) {
    throw new RangeError(`${op}: ${name} must be a finite number ${positive ? '> 0' : '>= 0'}, got ${String(value)}`)
  }
  return value
}

const sign = (d: number): number => (d > 0 ? 1 : d < 0 ? -1 : 0)

/** Mean absolute error: ℓ = |x − t|. Input and target: any shape, the same. */
export function l1Loss(input: Tensor, target: Tensor, options: L1LossOptions = {}): Tensor {
  checkOptionKeys('l1Loss', options, ['reduction'])
  return differenceLoss('l1Loss', 'L1LossBackward0', input, target, options.reduction, ofDifference(Math.abs, sign))
}

/** ℓ = 0.5·d²/β where |d| < β, else |d| − 0.5·β (d = x − t), as torch.nn.functional.smooth_l1_loss. */
export function smoothL1Loss(input: Tensor, target: Tensor, options: SmoothL1LossOptions = {}): Tensor {
  checkOptionKeys('smoothL1Loss', options, ['reduction', 'beta'])
  const beta = checkThreshold('smoothL1Loss', 'beta', options.beta ?? 1, false)
  if (beta === 0) return differenceLoss('smoothL1Loss', 'SmoothL1LossBackward0', input, target, options.reduction, ofDifference(Math.abs, sign))
  const loss = ofDifference(
    (d) => (Math.abs(d) < beta ? (0.5 * d * d) / beta : Math.abs(d) - 0.5 * beta),
    (d) => (d < -beta ? -1 : d > beta ? 1 : d / beta),
  )
  return differenceLoss('smoothL1Loss', 'SmoothL1LossBackward0', input, target, options.reduction, loss)
}

/** ℓ = 0.5·d² where |d| < δ, else δ·(|d| − 0.5·δ) (d = x − t), as torch.nn.functional.huber_loss. */
export function huberLoss(input: Tensor, target: Tensor, options: HuberLossOptions = {}): Tensor {
  checkOptionKeys('huberLoss', options, ['reduction', 'delta'])
  const delta = checkThreshold('huberLoss', 'delta', options.delta ?? 1, true)
  const loss = ofDifference(
    (d) => (Math.abs(d) < delta ? 0.5 * d * d : delta * (Math.abs(d) - 0.5 * delta)),
    (d) => (d < -delta ? -delta : d > delta ? delta : d),
  )
  return differenceLoss('huberLoss', 'HuberLossBackward0', input, target, options.reduction, loss)
}
