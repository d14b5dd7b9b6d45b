import { requireTensor } from '../argument-checks.js'
import { gradDestination, record } from '../autograd/engine.js'
import { backend } from '../backend/index.js'
import { copyArray, replayedStep } from '../compile/hooks.js'
import type { FloatDType } from '../dtype.js'
import { narrow } from '../promote.js'
import { broadcastShapes, broadcastStrides, formatShape, leadingDims, numelOf, sameShape } from '../shape.js'
import { frozenWithLastDim } from '../shape-intern.js'
import type { Saved } from '../autograd/version.js'
import { Tensor } from '../tensor.js'
import { asFloat, empty, floatDType, floats, requireFloatTensor, requireSameDType } from './operands.js'
import { sumTo } from './reduce.js'

/**
 * Matrix products, PyTorch's matmul: 1-D·1-D (dot), 2-D·1-D, 1-D·2-D, 2-D·2-D and batched
 * N-D with broadcast batch dims. A 1-D operand is a row (left) or a column (right) and its
 * dim is dropped from the result. Everything runs through the backend's batched GEMM.
 */
export function matmul(left: Tensor, right: Tensor): Tensor {
  if (!(left instanceof Tensor) || !(right instanceof Tensor)) throw new TypeError('matmul: both operands must be tensors')
  if (left.ndim === 0 || right.ndim === 0) {
    throw new Error(`matmul: both operands need at least 1 dim, got shapes ${formatShape(left.shape)} and ${formatShape(right.shape)}; use mul for a scalar`)
  }
  requireSameDType('matmul', left, right)
  if (left.dtype === 'bool') throw new TypeError(`matmul: not supported on bool tensors (shapes ${formatShape(left.shape)} and ${formatShape(right.shape)}), as in PyTorch; convert them with .int() first`)
  if (left.dtype === 'int32') return intMatmul(left, right)
  const a0 = asFloat(left)
  const b0 = asFloat(right)
  // Promote 1-D operands to matrices; remember which result dims to drop.
  const a = a0.ndim === 1 ? a0.viewAs([1, a0.shape[0]]) : a0
  const b = b0.ndim === 1 ? b0.viewAs([b0.shape[0], 1]) : b0
  const m = a.shape[a.ndim - 2]
  const k = a.shape[a.ndim - 1]
  const k2 = b.shape[b.ndim - 2]
  const n = b.shape[b.ndim - 1]
  if (k !== k2) {
    throw new Error(
      `matmul: shapes ${formatShape(left.shape)} and ${formatShape(right.shape)} cannot be multiplied: ` +
        `the left operand's last dim (${k}) must equal the right operand's ${right.ndim === 1 ? 'length' : 'second-to-last dim'} (${k2}); ` +
        'transpose or reshape one of them',
    )
  }
  const batchA = leadingDims(a.shape, 2)
  const batchB = leadingDims(b.shape, 2)
  let batchShape: number[]
  try {
    batchShape = broadcastShapes('matmul', batchA, batchB)
  } catch {
    throw new Error(
      `matmul: shapes ${formatShape(left.shape)} and ${formatShape(right.shape)} cannot be multiplied: ` +
        `their batch dims ${formatShape(batchA)} and ${formatShape(batchB)} (all but the last two) cannot broadcast; ` +
        'sizes must match or one of them be 1',
    )
  }
  const batch = numelOf(batchShape)
  const aFull = expandBatch(a, batchShape)
  const bFull = expandBatch(b, batchShape)
  const outShape = [...batchShape, m, n]
  const y = empty(floatDType(a), outShape)
  gemm(aFull, bFull, y, batch, m, n, k, false, false)

  const resultShape = [...batchShape, ...(a0.ndim === 1 ? [] : [m]), ...(b0.ndim === 1 ? [] : [n])]
  const out = y.viewAs(resultShape)
  const name = a0.ndim === 1 && b0.ndim === 1 ? 'DotBackward0' : a0.ndim <= 2 && b0.ndim <= 2 ? (b0.ndim === 1 ? 'MvBackward0' : 'MmBackward0') : 'BmmBackward0'
  return record(out, name, [a0, b0], (g) => {
    const gy = g.viewAs(outShape)
    let ga: Tensor | null = null
    let gb: Tensor | null = null
    const dt = floatDType(a)
    if (a0.requiresGrad) {
      // dA = dY·Bᵀ, then summed over the batch dims A was broadcast along.
      const shape = [...batchShape, m, k]
      const full = gradOutput(a0, dt, shape, sameShape(a.shape, shape))
      gemm(gy, bFull, full, batch, m, k, n, false, true)
      ga = sumTo(full, a.shape).viewAs(a0.shape)
    }
    if (b0.requiresGrad) {
      // dB = Aᵀ·dY
      const shape = [...batchShape, k, n]
      const full = gradOutput(b0, dt, shape, sameShape(b.shape, shape))
      gemm(aFull, gy, full, batch, k, n, m, true, false)
      gb = sumTo(full, b.shape).viewAs(b0.shape)
    }
    return [ga, gb]
  }, undefined, crossSaved(a0, b0))
}

