import { requireTensor } from '../argument-checks.js'
import { replayedStep } from '../compile/hooks.js'
import { composite, record } from '../autograd/engine.js'
import { backend } from '../backend/index.js'
import type { FloatArray } from '../dtype.js'
import { checkOptionKeys } from '../nn/options.js'
import { dimsBetween, formatShape, numelOf } from '../shape.js'
import type { Tensor } from '../tensor.js'
import { wroteInPlace } from './inplace.js'
import { layerNormRows } from './layer-norm-rows.js'
import { empty, floatDType, floats, requireFloatTensor, requireSameDType } from './operands.js'
import { reshape } from './shape.js'

/**
 * Normalisation layers' ops: (x − mean) / √(var + eps), then a per-feature scale and shift.
 * Batch norm runs its kernel pair (src/backend/ts/batch-norm.ts); layer and group norm the
 * row kernel of ./layer-norm-rows.ts (group norm's affine is per channel, after it). The
 * statistics are biased (÷ n), as PyTorch normalises; BatchNorm's running variance is unbiased.
 */

export interface BatchNormOptions {
  /** Use the batch's statistics and update the running ones (default false, as F.batch_norm). */
  training?: boolean
  momentum?: number
  eps?: number
}

/** The weight and bias of a per-channel affine: `n` elements each, x's dtype. */
function checkAffine(op: string, x: Tensor, weight: Tensor | null, bias: Tensor | null, n: number): void {
  for (const [name, t] of [['weight', weight], ['bias', bias]] as const) {
    if (t && t.numel() !== n) throw new Error(`${op}: ${name} must have ${n} elements (one per channel), got shape ${formatShape(t.shape)}`)
    if (t) requireSameDType(op, x, t, `the input and the ${name}`)
  }
}

/**
 * Batch normalisation over [N, C] or [N, C, *]: per channel, statistics over every other dim.
 * In training the running statistics (when given) are updated in place:
 * r ← (1 − momentum)·r + momentum·stat, with the unbiased variance for runningVar.
 */
export function batchNorm(
  x: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  weight: Tensor | null = null,
  bias: Tensor | null = null,
  options: BatchNormOptions = {},
): Tensor {
  const op = 'batchNorm'
  checkOptionKeys(op, options, ['training', 'momentum', 'eps'])
  const { training = false, momentum = 0.1, eps = 1e-5 } = options
  requireFloatTensor(op, 'the input', x) // as PyTorch; int32 running statistics were truncated in place
  if (x.ndim < 2) throw new Error(`${op}: expected an input of at least 2 dims ([N, C] or [N, C, *]), got shape ${formatShape(x.shape)}`)
  const [n, c] = x.shape
  const given = { runningMean, runningVar, weight, bias }
  for (const [name, t] of Object.entries(given)) if (t != null) requireTensor(op, name, t) // null (or undefined): absent
  for (const [name, t] of [['runningMean', runningMean], ['runningVar', runningVar]] as const) {
    if (t && t.numel() !== c) throw new Error(`${op}: ${name} must have ${c} elements (one per channel of input ${formatShape(x.shape)}), got shape ${formatShape(t.shape)}`)
    if (t) requireSameDType(op, x, t, `the input and ${name}`)
  }
  const batchStats = training || !runningMean || !runningVar
  const s = numelOf(x.shape.slice(2))
  const count = n * s
  if (batchStats && count <= 1) throw new Error(`${op}: expected more than 1 value per channel when training, got input ${formatShape(x.shape)}`)
  checkAffine(op, x, weight, bias, c)
  // One kernel each way (src/backend/ts/batch-norm.ts); mean and variance are kept for the backward.
  const dtype = floatDType(x)
  const out = empty(dtype, x.shape)
  const mean = empty(dtype, [c])
  const variance = empty(dtype, [c])
  const running = batchStats ? [null, null] : [floats(runningMean!), floats(runningVar!)]
  backend().batchNorm(floats(x), weight && floats(weight), bias && floats(bias), running[0], running[1], floats(out), floats(mean), floats(variance), s, eps)
  if (training && (runningMean || runningVar)) {
    // A replayedStep: a compiled step updates them from each call's statistics, as eager does.
    for (const t of [runningMean, runningVar]) if (t) wroteInPlace(t)
    const [rm, rv] = [runningMean && floats(runningMean), runningVar && floats(runningVar)]
    replayedStep('runningStats', updateRunning, [floats(mean), floats(variance), rm, rv, momentum, count / (count - 1)])
  }
  // Tracers (ONNX export) see BatchNormalization in eval mode; the running statistics get no gradient.
  const all = [x, runningMean, runningVar, weight, bias]
  const inputs = all.filter((t): t is Tensor => t !== null)
  const attributes = { eps, training: batchStats, hasWeight: weight !== null, hasBias: bias !== null }
  return record(out, 'NativeBatchNormBackward0', inputs, (g) => {
    const dx = empty(dtype, x.shape)
    const dw = weight && empty(dtype, weight.shape)
    const db = bias && empty(dtype, bias.shape)
    backend().batchNormBackward(floats(x), weight && floats(weight), floats(mean), floats(variance), floats(g), floats(dx), dw && floats(dw), db && floats(db), s, eps, batchStats)
    const grads = [dx, null, null, dw, db]
    return grads.filter((_, i) => all[i] !== null)
  }, attributes, weight ? [x, weight] : x)
}

