import type { FloatArray } from '../../dtype.js'
import { BINARY_OPS, codes, POINTWISE_LOSSES, UNARY_OPS } from '../opcodes.js'
import { unaryEntry } from '../optable.js'
import { tsBackend as ts } from '../ts/index.js'
import type { AdagradOptions, AdamOptions, Backend, BinaryOp, GemmOptions, PointwiseLoss, RmspropOptions, SgdOptions, UnaryOp } from '../types.js'
import { IN, INOUT, invoke, OUT } from './invoke.js'
import { visionKernels } from './vision.js'
import { wasmAttention } from './attention.js'
import { wasmTransformer } from './transformer.js'
import { surfaceKernels } from './surface-kernels.js'
import { writeOdometer } from './odometer.js'
import { dispatchSmall } from './small-dispatch.js'

export { SMALL } from './small-dispatch.js'

/**
 * The wasm backend: each kernel is one `invoke` (stage the arrays into wasm memory, call the
 * f32 or f64 export of build/yann.wasm, copy the outputs back). Work that does not fit in
 * wasm memory runs on the ts kernel instead.
 */

const UNARY = codes(UNARY_OPS)
const BINARY = codes(BINARY_OPS)
const LOSS = codes(POINTWISE_LOSSES)

/**
 * Every kernel in wasm, whatever its size: `setBackend('wasm', { dispatchSmall: false })`, tests,
 * benchmarks. The default wasm backend (small-dispatch.ts) runs small inputs on the ts kernels.
 */