/**
 * int32 · int32 → int32, as PyTorch's int64 matmul: the float64 product, exact while every
 * partial sum stays below 2⁵³ (checked at every call, compiled ones included), then narrowed.
 */
function intMatmul(a: Tensor, b: Tensor): Tensor {
  const k = a.shape[a.ndim - 1]
  replayedStep('checkExactProduct', checkExactProduct, [a.data as Int32Array, b.data as Int32Array, k, `${formatShape(a.shape)} and ${formatShape(b.shape)}`])
  return narrow('matmul', matmul(a.to('float64'), b.to('float64')), 'int32')
}

function checkExactProduct(a: Int32Array, b: Int32Array, k: number, shapes: string): void {
  const bound = maxAbs(a) * maxAbs(b) * k
  if (bound >= 2 ** 53) {
    throw new RangeError(`matmul: int32 operands ${shapes} are too large for an exact product (max |a| · max |b| · k = ${bound} ≥ 2^53); convert them with .double() first`)
  }
}

function maxAbs(x: Int32Array): number {
  let m = 0
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]))
  return m
}

/** What a product's backward reads: b for a's gradient, a for b's (PyTorch saves each only when the other requires grad). */
function crossSaved(a: Tensor, b: Tensor): Saved | undefined {
  return a.requiresGrad ? (b.requiresGrad ? [b, a] : b) : b.requiresGrad ? a : undefined
}

/**
 * Where a backward writes the gradient of `input` (`shape`: the same elements, maybe viewed
 * otherwise): the leaf's gradient buffer when backward() lends it and the values written are
 * the whole gradient (`whole`: nothing is summed over afterwards), else a new tensor.
 */
function gradOutput(input: Tensor, dtype: FloatDType, shape: readonly number[], whole: boolean): Tensor {
  const d = whole ? gradDestination(input, dtype) : null
  if (d === null) return empty(dtype, shape)
  return sameShape(d.shape, shape) ? d : d.viewAs(shape) // linear's dW, db: the buffer as lent
}

/** An operand and its batch stride: stride 0 for a single matrix shared by the batch. */
interface Batched {
  t: Tensor
  stride: number
}

/** Make an operand cover the whole batch: shared (stride 0), as is, or copied out to it. */
function expandBatch(x: Tensor, batchShape: readonly number[]): Batched {
  const r = x.shape[x.ndim - 2]
  const c = x.shape[x.ndim - 1]
  const own = leadingDims(x.shape, 2)
  if (numelOf(own) === 1) return { t: x, stride: 0 }
  if (sameShape(own, batchShape)) return { t: x, stride: r * c }
  const shape = [...batchShape, r, c]
  const full = empty(floatDType(x), shape)
  backend().stridedCopy(floats(x), floats(full), shape, broadcastStrides(x.shape, shape), 0)
  return { t: full, stride: r * c }
}

function gemm(
  a: Batched | Tensor,
  b: Batched | Tensor,
  out: Tensor,
  batch: number,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
): void {
  const A = a instanceof Tensor ? { t: a, stride: m * k } : a
  const B = b instanceof Tensor ? { t: b, stride: k * n } : b
  backend().gemm(floats(A.t), floats(B.t), floats(out), { batch, m, n, k, transA, transB, aBatchStride: A.stride, bBatchStride: B.stride })
}

