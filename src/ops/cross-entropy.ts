import { record } from '../autograd/engine.js'
import { checkOptionKeys } from '../options.js'
import { formatShape, numelBetween, sameShape, SCALAR, withoutDim } from '../shape.js'
import { Tensor } from '../tensor.js'
import { backend } from '../backend/index.js'
import { checkClassTargets } from './index-check.js'
import { checkReduction, type Reduction } from './loss.js'
import { empty, floatDType, floats, requireSameDType } from './operands.js'
import { logSoftmax } from './softmax.js'

export interface NllLossOptions {
  /** One weight per class, shape [C]; with 'mean' the loss divides by the summed weights of the targets. */
  weight?: Tensor | null
  /** A target class that contributes nothing, neither to the loss nor to the mean's count (default −100). */
  ignoreIndex?: number
  /** 'mean' (default), 'sum' or 'none'. */
  reduction?: Reduction
}

export interface CrossEntropyOptions extends NllLossOptions {
  /** Mixes the target with the uniform distribution: (1 − ε)·target + ε/C (default 0). */
  labelSmoothing?: number
}

/** The input viewed as [outer, C, inner] around its class dim (dim 1, or dim 0 of a [C] input). */
interface ClassLayout {
  classDim: number
  outer: number
  classes: number
  inner: number
  /** The shape of one loss per sample: the input's without the class dim. */
  sampleShape: number[]
}

function classLayout(op: string, input: Tensor): ClassLayout {
  if (!(input instanceof Tensor)) throw new TypeError(`${op}: input must be a Tensor`)
  if (input.dtype !== 'float32' && input.dtype !== 'float64') {
    throw new TypeError(`${op}: input must hold float scores, got ${input.dtype} ${formatShape(input.shape)}; convert it with .float()`)
  }
  if (input.ndim === 0) throw new Error(`${op}: input must be [C], [N, C] or [N, C, d1, ...], got a 0-d tensor`)
  const classDim = input.ndim === 1 ? 0 : 1
  const classes = input.shape[classDim]
  const inner = numelBetween(input.shape, classDim + 1, input.ndim)
  const outer = classDim === 0 ? 1 : input.shape[0]
  return { classDim, outer, classes, inner, sampleShape: withoutDim(input.shape, classDim) }
}

function checkClassWeight(op: string, weight: Tensor | null | undefined, input: Tensor, classes: number): Tensor | null {
  if (weight == null) return null
  if (!(weight instanceof Tensor) || weight.ndim !== 1 || weight.shape[0] !== classes) {
    const got = weight instanceof Tensor ? formatShape(weight.shape) : typeof weight
    throw new Error(`${op}: weight must be a tensor with one entry per class, shape [${classes}], got ${got}`)
  }
  // PyTorch refuses a weight of another dtype; promoting it would silently change the loss's dtype.
  requireSameDType(op, input, weight, 'the input and the weight')
  return weight
}

function checkIndexTarget(op: string, target: Tensor, input: Tensor, layout: ClassLayout): void {
  if (!(target instanceof Tensor)) throw new TypeError(`${op}: target must be a Tensor of int32 class indices`)
  if (target.dtype !== 'int32') {
    throw new TypeError(`${op}: target must hold int32 class indices of shape ${formatShape(layout.sampleShape)}, got ${target.dtype}; convert it with .int()`)
  }
  if (!sameShape(target.shape, layout.sampleShape)) {
    throw new Error(
      `${op}: class-index target of shape ${formatShape(target.shape)} does not fit input ${formatShape(input.shape)}; expected ${formatShape(layout.sampleShape)}`,
    )
  }
}

/** The kernels' reduction codes (Backend.nllLoss). */
const REDUCTION_CODES: Record<Reduction, number> = { none: 0, sum: 1, mean: 2 }

function checkIgnoreIndex(op: string, ignoreIndex: unknown): number {
  if (!Number.isInteger(ignoreIndex)) throw new TypeError(`${op}: ignoreIndex must be an integer, got ${String(ignoreIndex)}`)
  return ignoreIndex as number
}

/**
 * The negative log-likelihood of the target classes, as torch.nn.functional.nll_loss:
 * ℓ_n = −w_{t_n}·x_{n, t_n}, the input holding log-probabilities (logSoftmax output).
 * Shapes: input [C], [N, C] or [N, C, d1, ...]; target int32 [], [N] or [N, d1, ...].
 * The gradient is −w at each target position and 0 elsewhere.
 */
export function nllLoss(input: Tensor, target: Tensor, options: NllLossOptions = {}): Tensor {
  checkOptionKeys('nllLoss', options, ['weight', 'ignoreIndex', 'reduction'])
  return nllLossOp('nllLoss', input, target, options)
}

