import type { FloatArray } from '../../dtype.js'
import { tsBackend } from '../ts/index.js'
import type { AdamOptions, Backend, BinaryOp, PointwiseLoss, SgdOptions, UnaryOp } from '../types.js'
import { optimizerSteps } from './optimizer-steps.js'
import { abandon, arg, begin, finish, IN, INOUT, isInPlace, kernelError, metaPtr, metaView, OUT, ptr, requireExports, stage } from './runtime.js'

/**
 * The wasm backend: each kernel stages its arrays (runtime.ts), calls the f32 or f64
 * export of build/yann.wasm, and copies the outputs back.
 *
 * Crossing into wasm costs a fixed ~0.3–1 µs (views, copies, the call), so below the sizes
 * in `SMALL` the kernel is the ts one, run directly on the same arrays (in-place wasm
 * views included: they are ordinary typed arrays while no call grows the memory).
 */

// Op codes shared with assembly/elementwise.ts and assembly/loss.ts.
const UNARY: Record<UnaryOp, number> = { neg: 0, exp: 1, log: 2, sqrt: 3, abs: 4, relu: 5, sigmoid: 6, tanh: 7 }
const BINARY: Record<BinaryOp, number> = { add: 0, sub: 1, mul: 2, div: 3, maximum: 4, gt: 5, eq: 6 }
const LOSS: Record<PointwiseLoss, number> = { bce: 0, bceWithLogits: 1, mse: 2 }

/**
 * Below these sizes the ts kernel runs instead: a wasm call costs ~150–300 ns of staging
 * (mostly typed-array property access and copies) before any work, and the ts kernels run
 * small arithmetic loops at ~2 ns per element (~1 ns for sums, ~20 ns for exp, log, tanh).
 * Measured on Node 20 (x86-64): relu/add cross over near 100 elements, sgdStep near 100,
 * exp/sigmoid near 16–24, a contiguous sum near 256, gemm near m·n·k = 400.
 * `elements` is a length; `gemm` is batch·m·n·k.
 */
export const SMALL = { elements: 128, transcendental: 24, reduce: 256, gemm: 512 }

type Fn = (...a: number[]) => void

const KERNELS = [
  'unary', 'unaryBackward', 'powScalar', 'powScalarBackward', 'clamp', 'clampBackward', 'binary', 'stridedCopy',
  'gemm', 'sumAxis', 'softmax', 'softmaxBackward', 'pointwiseLoss', 'pointwiseLossBackward', 'sgdStep', 'adamStep',
] as const
type KernelName = (typeof KERNELS)[number]
/** `f32` and `f64` exports of one kernel, indexed by `x instanceof Float64Array ? 1 : 0`. */
type Bound = Record<KernelName, [Fn, Fn]>

/** Exports bound once, on first use, so that importing this module compiles nothing. */
let bound: Bound | null = null
function bind(): Bound {
  if (bound) return bound
  const e = requireExports('wasm backend')
  const all = {} as Bound
  for (const name of KERNELS) {
    const f32 = e[`${name}_f32`] as Fn | undefined
    const f64 = e[`${name}_f64`] as Fn | undefined
    if (!f32 || !f64) throw new Error(`yann wasm backend: build/yann.wasm lacks ${name}_f32/_f64; rebuild it (npm run build:wasm)`)
    all[name] = [f32, f64]
  }
  bound = all
  return all
}

function pick(name: KernelName, x: FloatArray): Fn {
  return (bound ?? bind())[name][x instanceof Float64Array ? 1 : 0]
}

/** After a failed call: drops the staged arguments; a trap becomes an Error naming the kernel. */
function fail(name: string, e: unknown): Error {
  abandon()
  return kernelError(name, e)
}

const TRANSCENDENTAL = new Set<UnaryOp>(['exp', 'log', 'sigmoid', 'tanh'])