/** r ← (1 − momentum)·r + momentum·stat per channel, in float64 as PyTorch's CPU kernel (the variance unbiased by `unbias`). */
function updateRunning(mean: FloatArray, variance: FloatArray, runningMean: FloatArray | null, runningVar: FloatArray | null, momentum: number, unbias: number): void {
  if (runningMean) for (let i = 0; i < mean.length; i++) runningMean[i] = (1 - momentum) * runningMean[i] + momentum * mean[i]
  if (runningVar) for (let i = 0; i < variance.length; i++) runningVar[i] = (1 - momentum) * runningVar[i] + momentum * variance[i] * unbias
}

/** Layer normalisation over the trailing dims `normalizedShape`; weight and bias have that shape. */
export function layerNorm(x: Tensor, normalizedShape: number | number[], weight: Tensor | null = null, bias: Tensor | null = null, options: { eps?: number } = {}): Tensor {
  const op = 'layerNorm'
  checkOptionKeys(op, options, ['eps'])
  requireFloatTensor(op, 'the input', x) // as PyTorch; the wasm kernel would read bool bytes as floats
  const shape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape]
  const tail = dimsBetween(x.shape, Math.max(x.ndim - shape.length, 0))
  if (shape.length > x.ndim || tail.join() !== shape.join()) {
    throw new Error(`${op}: input ${formatShape(x.shape)} does not end with normalizedShape ${formatShape(shape)}`)
  }
  const eps = options.eps ?? 1e-5
  for (const [name, t] of [['weight', weight], ['bias', bias]] as const) {
    if (t && t.numel() !== numelOf(shape)) throw new Error(`${op}: ${name} must have ${numelOf(shape)} elements (normalizedShape ${formatShape(shape)}), got shape ${formatShape(t.shape)}`)
    if (t) requireSameDType(op, x, t, `the input and the ${name}`)
  }
  return layerNormRows(x, numelOf(shape), weight, bias, { normalizedShape: shape, eps, hasWeight: weight !== null, hasBias: bias !== null })
}

/** Group normalisation of [N, C, *]: statistics per sample over each group of C/numGroups channels; weight and bias [C]. */
export function groupNorm(x: Tensor, numGroups: number, weight: Tensor | null = null, bias: Tensor | null = null, options: { eps?: number } = {}): Tensor {
  const op = 'groupNorm'
  checkOptionKeys(op, options, ['eps'])
  requireFloatTensor(op, 'the input', x)
  if (x.ndim < 2) throw new Error(`${op}: expected an input of at least 2 dims ([N, C, *]), got shape ${formatShape(x.shape)}`)
  const [n, c] = x.shape
  if (!Number.isInteger(numGroups) || numGroups < 1 || c % numGroups !== 0) {
    throw new Error(`${op}: numGroups = ${numGroups} must divide the ${c} channels of input ${formatShape(x.shape)}`)
  }
  const eps = options.eps ?? 1e-5
  checkAffine(op, x, weight, bias, c)
  const inputs = [x, weight, bias].filter((t): t is Tensor => t !== null)
  return composite('NativeGroupNormBackward0', inputs, { numGroups, eps, hasWeight: weight !== null, hasBias: bias !== null }, () => {
    // Each group of each sample is a row of layer norm's kernel; then the per-channel affine.
    let y = reshape(layerNormRows(x, (c / numGroups) * numelOf(x.shape.slice(2)), null, null, { eps }), [n, c, -1])
    if (weight) y = y.mul(reshape(weight, [c, 1]))
    if (bias) y = y.add(reshape(bias, [c, 1]))
    return reshape(y, [...x.shape])
  })
}
