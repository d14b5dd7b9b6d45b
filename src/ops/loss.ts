import { record } from '../autograd/engine.js'
import { backend } from '../backend/index.js'
import type { PointwiseLoss } from '../backend/types.js'
import { broadcastShapes, broadcastStrides, formatShape, sameShape, SCALAR } from '../shape.js'
import { Tensor } from '../tensor.js'
import type { FloatArray, FloatDType } from '../dtype.js'
import { empty, floatDType, floats, requireSameDType } from './operands.js'
import { logSoftmax } from './softmax.js'

export type Reduction = 'mean' | 'sum' | 'none'

export interface LossOptions {
  reduction?: Reduction
  /** Rescales each element's loss; broadcast to the input's shape. */
  weight?: Tensor | null
}

/**
 * Losses do not broadcast: a target shaped unlike the input is the mistake behind the seed's
 * TensorFlow numbers (a [2] label against a [2, 1] output became a [2, 2] loss matrix).
 */
function checkTarget(op: string, input: Tensor, target: Tensor): void {
  if (!(input instanceof Tensor) || !(target instanceof Tensor)) throw new TypeError(`${op}: input and target must be tensors`)
  if (!sameShape(input.shape, target.shape)) {
    // Only shapes that do broadcast get the TensorFlow remark ([4] against [4, 2] does not).
    const broadcast = broadcastShapesOrNone(input, target)
    const tf = broadcast ? ` (TensorFlow would silently broadcast them to ${formatShape(broadcast)})` : ''
    throw new Error(
      `${op}: target shape ${formatShape(target.shape)} differs from input shape ${formatShape(input.shape)}; ` +
        `losses do not broadcast${tf}: reshape the target to ${formatShape(input.shape)}`,
    )
  }
  requireSameDType(op, input, target, 'the input and the target')
}

function broadcastShapesOrNone(a: Tensor, b: Tensor): number[] | null {
  try {
    return broadcastShapes('', a.shape, b.shape)
  } catch {
    return null
  }
}

function checkReduction(op: string, reduction: unknown): Reduction {
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') {
    throw new Error(`${op}: reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(reduction)}`)
  }
  return reduction
}

/** The weight as a tensor of the input's shape and dtype, or null. */
function expandWeight(op: string, weight: Tensor | null | undefined, input: Tensor): Tensor | null {
  if (weight == null) return null
  requireSameDType(op, input, weight, 'the input and the weight')
  const shape = broadcastShapes(`${op} weight`, weight.shape, input.shape)
  if (!sameShape(shape, input.shape)) {
    throw new Error(`${op}: weight of shape ${formatShape(weight.shape)} must broadcast to the input's shape ${formatShape(input.shape)}`)
  }
  const w = empty(floatDType(input), input.shape)
  backend().stridedCopy(floats(weight), floats(w), input.shape, broadcastStrides(weight.shape, input.shape), 0)
  return w
}

/**
 * Where a reduced loss puts its per-element values before summing them: never seen outside,
 * so one array per dtype, reused while the size stays the same (a training loop's batch).
 */
let scratch32 = new Float32Array(0)
let scratch64 = new Float64Array(0)

function lossScratch(dtype: FloatDType, n: number): FloatArray {
  if (dtype === 'float64') return scratch64.length === n ? scratch64 : (scratch64 = new Float64Array(n))
  return scratch32.length === n ? scratch32 : (scratch32 = new Float32Array(n))
}

/** A pointwise loss with its reduction, recorded as one node, forward and gradient each one kernel pass. */
function pointwiseLossOp(kind: PointwiseLoss, op: string, gradFnName: string, input: Tensor, target: Tensor, options: LossOptions): Tensor {
  checkTarget(op, input, target)
  if (kind === 'bce') checkProbabilities(op, input)
  const reduction = checkReduction(op, options.reduction ?? 'mean')
  if (target.requiresGrad && kind !== 'mse') {
    throw new Error(`${op}: gradients with respect to the target are not supported; pass target.detach()`)
  }
  const w = expandWeight(op, options.weight, input)
  const dtype = floatDType(input)
  const n = input.numel()
  let out: Tensor
  if (reduction === 'none') {
    out = empty(dtype, input.shape)
    backend().pointwiseLoss(kind, floats(input), floats(target), w && floats(w), floats(out))
  } else {
    const values = lossScratch(dtype, n)
    backend().pointwiseLoss(kind, floats(input), floats(target), w && floats(w), values)
    out = empty(dtype, SCALAR)
    backend().sumAxis(values, floats(out), 1, n, 1, reduction === 'mean' ? 1 / n : 1)
  }
  return record(out, gradFnName, [input, target], (g) => {
    const gx = empty(dtype, input.shape)
    backend().pointwiseLossBackward(kind, floats(input), floats(target), w && floats(w), floats(g), reduction === 'mean' ? 1 / n : 1, floats(gx))
    // Only mse lets the target require grad: ∂/∂t = −∂/∂x.
    return [input.requiresGrad ? gx : null, target.requiresGrad ? gx.neg() : null]
  })
}

