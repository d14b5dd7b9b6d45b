import { record } from '../autograd/engine.js'
import { backend } from '../backend/index.js'
import type { PointwiseLoss } from '../backend/types.js'
import { broadcastShapes, broadcastStrides, formatShape, sameShape, SCALAR, type Shape } from '../shape.js'
import { Tensor } from '../tensor.js'
import { internalScratch, replayedStep } from '../compile/hooks.js'
import type { FloatArray, FloatDType } from '../dtype.js'
import { empty, floatDType, floats, requireSameDType } from './operands.js'
import { checkOptionKeys } from '../options.js'
import { posWeightedBceWithLogits } from './bce-pos-weight.js'

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
export function checkTarget(op: string, input: Tensor, target: Tensor): void {
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
  if (input.dtype !== 'float32' && input.dtype !== 'float64') {
    throw new TypeError(`${op}: input and target must be float tensors, got ${input.dtype} ${formatShape(input.shape)}; convert both with .float()`)
  }
}

function broadcastShapesOrNone(a: Tensor, b: Tensor): number[] | null {
  try {
    return broadcastShapes('', a.shape, b.shape)
  } catch {
    return null
  }
}

export function checkReduction(op: string, reduction: unknown): Reduction {
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') {
    throw new Error(`${op}: reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(reduction)}`)
  }
  return reduction
}

/** The weight as a tensor of the input's shape and dtype, or null. */
export function expandWeight(op: string, weight: Tensor | null | undefined, input: Tensor, what = 'weight'): Tensor | null {
  if (weight == null) return null
  if (!(weight instanceof Tensor)) throw new TypeError(`${op}: ${what} must be a Tensor or null, got ${typeof weight}`)
  requireSameDType(op, input, weight, `the input and the ${what}`)
  const shape = broadcastShapes(`${op} ${what}`, weight.shape, input.shape)
  if (!sameShape(shape, input.shape)) {
    throw new Error(`${op}: ${what} of shape ${formatShape(weight.shape)} must broadcast to the input's shape ${formatShape(input.shape)}`)
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
  if (dtype === 'float64') return scratch64.length === n ? scratch64 : (scratch64 = internalScratch(new Float64Array(n)))
  return scratch32.length === n ? scratch32 : (scratch32 = internalScratch(new Float32Array(n)))
}

/** A pointwise loss with its reduction, recorded as one node, forward and gradient each one kernel pass. */
function pointwiseLossOp(kind: PointwiseLoss, op: string, gradFnName: string, input: Tensor, target: Tensor, weight: Tensor | null | undefined, reduction: Reduction): Tensor {
  checkTarget(op, input, target)
  if (kind === 'bce') checkProbabilities(op, input)
  checkReduction(op, reduction)
  if (target.requiresGrad && kind !== 'mse') {
    throw new Error(`${op}: gradients with respect to the target are not supported; pass target.detach()`)
  }
  const w = expandWeight(op, weight, input)
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
  const inputs = [input, target]
  return record(out, gradFnName, inputs, (g) => {
    const gx = empty(dtype, input.shape)
    backend().pointwiseLossBackward(kind, floats(input), floats(target), w && floats(w), floats(g), reduction === 'mean' ? 1 / n : 1, floats(gx))
    // Only mse lets the target require grad: ∂/∂t = −∂/∂x.
    return [input.requiresGrad ? gx : null, target.requiresGrad ? gx.neg() : null]
  }, undefined, inputs) // (w is expandWeight's copy)
}

/** Every input element in [0, 1]: a replayedStep, so a compiled replay checks each call's values with eager's error. */
function checkProbabilities(op: string, input: Tensor): void {
  replayedStep('checkProbabilities', probabilities, [floats(input), op, input.shape])
}

function probabilities(x: FloatArray, op: string, shape: Shape): void {
  for (let i = 0; i < x.length; i++) {
    // NaN fails this test too, as in PyTorch.
    if (!(x[i] >= 0 && x[i] <= 1)) {
      throw new RangeError(
        `${op}: all elements of input should be between 0 and 1, but element ${i} is ${x[i]} (input shape ${formatShape(shape)}); ` +
          'apply sigmoid first, or use binaryCrossEntropyWithLogits on the raw scores',
      )
    }
  }
}

/** PyTorch's binary_cross_entropy: input holds probabilities in [0, 1]; each log is clamped at −100. */
export function binaryCrossEntropy(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  checkOptionKeys('binaryCrossEntropy', options, ['weight', 'reduction'])
  return bce(input, target, options.weight, options.reduction ?? 'mean')
}

/** binaryCrossEntropy with its options as arguments: nn.BCELoss checked its own once, when made (no object per call). */
export function bce(input: Tensor, target: Tensor, weight: Tensor | null | undefined, reduction: Reduction): Tensor {
  return pointwiseLossOp('bce', 'binaryCrossEntropy', 'BinaryCrossEntropyBackward0', input, target, weight, reduction)
}

export interface BceWithLogitsOptions extends LossOptions {
  /** Weight of the positive term per class, broadcast to the input (PyTorch's pos_weight): >1 raises recall. */
  posWeight?: Tensor | null
}

/**
 * Sigmoid and binary cross-entropy in one, stable for large |input|:
 * ℓ = w·(−p·t·log σ(x) − (1 − t)·log(1 − σ(x))), p the posWeight (1 without it).
 */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, options: BceWithLogitsOptions = {}): Tensor {
  checkOptionKeys('binaryCrossEntropyWithLogits', options, ['weight', 'posWeight', 'reduction'])
  if (options.posWeight != null) return posWeightedBceWithLogits(input, target, options.posWeight, options)
  return pointwiseLossOp('bceWithLogits', 'binaryCrossEntropyWithLogits', 'BinaryCrossEntropyWithLogitsBackward0', input, target, options.weight, options.reduction ?? 'mean')
}

/** Mean squared error (x − t)². */
export function mseLoss(input: Tensor, target: Tensor, options: Omit<LossOptions, 'weight'> = {}): Tensor {
  checkOptionKeys('mseLoss', options, ['reduction'])
  return mse(input, target, options.reduction ?? 'mean')
}

/** mseLoss with its reduction as an argument, for nn.MSELoss (see bce). */
export function mse(input: Tensor, target: Tensor, reduction: Reduction): Tensor {
  return pointwiseLossOp('mse', 'mseLoss', 'MseLossBackward0', input, target, null, reduction)
}
