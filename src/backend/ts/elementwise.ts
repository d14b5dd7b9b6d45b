import type { FloatArray } from '../../dtype.js'
import { UNARY_TABLE, unaryEntry } from '../optable.js'
import type { BinaryOp, UnaryOp } from '../types.js'

/** Pure-TypeScript elementwise kernels; the unary functions are the op table's (../optable.ts). */

export function unary(op: UnaryOp, x: FloatArray, out: FloatArray): void {
  const f = UNARY_TABLE[op].forward
  for (let i = 0; i < x.length; i++) out[i] = f(x[i])
}

export function unaryBackward(op: UnaryOp, x: FloatArray, y: FloatArray, dy: FloatArray, out: FloatArray): void {
  const d = unaryEntry(op).derivative
  for (let i = 0; i < dy.length; i++) out[i] = d(x[i], y[i], dy[i])
}

export function powScalar(x: FloatArray, p: number, out: FloatArray): void {
  for (let i = 0; i < x.length; i++) out[i] = x[i] ** p
}

export function powScalarBackward(x: FloatArray, p: number, dy: FloatArray, out: FloatArray): void {
  if (p === 0) return void out.fill(0)
  for (let i = 0; i < x.length; i++) out[i] = dy[i] * p * x[i] ** (p - 1)
}

export function clamp(x: FloatArray, lo: number, hi: number, out: FloatArray): void {
  for (let i = 0; i < x.length; i++) {
    // min(max(x, lo), hi) in this order: when lo > hi every element becomes hi, as in PyTorch.
    const v = x[i] < lo ? lo : x[i]
    out[i] = v > hi ? hi : v
  }
}

export function clampBackward(x: FloatArray, lo: number, hi: number, dy: FloatArray, out: FloatArray): void {
  for (let i = 0; i < x.length; i++) out[i] = x[i] >= lo && x[i] <= hi ? dy[i] : 0
}

const binaryFns: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  maximum: (a, b) => (a !== a || b !== b ? NaN : a > b ? a : b), // NaN propagates, as in torch.maximum
  gt: (a, b) => (a > b ? 1 : 0),
  eq: (a, b) => (a === b ? 1 : 0),
  pow: (a, b) => a ** b,
}

export function binary(
  op: BinaryOp,
  a: FloatArray,
  b: FloatArray,
  out: FloatArray,
  outShape: readonly number[],
  aStrides: readonly number[],
  bStrides: readonly number[],
): void {
  broadcastBinary(binaryFns[op], a, b, out, outShape, aStrides, bStrides)
}

/**
 * out[i] = f(a, b) over the broadcast output shape (input strides 0 on broadcast dims); shared
 * by `binary` and `compare`, whose outputs differ only in element type.
 */
export function broadcastBinary(
  f: (a: number, b: number) => number,
  a: FloatArray,
  b: FloatArray,
  out: FloatArray | Uint8Array,
  outShape: readonly number[],
  aStrides: readonly number[],
  bStrides: readonly number[],
): void {
  const n = out.length
  if (a.length === n && b.length === n) {
    for (let i = 0; i < n; i++) out[i] = f(a[i], b[i])
    return
  }
  if (b.length === 1) {
    const bv = b[0]
    if (a.length === n) for (let i = 0; i < n; i++) out[i] = f(a[i], bv)
    else for (let i = 0; i < n; i++) out[i] = f(a[0], bv)
    return
  }
  if (a.length === 1) {
    const av = a[0]
    if (b.length === n) for (let i = 0; i < n; i++) out[i] = f(av, b[i])
    return
  }
  // General case: walk the output index like an odometer, moving both input offsets.
  const rank = outShape.length
  const index = new Array<number>(rank).fill(0)
  let ai = 0
  let bi = 0
  for (let i = 0; i < n; i++) {
    out[i] = f(a[ai], b[bi])
    for (let d = rank - 1; d >= 0; d--) {
      index[d]++
      ai += aStrides[d]
      bi += bStrides[d]
      if (index[d] < outShape[d]) break
      ai -= aStrides[d] * outShape[d]
      bi -= bStrides[d] * outShape[d]
      index[d] = 0
    }
  }
}

export function stridedCopy(
  x: FloatArray,
  out: FloatArray,
  outShape: readonly number[],
  strides: readonly number[],
  offset: number,
): void {
  const rank = outShape.length
  const index = new Array<number>(rank).fill(0)
  let xi = offset
  for (let i = 0; i < out.length; i++) {
    out[i] = x[xi]
    for (let d = rank - 1; d >= 0; d--) {
      index[d]++
      xi += strides[d]
      if (index[d] < outShape[d]) break
      xi -= strides[d] * outShape[d]
      index[d] = 0
    }
  }
}