export const wasmOnlyBackend: Backend = {
  name: 'wasm',
  ...visionKernels,
  ...wasmAttention,
  ...wasmTransformer,
  ...surfaceKernels,

  unary(op: UnaryOp, x: FloatArray, out: FloatArray): void {
    const n = x.length
    const code = UNARY[op]
    const ran = invoke('unary', x, [x, IN, out, OUT], (f, p) => f(code, p[0], p[1], n), { code, op })
    if (!ran) ts.unary(op, x, out)
  },

  unaryBackward(op: UnaryOp, x: FloatArray, y: FloatArray, dy: FloatArray, out: FloatArray): void {
    const n = dy.length
    const code = UNARY[op]
    const reads = unaryEntry(op).reads // stage only what the derivative reads
    const arrays = [reads === 'x' ? x : null, IN, reads === 'y' ? y : null, IN, dy, IN, out, OUT]
    const ran = invoke('unaryBackward', dy, arrays, (f, p) => f(code, p[0], p[1], p[2], p[3], n), { code, op })
    if (!ran) ts.unaryBackward(op, x, y, dy, out)
  },

  powScalar(x: FloatArray, e: number, out: FloatArray): void {
    const n = x.length
    if (!invoke('powScalar', x, [x, IN, out, OUT], (f, p) => f(p[0], e, p[1], n))) ts.powScalar(x, e, out)
  },

  powScalarBackward(x: FloatArray, e: number, dy: FloatArray, out: FloatArray): void {
    const n = x.length
    const arrays = [e === 0 ? null : x, IN, e === 0 ? null : dy, IN, out, OUT]
    if (!invoke('powScalarBackward', x, arrays, (f, p) => f(p[0], e, p[1], p[2], n))) ts.powScalarBackward(x, e, dy, out)
  },

  clamp(x: FloatArray, lo: number, hi: number, out: FloatArray): void {
    const n = x.length
    if (!invoke('clamp', x, [x, IN, out, OUT], (f, p) => f(p[0], lo, hi, p[1], n))) ts.clamp(x, lo, hi, out)
  },

  clampBackward(x: FloatArray, lo: number, hi: number, dy: FloatArray, out: FloatArray): void {
    const n = x.length
    const ran = invoke('clampBackward', x, [x, IN, dy, IN, out, OUT], (f, p) => f(p[0], lo, hi, p[1], p[2], n))
    if (!ran) ts.clampBackward(x, lo, hi, dy, out)
  },

  binary(op: BinaryOp, a: FloatArray, b: FloatArray, out: FloatArray, outShape: readonly number[], aStrides: readonly number[], bStrides: readonly number[]): void {
    const n = out.length
    const code = BINARY[op]
    const rank = outShape.length
    // Metadata [shape, aStrides, bStrides, counters]: the general case's odometer.
    const info = { code, op, metaInts: 4 * rank, writeMeta: (v: Int32Array, at: number) => writeOdometer(v, at, outShape, aStrides, bStrides) }
    // Lengths read now: staging may grow the memory, after which a view of it (a parameter) has length 0.
    const aLen = a.length
    const bLen = b.length
    const call = (f: (...a: number[]) => void, p: Float64Array, meta: number) => f(code, p[0], aLen, p[1], bLen, p[2], n, rank, meta)
    if (!invoke('binary', out, [a, IN, b, IN, out, OUT], call, info)) ts.binary(op, a, b, out, outShape, aStrides, bStrides)
  },

  stridedCopy(x: FloatArray, out: FloatArray, outShape: readonly number[], strides: readonly number[], offset: number): void {
    const n = out.length
    if (n === 0) return ts.stridedCopy(x, out, outShape, strides, offset) // nothing to gather: no reach to stage
    // Stage only the elements the gather can reach, [lo, hi] around offset.
    // (A range outside x is the caller's bug: pass x whole and let the kernel trap on it.)
    let [lo, hi] = reach(outShape, strides, offset)
    if (lo < 0 || hi >= x.length) [lo, hi] = [0, x.length - 1]
    const part = lo === 0 && hi === x.length - 1 ? x : x.subarray(lo, hi + 1)
    const rank = outShape.length
    const info = { metaInts: 3 * rank, writeMeta: (v: Int32Array, at: number) => writeOdometer(v, at, outShape, strides) }
    const call = (f: (...a: number[]) => void, p: Float64Array, meta: number) => f(p[0], p[1], n, rank, meta, offset - lo)
    if (!invoke('stridedCopy', out, [part, IN, out, OUT], call, info)) ts.stridedCopy(x, out, outShape, strides, offset)
  },

  gemm(a: FloatArray, b: FloatArray, out: FloatArray, o: GemmOptions): void {
    const { m, n, k, batch = 1 } = o
    const call = (f: (...a: number[]) => void, p: Float64Array) =>
      f(p[0], p[1], p[2], batch, m, n, k, o.transA ? 1 : 0, o.transB ? 1 : 0, o.aBatchStride ?? 0, o.bBatchStride ?? 0, p[3])
    // gemm allocates its packing buffers on first use: the memory may grow during the call.
    const info = { allocates: true, shapes: () => `[${batch}, ${m}, ${k}] · [${batch}, ${k}, ${n}]` }
    if (!invoke('gemm', out, [a, IN, b, IN, out, OUT, o.bias ?? null, IN], call, info)) ts.gemm(a, b, out, o)
  },

  sumAxis(x: FloatArray, out: FloatArray, outer: number, n: number, inner: number, scale: number): void {
    const ran = invoke('sumAxis', x, [x, IN, out, OUT], (f, p) => f(p[0], p[1], outer, n, inner, scale))
    if (!ran) ts.sumAxis(x, out, outer, n, inner, scale)
  },

  sumSquares(x: FloatArray, out: FloatArray): void {
    const n = x.length
    if (!invoke('sumSquares', x, [x, IN, out, OUT], (f, p) => f(p[0], p[1], n))) ts.sumSquares(x, out)
  },

  softmax(x: FloatArray, out: FloatArray, outer: number, n: number, inner: number, log: boolean): void {
    const ran = invoke('softmax', x, [x, IN, out, OUT], (f, p) => f(p[0], p[1], outer, n, inner, log ? 1 : 0))
    if (!ran) ts.softmax(x, out, outer, n, inner, log)
  },

  softmaxBackward(y: FloatArray, dy: FloatArray, out: FloatArray, outer: number, n: number, inner: number, log: boolean): void {
    const call = (f: (...a: number[]) => void, p: Float64Array) => f(p[0], p[1], p[2], outer, n, inner, log ? 1 : 0)
    if (!invoke('softmaxBackward', y, [y, IN, dy, IN, out, OUT], call)) ts.softmaxBackward(y, dy, out, outer, n, inner, log)
  },

  pointwiseLoss(kind: PointwiseLoss, x: FloatArray, t: FloatArray, w: FloatArray | null, out: FloatArray): void {
    const n = x.length
    const code = LOSS[kind]
    const call = (f: (...a: number[]) => void, p: Float64Array) => f(code, p[0], p[1], p[2], p[3], n)
    const ran = invoke('pointwiseLoss', x, [x, IN, t, IN, w, IN, out, OUT], call, { code, op: kind })
    if (!ran) ts.pointwiseLoss(kind, x, t, w, out)
  },

  pointwiseLossBackward(kind: PointwiseLoss, x: FloatArray, t: FloatArray, w: FloatArray | null, dy: FloatArray, scale: number, out: FloatArray): void {
    const n = x.length
    const code = LOSS[kind]
    const dyLen = dy.length // before staging (see binary)
    const call = (f: (...a: number[]) => void, p: Float64Array) => f(code, p[0], p[1], p[2], p[3], dyLen, scale, p[4], n)
    const ran = invoke('pointwiseLossBackward', x, [x, IN, t, IN, w, IN, dy, IN, out, OUT], call, { code, op: kind })
    if (!ran) ts.pointwiseLossBackward(kind, x, t, w, dy, scale, out)
  },

  sgdStep(param: FloatArray, grad: FloatArray, momentumBuffer: FloatArray | null, firstStep: boolean, o: SgdOptions): void {
    const n = param.length
    const arrays = [param, INOUT, grad, IN, momentumBuffer, firstStep ? OUT : INOUT]
    const call = (f: (...a: number[]) => void, p: Float64Array) =>
      f(p[0], p[1], p[2], n, firstStep ? 1 : 0, o.lr, o.momentum, o.dampening, o.nesterov ? 1 : 0, o.weightDecay)
    if (!invoke('sgdStep', param, arrays, call)) ts.sgdStep(param, grad, momentumBuffer, firstStep, o)
  },

  adamStep(param: FloatArray, grad: FloatArray, expAvg: FloatArray, expAvgSq: FloatArray, step: number, o: AdamOptions): void {
    const n = param.length
    const stepSize = o.lr / (1 - o.beta1 ** step)
    const bias2Sqrt = Math.sqrt(1 - o.beta2 ** step)
    const decay = o.decoupled ? 1 - o.lr * o.weightDecay : 1
    const l2 = o.decoupled ? 0 : o.weightDecay
    const call = (f: (...a: number[]) => void, p: Float64Array) =>
      f(p[0], p[1], p[2], p[3], n, stepSize, bias2Sqrt, decay, l2, o.beta1, o.beta2, o.eps)
    const arrays = [param, INOUT, grad, IN, expAvg, INOUT, expAvgSq, INOUT]
    if (!invoke('adamStep', param, arrays, call)) ts.adamStep(param, grad, expAvg, expAvgSq, step, o)
  },

  rmspropStep(param: FloatArray, grad: FloatArray, squareAvg: FloatArray, gradAvg: FloatArray | null, momentumBuffer: FloatArray | null, o: RmspropOptions): void {
    const n = param.length
    const call = (f: (...a: number[]) => void, p: Float64Array) => f(p[0], p[1], p[2], p[3], p[4], n, o.lr, o.alpha, o.eps, o.weightDecay, o.momentum)
    const arrays = [param, INOUT, grad, IN, squareAvg, INOUT, gradAvg, INOUT, momentumBuffer, INOUT]
    if (!invoke('rmspropStep', param, arrays, call)) ts.rmspropStep(param, grad, squareAvg, gradAvg, momentumBuffer, o)
  },

  adagradStep(param: FloatArray, grad: FloatArray, sum: FloatArray, o: AdagradOptions): void {
    const n = param.length
    const call = (f: (...a: number[]) => void, p: Float64Array) => f(p[0], p[1], p[2], n, o.lr, o.eps, o.weightDecay)
    if (!invoke('adagradStep', param, [param, INOUT, grad, IN, sum, INOUT], call)) ts.adagradStep(param, grad, sum, o)
  },

  // The generator is JavaScript's: the same draws as the ts backend.
  dropoutMask: ts.dropoutMask,
}

/** The lowest and highest element a strided gather of `shape` from `offset` reads. */
function reach(shape: readonly number[], strides: readonly number[], offset: number): [number, number] {
  let lo = offset
  let hi = offset
  for (let d = 0; d < shape.length; d++) {
    const span = (shape[d] - 1) * strides[d]
    if (span < 0) lo += span
    else hi += span
  }
  return [lo, hi]
}

/** The default wasm backend: small inputs run the ts kernels (small-dispatch.ts). */
export const wasmBackend: Backend = dispatchSmall(wasmOnlyBackend)
