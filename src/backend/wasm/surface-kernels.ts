import type { FloatArray } from '../../dtype.js'
import { codes, COMPARE_OPS } from '../opcodes.js'
import { tsBackend as ts } from '../ts/index.js'
import type { Backend, CompareOp } from '../types.js'
import { IN, INOUT, invoke, OUT } from './invoke.js'
import { writeOdometer } from './odometer.js'

/**
 * The wasm bindings of the tensor surface's kernels: comparisons (bool out), max/min with
 * indices (int32 out), logsumexp, indexSelect/indexAdd, gather/scatter-add, nllLoss and targetMask (int32 in), flatIndex (int32 in and out),
 * additiveMask (bool in). invoke() stages float
 * arrays, so byte and int32 arrays travel as Float32Array views of the same memory: 0/1 bytes
 * and non-negative int32 below 0x7f800000 are never NaN patterns, so every bit survives.
 */

const COMPARE = codes(COMPARE_OPS)

/** `a`'s bytes as float32 lanes, or null when its buffer does not allow such a view. */
function bytesAsFloats(a: Uint8Array | Int32Array): Float32Array | null {
  const words = Math.ceil(a.byteLength / 4)
  if (a.byteOffset % 4 !== 0 || a.byteOffset + words * 4 > a.buffer.byteLength) return null
  return new Float32Array(a.buffer, a.byteOffset, words)
}

type SurfaceKernel =
  | 'compare' | 'maxAxis' | 'logsumexp' | 'indexSelect' | 'indexAdd' | 'gatherAxis' | 'scatterAddAxis' | 'nllLoss' | 'nllLossBackward' | 'targetMask' | 'flatIndex'
  | 'additiveMask'

