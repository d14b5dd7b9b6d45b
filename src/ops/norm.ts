import { requireTensor } from '../argument-checks.js'
import { replayedStep } from '../compile/hooks.js'
import { composite } from '../autograd/engine.js'
import type { FloatArray } from '../dtype.js'
import { checkOptionKeys } from '../nn/options.js'
import { dimsBetween, formatShape, numelOf } from '../shape.js'
import type { Tensor } from '../tensor.js'
import { wroteInPlace } from './inplace.js'
import { layerNormRows } from './layer-norm-rows.js'
import { floats, requireFloatTensor, requireSameDType } from './operands.js'
import { reshape } from './shape.js'

/**
 * Normalisation layers' ops: (x − mean) / √(var + eps), then a per-feature scale and shift.
 * Batch and group norm are built from autograd ops (sum, mul, pow, broadcasting), so the
 * gradient is theirs; layer norm runs the fused row kernel of ./layer-norm-rows.ts. The
 * statistics are biased (÷ n), as PyTorch normalises; BatchNorm's running variance is unbiased.
 */

export interface BatchNormOptions {
  /** Use the batch's statistics and update the running ones (default false, as F.batch_norm). */
  training?: boolean
  momentum?: number
  eps?: number
}

/** Mean and biased variance of x over `dims` (kept as size 1), and x − mean. */
function moments(x: Tensor, dims: number[]): { mean: Tensor; variance: Tensor; centered: Tensor; count: number } {
  let count = 1
  let s = x
  for (const d of dims) {
    count *= x.shape[d]
    s = s.sum(d, true)
  }
  const mean = s.div(count)
  const centered = x.sub(mean)
  let q = centered.mul(centered)
  for (const d of dims) q = q.sum(d, true)
  return { mean, variance: q.div(count), centered, count }
}

function affine(op: string, y: Tensor, weight: Tensor | null, bias: Tensor | null, shape: number[], what: string): Tensor {
  const n = shape.reduce((a, b) => a * b, 1)
  for (const [name, t] of [['weight', weight], ['bias', bias]] as const) {
    if (t && t.numel() !== n) throw new Error(`${op}: ${name} must have ${n} elements (${what}), got shape ${formatShape(t.shape)}`)
    if (t) requireSameDType(op, y, t, `the input and the ${name}`)
  }
  if (weight) y = y.mul(reshape(weight, shape))
  if (bias) y = y.add(reshape(bias, shape))
  return y
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
  const stats = [1, c, 1]
  const given = { runningMean, runningVar, weight, bias }
  for (const [name, t] of Object.entries(given)) if (t != null) requireTensor(op, name, t) // null (or undefined): absent
  for (const [name, t] of [['runningMean', runningMean], ['runningVar', runningVar]] as const) {
    if (t && t.numel() !== c) throw new Error(`${op}: ${name} must have ${c} elements (one per channel of input ${formatShape(x.shape)}), got shape ${formatShape(t.shape)}`)
    if (t) requireSameDType(op, x, t, `the input and ${name}`)
  }
  // Tracers (ONNX export) see one op: BatchNormalization in eval mode.
  const inputs = [x, runningMean, runningVar, weight, bias].filter((t): t is Tensor => t !== null)
  const attributes = { eps, training: training || !runningMean || !runningVar, hasWeight: weight !== null, hasBias: bias !== null }
  return composite('NativeBatchNormBackward0', inputs, attributes, () => {
    const x3 = reshape(x, [n, c, -1])
    let y: Tensor
    if (training || !runningMean || !runningVar) {
      const { mean, variance, centered, count } = moments(x3, [0, 2])
      if (count <= 1) throw new Error(`${op}: expected more than 1 value per channel when training, got input ${formatShape(x.shape)}`)
      y = centered.mul(variance.add(eps).pow(-0.5))
      if (training && (runningMean || runningVar)) {
        // A replayedStep: a compiled step updates them from each call's statistics, as eager does.
        for (const t of [runningMean, runningVar]) if (t) wroteInPlace(t)
        const [rm, rv] = [runningMean && floats(runningMean), runningVar && floats(runningVar)]
        replayedStep('runningStats', updateRunning, [floats(mean), floats(variance), rm, rv, momentum, count / (count - 1)])
      }
    } else {
      const rm = reshape(runningMean.detach(), stats)
      const rv = reshape(runningVar.detach(), stats)
      y = x3.sub(rm).mul(rv.add(eps).pow(-0.5))
    }
    return reshape(affine(op, y, weight, bias, stats, 'one per channel'), [...x.shape])
  })
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
  const inputs = [x, weight, bias].filter((t): t is Tensor => t !== null)
  return composite('NativeGroupNormBackward0', inputs, { numGroups, eps, hasWeight: weight !== null, hasBias: bias !== null }, () => {
    const { variance, centered } = moments(reshape(x, [n, numGroups, -1]), [2])
    const y = reshape(centered.mul(variance.add(eps).pow(-0.5)), [n, c, -1])
    return reshape(affine(op, y, weight, bias, [c, 1], 'one per channel'), [...x.shape])
  })
}