function nllLossOp(op: string, input: Tensor, target: Tensor, options: NllLossOptions): Tensor {
  const layout = classLayout(op, input)
  checkIndexTarget(op, target, input, layout)
  const reduction = checkReduction(op, options.reduction ?? 'mean')
  const weight = checkClassWeight(op, options.weight, input, layout.classes)
  const ignoreIndex = checkIgnoreIndex(op, options.ignoreIndex ?? -100)
  checkClassTargets(op, target, input, layout.classes, ignoreIndex)
  const dtype = floatDType(input)
  const t = target.data as Int32Array
  const w = weight && floats(weight)
  const { outer, classes, inner } = layout
  const code = REDUCTION_CODES[reduction]
  const out = empty(dtype, reduction === 'none' ? target.shape : SCALAR)
  backend().nllLoss(floats(input), t, w, floats(out), outer, classes, inner, ignoreIndex, code)
  return record(out, 'NllLossBackward0', [input], (g) => {
    const gx = empty(dtype, input.shape)
    backend().nllLossBackward(floats(g), t, w, floats(gx), outer, classes, inner, ignoreIndex, code)
    return [gx]
  }, undefined, weight ? [target, weight] : target)
}

/**
 * Cross-entropy of raw scores, as torch.nn.functional.cross_entropy: logSoftmax over the class
 * dim, then the negative log-likelihood of the targets, ℓ_n = −w_{t_n}·log softmax(x_n)_{t_n}.
 * Shapes: input [C], [N, C] or [N, C, d1, ...] (class dim 1); target int32 class indices of the
 * input's shape without the class dim, or class probabilities of the input's shape. With
 * labelSmoothing ε the target becomes (1 − ε)·target + ε/C.
 *
 * Index targets never build a one-hot [N, C]: the pick reads one score per sample and its
 * gradient writes one, so a masked class (a −∞ score) leaves the loss finite.
 */
export function crossEntropy(input: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  const op = 'crossEntropy'
  checkOptionKeys(op, options, ['weight', 'ignoreIndex', 'labelSmoothing', 'reduction'])
  const layout = classLayout(op, input)
  if (!(target instanceof Tensor)) throw new TypeError(`${op}: target must be a Tensor (int32 class indices, or probabilities)`)
  const reduction = checkReduction(op, options.reduction ?? 'mean')
  const weight = checkClassWeight(op, options.weight, input, layout.classes)
  const smoothing = options.labelSmoothing ?? 0
  if (typeof smoothing !== 'number' || !(smoothing >= 0 && smoothing <= 1)) {
    throw new RangeError(`${op}: labelSmoothing must be a number in [0, 1], got ${String(smoothing)}`)
  }
  const logp = logSoftmax(input, layout.classDim)
  // Broadcasts the class weight along the class dim: [C] → [1, C, 1, ...].
  const classWeight = weight && weight.reshape(input.shape.map((s, d) => (d === layout.classDim ? s : 1)))
  if (target.dtype !== 'int32') return probabilityCrossEntropy(op, input, target, logp, classWeight, layout, smoothing, reduction, options.ignoreIndex)

  const ignoreIndex = checkIgnoreIndex(op, options.ignoreIndex ?? -100)
  const nll = nllLossOp(op, logp, target, { weight, ignoreIndex, reduction })
  if (smoothing === 0) return nll
  // PyTorch's smoothing term: −Σ_c w_c·log p_c per sample, 0 where the target is ignored; the
  // mean divides by the summed weights of the counted targets. Both come from a kernel
  // (targetMask), so a compiled step replays them with each call's targets.
  const smooth = (classWeight ? logp.mul(classWeight) : logp).sum(layout.classDim).neg()
  const dtype = floatDType(input)
  const kept = empty(dtype, target.shape)
  const weightSum = empty(dtype, SCALAR)
  backend().targetMask(target.data as Int32Array, weight && floats(weight), floats(kept), floats(weightSum), layout.classes, ignoreIndex)
  const masked = smooth.mul(kept)
  const reduced = reduction === 'none' ? masked : reduction === 'sum' ? masked.sum() : masked.sum().div(weightSum)
  return nll.mul(1 - smoothing).add(reduced.mul(smoothing / layout.classes))
}

/** Probability targets: ℓ_n = −Σ_c w_c·q_{n,c}·log p_{n,c}; the mean is over samples. */
function probabilityCrossEntropy(
  op: string,
  input: Tensor,
  target: Tensor,
  logp: Tensor,
  classWeight: Tensor | null,
  layout: ClassLayout,
  smoothing: number,
  reduction: Reduction,
  ignoreIndex: number | undefined,
): Tensor {
  if (!sameShape(target.shape, input.shape)) {
    throw new Error(
      `${op}: target shape ${formatShape(target.shape)} differs from input shape ${formatShape(input.shape)}; ` +
        `give probabilities of shape ${formatShape(input.shape)}, or int32 class indices of shape ${formatShape(layout.sampleShape)}`,
    )
  }
  requireSameDType(op, input, target, 'the input and the target')
  if (ignoreIndex !== undefined && ignoreIndex >= 0) {
    throw new Error(`${op}: ignoreIndex is not supported with probability targets (it names a class index); give int32 class indices to ignore a class`)
  }
  const q = smoothing > 0 ? target.mul(1 - smoothing).add(smoothing / layout.classes) : target
  const weighted = classWeight ? logp.mul(classWeight) : logp
  const losses = q.mul(weighted).sum(layout.classDim).neg()
  if (reduction === 'none') return losses
  return reduction === 'sum' ? losses.sum() : losses.sum().div(layout.outer * layout.inner)
}
