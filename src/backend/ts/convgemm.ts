import type { FloatArray } from '../../dtype.js'
import type { Conv2dOptions } from '../types.js'
import { col2im, im2col } from './conv.js'
import { gemm } from './gemm.js'

/**
 * Convolution as unfold + GEMM, one sample at a time through one scratch block of columns
 * reused by every call (grown, never shrunk): no columns array is allocated per call. Each
 * sample's GEMM is the one the unfolded form ran, so the results are identical to it.
 */

let scratch32 = new Float32Array(0)
let scratch64 = new Float64Array(0)

/** A scratch array of the float type of `like` holding at least `size` elements. */
function scratchOf(like: FloatArray, size: number): FloatArray {
  if (like instanceof Float64Array) {
    if (scratch64.length < size) scratch64 = new Float64Array(size)
    return scratch64
  }
  if (scratch32.length < size) scratch32 = new Float32Array(size)
  return scratch32
}

/** The sizes every kernel below derives from the options. */
function sizes(o: Conv2dOptions): { L: number; K: number; ocg: number; plane: number; colSize: number } {
  const { c, oc, groups, g } = o
  const L = g.oh * g.ow
  const K = (c / groups) * g.kh * g.kw
  return { L, K, ocg: oc / groups, plane: c * g.h * g.w, colSize: c * g.kh * g.kw * L }
}

export function conv2d(x: FloatArray, weight: FloatArray, y: FloatArray, o: Conv2dOptions): void {
  const { L, K, ocg, plane, colSize } = sizes(o)
  const cols = scratchOf(x, colSize)
  for (let b = 0; b < o.n; b++) {
    im2col(x.subarray(b * plane, (b + 1) * plane), cols, o.c, o.g)
    const yb = y.subarray(b * o.oc * L, (b + 1) * o.oc * L)
    gemm(weight, cols, yb, { batch: o.groups, m: ocg, n: L, k: K, aBatchStride: ocg * K, bBatchStride: K * L })
    if (o.bias) for (let ch = 0; ch < o.oc; ch++) for (let i = ch * L; i < (ch + 1) * L; i++) yb[i] += o.bias[ch]
  }
}

export function conv2dInputGrad(dy: FloatArray, weight: FloatArray, dx: FloatArray, o: Conv2dOptions): void {
  const { L, K, ocg, plane, colSize } = sizes(o)
  const cols = scratchOf(dy, colSize)
  for (let b = 0; b < o.n; b++) {
    const dyb = dy.subarray(b * o.oc * L, (b + 1) * o.oc * L)
    gemm(weight, dyb, cols, { batch: o.groups, m: K, n: L, k: ocg, transA: true, aBatchStride: ocg * K, bBatchStride: ocg * L })
    col2im(cols, dx.subarray(b * plane, (b + 1) * plane), o.c, o.g)
  }
}

/** The per-sample products summed in order in f64 (as the unfolded form's batch sum), rounded once. */
export function conv2dWeightGrad(x: FloatArray, dy: FloatArray, dw: FloatArray, o: Conv2dOptions): void {
  const { L, K, ocg, plane, colSize } = sizes(o)
  const size = o.oc * K
  const block = scratchOf(x, colSize + size)
  const cols = block.subarray(0, colSize)
  const part = block.subarray(colSize, colSize + size)
  const acc = new Float64Array(size)
  for (let b = 0; b < o.n; b++) {
    im2col(x.subarray(b * plane, (b + 1) * plane), cols, o.c, o.g)
    const dyb = dy.subarray(b * o.oc * L, (b + 1) * o.oc * L)
    gemm(dyb, cols, part, { batch: o.groups, m: ocg, n: K, k: L, transB: true, aBatchStride: ocg * L, bBatchStride: K * L })
    for (let i = 0; i < size; i++) acc[i] += part[i]
  }
  dw.set(acc.subarray(0, size))
}