export const surfaceKernels: Pick<Backend, SurfaceKernel> = {
  compare(op: CompareOp, a: FloatArray, b: FloatArray, out: Uint8Array, outShape: readonly number[], aStrides: readonly number[], bStrides: readonly number[]): void {
    const n = out.length
    // An output whose buffer has no room for whole float32 words goes through a padded copy.
    const padded = bytesAsFloats(out) ? out : new Uint8Array(new ArrayBuffer(Math.ceil(n / 4) * 4), 0, n)
    const code = COMPARE[op]
    const rank = outShape.length
    const info = {
      code,
      op,
      metaInts: 4 * rank,
      writeMeta: (v: Int32Array, at: number) => writeOdometer(v, at, outShape, aStrides, bStrides),
    }
    // Lengths read now: staging may grow the memory, after which a view of it (a parameter) has length 0.
    const aLen = a.length
    const bLen = b.length
    const call = (f: (...x: number[]) => void, p: Float64Array, meta: number) => f(code, p[0], aLen, p[1], bLen, p[2], n, rank, meta)
    if (!invoke('compare', a, [a, IN, b, IN, bytesAsFloats(padded), OUT], call, info)) return ts.compare(op, a, b, out, outShape, aStrides, bStrides)
    if (padded !== out) out.set(padded)
  },

  maxAxis(x: FloatArray, values: FloatArray, indices: Int32Array, outer: number, n: number, inner: number, min: boolean): void {
    const call = (f: (...x: number[]) => void, p: Float64Array) => f(p[0], p[1], p[2], outer, n, inner, min ? 1 : 0)
    if (!invoke('maxAxis', x, [x, IN, values, OUT, bytesAsFloats(indices), OUT], call)) ts.maxAxis(x, values, indices, outer, n, inner, min)
  },

  logsumexp(x: FloatArray, out: FloatArray, outer: number, n: number, inner: number): void {
    if (!invoke('logsumexp', x, [x, IN, out, OUT], (f, p) => f(p[0], p[1], outer, n, inner))) ts.logsumexp(x, out, outer, n, inner)
  },

  indexSelect(x: FloatArray, index: Int32Array, out: FloatArray, outer: number, n: number, inner: number): void {
    const k = index.length
    const call = (f: (...a: number[]) => void, p: Float64Array) => f(p[0], p[1], p[2], outer, n, k, inner)
    if (!invoke('indexSelect', x, [x, IN, bytesAsFloats(index), IN, out, OUT], call)) ts.indexSelect(x, index, out, outer, n, inner)
  },

  flatIndex(index, out, shape, strides, scale, accumulate): void {
    const n = out.length
    const rank = shape.length
    const info = { metaInts: 3 * rank, writeMeta: (v: Int32Array, at: number) => writeOdometer(v, at, shape, strides) }
    const call = (f: (...a: number[]) => void, p: Float64Array, meta: number) => f(p[0], p[1], n, rank, meta, scale, accumulate ? 1 : 0)
    const dst = bytesAsFloats(out)!
    if (!invoke('flatIndex', dst, [bytesAsFloats(index), IN, dst, accumulate ? INOUT : OUT], call, info)) ts.flatIndex(index, out, shape, strides, scale, accumulate)
  },

  indexAdd(g: FloatArray, index: Int32Array, out: FloatArray, outer: number, n: number, inner: number): void {
    const k = index.length
    const call = (f: (...a: number[]) => void, p: Float64Array) => f(p[0], p[1], p[2], outer, n, k, inner)
    if (!invoke('indexAdd', g, [g, IN, bytesAsFloats(index), IN, out, OUT], call)) ts.indexAdd(g, index, out, outer, n, inner)
  },

  gatherAxis(x: FloatArray, index: Int32Array, out: FloatArray, outer: number, n: number, inner: number): void {
    const k = index.length / (outer * inner)
    const call = (f: (...a: number[]) => void, p: Float64Array) => f(p[0], p[1], p[2], outer, n, k, inner)
    if (!invoke('gatherAxis', x, [x, IN, bytesAsFloats(index), IN, out, OUT], call)) ts.gatherAxis(x, index, out, outer, n, inner)
  },

  scatterAddAxis(src: FloatArray, index: Int32Array, out: FloatArray, outer: number, n: number, inner: number): void {
    const k = index.length / (outer * inner)
    const call = (f: (...a: number[]) => void, p: Float64Array) => f(p[0], p[1], p[2], outer, n, k, inner)
    if (!invoke('scatterAddAxis', src, [src, IN, bytesAsFloats(index), IN, out, INOUT], call)) ts.scatterAddAxis(src, index, out, outer, n, inner)
  },

  // A negative target is a NaN pattern as float32, which staging may quiet (bit 22 set): it
  // stays negative, and the kernel skips every target outside [0, classes) as ignoreIndex's.
  nllLoss(x, t, w, out, outer, classes, inner, ignoreIndex, reduction): void {
    const call = (f: (...a: number[]) => void, p: Float64Array) => f(p[0], p[1], p[2], p[3], outer, classes, inner, ignoreIndex, reduction)
    const ran = invoke('nllLoss', x, [x, IN, bytesAsFloats(t), IN, w, IN, out, OUT], call)
    if (!ran) ts.nllLoss(x, t, w, out, outer, classes, inner, ignoreIndex, reduction)
  },

  nllLossBackward(g, t, w, gx, outer, classes, inner, ignoreIndex, reduction): void {
    const call = (f: (...a: number[]) => void, p: Float64Array) => f(p[0], p[1], p[2], p[3], outer, classes, inner, ignoreIndex, reduction)
    const ran = invoke('nllLossBackward', gx, [g, IN, bytesAsFloats(t), IN, w, IN, gx, OUT], call)
    if (!ran) ts.nllLossBackward(g, t, w, gx, outer, classes, inner, ignoreIndex, reduction)
  },

  additiveMask(mask, out, shape, strides): void {
    const n = out.length
    const src = bytesAsFloats(mask) // null: its buffer ends before a whole word
    if (src === null) return ts.additiveMask(mask, out, shape, strides)
    const rank = shape.length
    const info = { metaInts: 3 * rank, writeMeta: (v: Int32Array, at: number) => writeOdometer(v, at, shape, strides) }
    const call = (f: (...a: number[]) => void, p: Float64Array, meta: number) => f(p[0], p[1], n, rank, meta)
    if (!invoke('additiveMask', out, [src, IN, out, OUT], call, info)) ts.additiveMask(mask, out, shape, strides)
  },

  targetMask(t, w, kept, weightSum, classes, ignoreIndex): void {
    const n = t.length
    const call = (f: (...a: number[]) => void, p: Float64Array) => f(p[0], p[1], p[2], p[3], n, classes, ignoreIndex)
    const ran = invoke('targetMask', kept, [bytesAsFloats(t), IN, w, IN, kept, OUT, weightSum, OUT], call)
    if (!ran) ts.targetMask(t, w, kept, weightSum, classes, ignoreIndex)
  },
}