/** Builds the wasm Backend; `smallToTs: false` forces every call through wasm (tests, benchmarks). */
export function createWasmBackend(smallToTs = true): Backend {
  const small = smallToTs ? SMALL : { elements: 0, transcendental: 0, reduce: 0, gemm: 0 }

  return {
    name: 'wasm',

    unary(op: UnaryOp, x: FloatArray, out: FloatArray): void {
      const n = x.length
      if (n < (TRANSCENDENTAL.has(op) ? small.transcendental : small.elements)) return tsBackend.unary(op, x, out)
      const f = pick('unary', x)
      begin()
      arg(x, IN)
      arg(out, OUT)
      stage()
      try {
        f(UNARY[op], ptr[0], ptr[1], n)
      } catch (e) {
        throw fail('unary', e)
      }
      finish()
    },

    unaryBackward(op: UnaryOp, x: FloatArray, y: FloatArray, dy: FloatArray, out: FloatArray): void {
      const n = dy.length
      if (n < small.elements) return tsBackend.unaryBackward(op, x, y, dy, out)
      const f = pick('unaryBackward', dy)
      // Stage only what the derivative reads (see assembly/elementwise.ts).
      const useX = op === 'log' || op === 'abs'
      const useY = op !== 'neg' && !useX
      begin()
      arg(useX ? x : null, IN)
      arg(useY ? y : null, IN)
      arg(dy, IN)
      arg(out, OUT)
      stage()
      try {
        f(UNARY[op], ptr[0], ptr[1], ptr[2], ptr[3], n)
      } catch (e) {
        throw fail('unaryBackward', e)
      }
      finish()
    },

    powScalar(x: FloatArray, p: number, out: FloatArray): void {
      const n = x.length
      if (n < small.elements) return tsBackend.powScalar(x, p, out)
      const f = pick('powScalar', x)
      begin()
      arg(x, IN)
      arg(out, OUT)
      stage()
      try {
        f(ptr[0], p, ptr[1], n)
      } catch (e) {
        throw fail('powScalar', e)
      }
      finish()
    },

    powScalarBackward(x: FloatArray, p: number, dy: FloatArray, out: FloatArray): void {
      const n = x.length
      if (n < small.elements) return tsBackend.powScalarBackward(x, p, dy, out)
      const f = pick('powScalarBackward', x)
      begin()
      arg(p === 0 ? null : x, IN)
      arg(p === 0 ? null : dy, IN)
      arg(out, OUT)
      stage()
      try {
        f(ptr[0], p, ptr[1], ptr[2], out.length)
      } catch (e) {
        throw fail('powScalarBackward', e)
      }
      finish()
    },

    clamp(x: FloatArray, lo: number, hi: number, out: FloatArray): void {
      const n = x.length
      if (n < small.elements) return tsBackend.clamp(x, lo, hi, out)
      const f = pick('clamp', x)
      begin()
      arg(x, IN)
      arg(out, OUT)
      stage()
      try {
        f(ptr[0], lo, hi, ptr[1], n)
      } catch (e) {
        throw fail('clamp', e)
      }
      finish()
    },

    clampBackward(x: FloatArray, lo: number, hi: number, dy: FloatArray, out: FloatArray): void {
      const n = x.length
      if (n < small.elements) return tsBackend.clampBackward(x, lo, hi, dy, out)
      const f = pick('clampBackward', x)
      begin()
      arg(x, IN)
      arg(dy, IN)
      arg(out, OUT)
      stage()
      try {
        f(ptr[0], lo, hi, ptr[1], ptr[2], n)
      } catch (e) {
        throw fail('clampBackward', e)
      }
      finish()
    },

    binary(
      op: BinaryOp,
      a: FloatArray,
      b: FloatArray,
      out: FloatArray,
      outShape: readonly number[],
      aStrides: readonly number[],
      bStrides: readonly number[],
    ): void {
      const n = out.length
      if (n < small.elements) return tsBackend.binary(op, a, b, out, outShape, aStrides, bStrides)
      const f = pick('binary', out)
      const aLen = a.length
      const bLen = b.length
      const rank = outShape.length
      // [shape, aStrides, bStrides, counters]: the general case's odometer.
      begin(4 * rank)
      arg(a, IN)
      arg(b, IN)
      arg(out, OUT)
      stage()
      const meta = metaView()
      const m = metaPtr >>> 2
      for (let d = 0; d < rank; d++) {
        meta[m + d] = outShape[d]
        meta[m + rank + d] = aStrides[d]
        meta[m + 2 * rank + d] = bStrides[d]
        meta[m + 3 * rank + d] = 0
      }
      try {
        f(BINARY[op], ptr[0], aLen, ptr[1], bLen, ptr[2], n, rank, metaPtr)
      } catch (e) {
        throw fail('binary', e)
      }
      finish()
    },

    stridedCopy(x: FloatArray, out: FloatArray, outShape: readonly number[], strides: readonly number[], offset: number): void {
      const n = out.length
      if (n < small.elements) return tsBackend.stridedCopy(x, out, outShape, strides, offset)
      const f = pick('stridedCopy', out)
      const rank = outShape.length
      // Stage only the elements the gather can reach: [lo, hi] around offset.
      let lo = offset
      let hi = offset
      for (let d = 0; d < rank; d++) {
        const span = (outShape[d] - 1) * strides[d]
        if (span < 0) lo += span
        else hi += span
      }
      if (n === 0) return
      begin(3 * rank)
      const xi = arg(x, IN, lo, hi - lo + 1)
      arg(out, OUT)
      stage()
      const meta = metaView()
      const m = metaPtr >>> 2
      for (let d = 0; d < rank; d++) {
        meta[m + d] = outShape[d]
        meta[m + rank + d] = strides[d]
        meta[m + 2 * rank + d] = 0
      }
      try {
        f(ptr[0], ptr[1], n, rank, metaPtr, isInPlace(xi) ? offset : offset - lo)
      } catch (e) {
        throw fail('stridedCopy', e)
      }
      finish()
    },

    gemm(
      a: FloatArray,
      b: FloatArray,
      out: FloatArray,
      batch: number,
      m: number,
      n: number,
      k: number,
      transA: boolean,
      transB: boolean,
      aBatchStride: number,
      bBatchStride: number,
      bias: FloatArray | null,
    ): void {
      if (batch * m * n * Math.max(k, 1) < small.gemm) {
        return tsBackend.gemm(a, b, out, batch, m, n, k, transA, transB, aBatchStride, bBatchStride, bias)
      }
      const f = pick('gemm', out)
      begin()
      arg(a, IN)
      arg(b, IN)
      arg(out, OUT)
      arg(bias, IN)
      stage()
      try {
        f(ptr[0], ptr[1], ptr[2], batch, m, n, k, transA ? 1 : 0, transB ? 1 : 0, aBatchStride, bBatchStride, ptr[3])
      } catch (e) {
        throw fail('gemm', e)
      }
      finish(true)
    },

    sumAxis(x: FloatArray, out: FloatArray, outer: number, n: number, inner: number, scale: number): void {
      if (x.length < small.reduce) return tsBackend.sumAxis(x, out, outer, n, inner, scale)
      const f = pick('sumAxis', x)
      begin()
      arg(x, IN)
      arg(out, OUT)
      stage()
      try {
        f(ptr[0], ptr[1], outer, n, inner, scale)
      } catch (e) {
        throw fail('sumAxis', e)
      }
      finish()
    },

    softmax(x: FloatArray, out: FloatArray, outer: number, n: number, inner: number, log: boolean): void {
      if (x.length < small.transcendental) return tsBackend.softmax(x, out, outer, n, inner, log)
      const f = pick('softmax', x)
      begin()
      arg(x, IN)
      arg(out, OUT)
      stage()
      try {
        f(ptr[0], ptr[1], outer, n, inner, log ? 1 : 0)
      } catch (e) {
        throw fail('softmax', e)
      }
      finish()
    },

    softmaxBackward(y: FloatArray, dy: FloatArray, out: FloatArray, outer: number, n: number, inner: number, log: boolean): void {
      if (y.length < small.elements) return tsBackend.softmaxBackward(y, dy, out, outer, n, inner, log)
      const f = pick('softmaxBackward', y)
      begin()
      arg(y, IN)
      arg(dy, IN)
      arg(out, OUT)
      stage()
      try {
        f(ptr[0], ptr[1], ptr[2], outer, n, inner, log ? 1 : 0)
      } catch (e) {
        throw fail('softmaxBackward', e)
      }
      finish()
    },

    pointwiseLoss(kind: PointwiseLoss, x: FloatArray, t: FloatArray, w: FloatArray | null, out: FloatArray): void {
      const n = x.length
      if (n < (kind === 'mse' ? small.elements : small.transcendental)) return tsBackend.pointwiseLoss(kind, x, t, w, out)
      const f = pick('pointwiseLoss', x)
      begin()
      arg(x, IN)
      arg(t, IN)
      arg(w, IN)
      arg(out, OUT)
      stage()
      try {
        f(LOSS[kind], ptr[0], ptr[1], ptr[2], ptr[3], n)
      } catch (e) {
        throw fail('pointwiseLoss', e)
      }
      finish()
    },

    pointwiseLossBackward(
      kind: PointwiseLoss,
      x: FloatArray,
      t: FloatArray,
      w: FloatArray | null,
      dy: FloatArray,
      scale: number,
      out: FloatArray,
    ): void {
      const n = x.length
      if (n < (kind === 'mse' ? small.elements : small.transcendental)) {
        return tsBackend.pointwiseLossBackward(kind, x, t, w, dy, scale, out)
      }
      const f = pick('pointwiseLossBackward', x)
      const dyLen = dy.length
      begin()
      arg(x, IN)
      arg(t, IN)
      arg(w, IN)
      arg(dy, IN)
      arg(out, OUT)
      stage()
      try {
        f(LOSS[kind], ptr[0], ptr[1], ptr[2], ptr[3], dyLen, scale, ptr[4], n)
      } catch (e) {
        throw fail('pointwiseLossBackward', e)
      }
      finish()
    },

    sgdStep(param: FloatArray, grad: FloatArray, momentumBuffer: FloatArray | null, firstStep: boolean, o: SgdOptions): void {
      const n = param.length
      if (n < small.elements) return tsBackend.sgdStep(param, grad, momentumBuffer, firstStep, o)
      const f = pick('sgdStep', param)
      begin()
      arg(param, INOUT)
      arg(grad, IN)
      arg(momentumBuffer, firstStep ? OUT : INOUT)
      stage()
      try {
        f(ptr[0], ptr[1], ptr[2], n, firstStep ? 1 : 0, o.lr, o.momentum, o.dampening, o.nesterov ? 1 : 0, o.weightDecay)
      } catch (e) {
        throw fail('sgdStep', e)
      }
      finish()
    },

    adamStep(param: FloatArray, grad: FloatArray, expAvg: FloatArray, expAvgSq: FloatArray, step: number, o: AdamOptions): void {
      const n = param.length
      if (n < small.elements) return tsBackend.adamStep(param, grad, expAvg, expAvgSq, step, o)
      const f = pick('adamStep', param)
      const stepSize = o.lr / (1 - o.beta1 ** step)
      const bias2Sqrt = Math.sqrt(1 - o.beta2 ** step)
      const decay = o.decoupled ? 1 - o.lr * o.weightDecay : 1
      const l2 = o.decoupled ? 0 : o.weightDecay
      begin()
      arg(param, INOUT)
      arg(grad, IN)
      arg(expAvg, INOUT)
      arg(expAvgSq, INOUT)
      stage()
      try {
        f(ptr[0], ptr[1], ptr[2], ptr[3], n, stepSize, bias2Sqrt, decay, l2, o.beta1, o.beta2, o.eps)
      } catch (e) {
        throw fail('adamStep', e)
      }
      finish()
    },

    ...optimizerSteps(small.elements),
  }
}

/** The wasm backend (small inputs run the ts kernels). */
export const wasmBackend: Backend = createWasmBackend(true)
/** Every call through wasm, whatever its size: for tests and benchmarks. */
export const wasmOnlyBackend: Backend = createWasmBackend(false)