/**
 * y = x·Wᵀ + b, nn.Linear's op: x is [..., in], weight [out, in], bias [out] or null.
 * One GEMM with W transposed in place of a transposed copy; the bias is added in the same pass.
 */
export function linear(x: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  return affine('linear', x, weight, bias, false)
}

/**
 * y = x·K + b for a kernel K laid out [in, out] (Keras's Dense): linear's path (fused bias,
 * gradients straight into the parameters' buffers) without transposing the kernel.
 */
export function linearInOut(x: Tensor, kernel: Tensor, bias: Tensor | null = null): Tensor {
  return affine('linear', x, kernel, bias, true)
}

/** linear's record attributes: one frozen object, not a new one per call. */
const LINEAR = Object.freeze({ linear: true })

function affine(op: string, x: Tensor, weight: Tensor, bias: Tensor | null, inOut: boolean): Tensor {
  requireTensor(op, 'the input', x)
  requireFloatTensor(op, 'the weight', weight) // an int32 input is named below, against the weight's dtype
  const outF = weight.shape[inOut ? 1 : 0]
  const inF = weight.shape[inOut ? 0 : 1]
  const layout = inOut ? '[in_features, out_features]' : '[out_features, in_features]'
  if (weight.ndim !== 2 || (bias && (bias.ndim !== 1 || bias.shape[0] !== outF))) {
    throw new Error(
      `${op}: weight must be ${layout} and bias [out_features], got ${formatShape(weight.shape)} and ${bias ? formatShape(bias.shape) : 'none'}`,
    )
  }
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== inF) {
    throw new Error(
      `${op}: input of shape ${formatShape(x.shape)} does not fit weight ${formatShape(weight.shape)}: ` +
        `the input's last dim must be in_features = ${inF}`,
    )
  }
  requireSameDType(op, x, weight, 'the input and the weight')
  if (bias) requireSameDType(op, x, bias, 'the input and the bias')
  const outShape = frozenWithLastDim(x.shape, outF)
  let rows = 1 // all dims of x but the last (not numel / inF: that is 0/0 when inF = 0)
  for (let i = 0; i < x.ndim - 1; i++) rows *= x.shape[i]
  const y = empty(floatDType(x), outShape)
  backend().gemm(floats(x), floats(weight), floats(y), { m: rows, n: outF, k: inF, transB: !inOut, bias: bias ? floats(bias) : null })
  const inputs = bias ? [x, weight, bias] : [x, weight]
  return record(y, bias ? 'AddmmBackward0' : 'MmBackward0', inputs, (g) => {
    const be = backend()
    let gx: Tensor | null = null
    let gw: Tensor | null = null
    let gb: Tensor | null = null
    if (x.requiresGrad) {
      gx = empty(floatDType(x), x.shape) // dX = dY·W (Kᵀ for [in, out])
      be.gemm(floats(g), floats(weight), floats(gx), { m: rows, n: inF, k: outF, transB: inOut })
    }
    // dW and db straight into the parameters' gradient buffers where backward() lends them.
    const dt = floatDType(x)
    if (weight.requiresGrad) {
      gw = gradOutput(weight, dt, weight.shape, true)
      if (inOut) be.gemm(floats(x), floats(g), floats(gw), { m: inF, n: outF, k: rows, transA: true }) // dK = Xᵀ·dY
      else be.gemm(floats(g), floats(x), floats(gw), { m: outF, n: inF, k: rows, transA: true }) // dW = dYᵀ·X
    }
    if (bias?.requiresGrad) {
      // db = Σ_rows dY; a 1-D input's is dY itself, as PyTorch's (matmul + bias: its -0 stays -0).
      gb = gradOutput(bias, dt, bias.shape, true)
      if (x.ndim === 1) copyArray(floats(gb), floats(g))
      else be.sumAxis(floats(g), floats(gb), 1, rows, outF, 1)
    }
    return [gx, gw, gb]
  }, LINEAR, crossSaved(x, weight))
}