function checkProbabilities(op: string, input: Tensor): void {
  const x = input.data
  for (let i = 0; i < x.length; i++) {
    // NaN fails this test too, as in PyTorch.
    if (!(x[i] >= 0 && x[i] <= 1)) {
      throw new RangeError(
        `${op}: all elements of input should be between 0 and 1, but element ${i} is ${x[i]} (input shape ${formatShape(input.shape)}); ` +
          'apply sigmoid first, or use binaryCrossEntropyWithLogits on the raw scores',
      )
    }
  }
}

/** PyTorch's binary_cross_entropy: input holds probabilities in [0, 1]; each log is clamped at −100. */
export function binaryCrossEntropy(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  return pointwiseLossOp('bce', 'binaryCrossEntropy', 'BinaryCrossEntropyBackward0', input, target, options)
}

/** Sigmoid and binary cross-entropy in one, stable for large |input|. */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  return pointwiseLossOp('bceWithLogits', 'binaryCrossEntropyWithLogits', 'BinaryCrossEntropyWithLogitsBackward0', input, target, options)
}

/** Mean squared error (x − t)². */
export function mseLoss(input: Tensor, target: Tensor, options: Omit<LossOptions, 'weight'> = {}): Tensor {
  return pointwiseLossOp('mse', 'mseLoss', 'MseLossBackward0', input, target, { reduction: options.reduction })
}

export interface CrossEntropyOptions {
  reduction?: Reduction
  /** One weight per class, shape [C]. */
  weight?: Tensor | null
}

/**
 * Cross-entropy of raw scores `input` ([N, C], or [C]) against either int32 class indices
 * ([N], or []) or class probabilities of the input's shape. Built from logSoftmax, mul and sum,
 * so its gradient comes from theirs.
 */
export function crossEntropy(input: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  const op = 'crossEntropy'
  if (!(input instanceof Tensor) || !(target instanceof Tensor)) throw new TypeError(`${op}: input and target must be tensors`)
  if (input.dtype === 'int32') throw new TypeError(`${op}: input must be float scores (logits), got int32 of shape ${formatShape(input.shape)}; convert it with .to('float32')`)
  const reduction = checkReduction(op, options.reduction ?? 'mean')
  if (input.ndim !== 1 && input.ndim !== 2) {
    throw new Error(`${op}: input must be [N, C] or [C] scores, got shape ${formatShape(input.shape)}`)
  }
  const classDim = input.ndim - 1
  const classes = input.shape[classDim]
  const indices = target.dtype === 'int32'
  const expected = indices ? input.shape.slice(0, classDim) : input.shape
  if (!sameShape(target.shape, expected)) {
    throw new Error(
      indices
        ? `${op}: class-index target of shape ${formatShape(target.shape)} does not fit input ${formatShape(input.shape)}; expected ${formatShape(expected)}`
        : `${op}: target shape ${formatShape(target.shape)} differs from input shape ${formatShape(input.shape)}; ` +
            `give probabilities of shape ${formatShape(input.shape)}, or int32 class indices of shape ${formatShape(input.shape.slice(0, classDim))}`,
    )
  }
  const dtype = floatDType(input)
  if (!indices) requireSameDType(op, input, target, 'the input and the target')
  const weight = options.weight ?? null
  if (weight && (weight.ndim !== 1 || weight.shape[0] !== classes)) {
    throw new Error(`${op}: weight must have one entry per class, shape [${classes}], got ${formatShape(weight.shape)}`)
  }
  // PyTorch refuses a weight of another dtype; promoting it would silently change the loss's dtype.
  if (weight) requireSameDType(op, input, weight, 'the input and the weight')
  // Per-sample class weights for index targets; the mean divides by their sum, as in PyTorch.
  let probs: Tensor
  let sampleWeight: Tensor | null = null
  if (indices) {
    probs = oneHot(op, target, input.shape, dtype)
    if (weight) {
      sampleWeight = new Tensor(
        Float64Array.from(target.data, (c) => weight.data[c]),
        target.shape,
      ).to(dtype)
    }
  } else {
    probs = target
  }
  const logp = logSoftmax(input, classDim)
  const weighted = weight && !indices ? logp.mul(weight) : logp
  let losses = probs.mul(weighted).sum(classDim).neg()
  if (sampleWeight) losses = losses.mul(sampleWeight)
  if (reduction === 'none') return losses
  if (reduction === 'sum') return losses.sum()
  return sampleWeight ? losses.sum().div(sampleWeight.sum().item()) : losses.mean()
}

/** Class indices as one-hot rows; an index outside [0, classes) is an error. */
function oneHot(op: string, target: Tensor, inputShape: readonly number[], dtype: 'float32' | 'float64'): Tensor {
  const classes = inputShape[inputShape.length - 1]
  const t = target.data
  const out = empty(dtype, [...target.shape, classes])
  const o = floats(out)
  for (let i = 0; i < t.length; i++) {
    if (!(t[i] >= 0 && t[i] < classes)) {
      throw new RangeError(
        `${op}: target class ${t[i]} at position ${i} is out of range for ${classes} classes (expected 0 to ${classes - 1}; ` +
          `input shape ${formatShape(inputShape)}, target shape ${formatShape(target.shape)})`,
      )
    }
    o[i * classes + t[i]] = 1
  }
  return out
}
