import { unaryEntry } from '../optable.js'
import { tsBackend as ts } from '../ts/index.js'
import type { Backend } from '../types.js'

/**
 * Below these sizes the default wasm backend runs the ts kernel: a wasm call costs ~150–300 ns
 * of staging (mostly typed-array property access and copies) before any work, and the ts
 * kernels run small arithmetic loops at ~2 ns per element (~1 ns for sums, ~20 ns for exp, log,
 * tanh). Measured on Node 20 (x86-64): relu/add cross over near 100 elements, sgdStep near 100,
 * exp/sigmoid near 16–24, a contiguous sum near 256, gemm near m·n·k = 400. `elements` is a
 * length; `gemm` is batch·m·n·k.
 */
export const SMALL = { elements: 128, transcendental: 24, reduce: 256, gemm: 512 }
const { elements: E, transcendental: T, reduce: R, gemm: G } = SMALL

/**
 * The default wasm backend: each kernel is one size test, then the ts kernel or `wasm`'s (every
 * kernel in wasm). Keep each to that, and the two calls apart (not `(small ? ts : wasm).k(…)`):
 * each call site then always sees the same kernel and V8 inlines it, even after large inputs
 * have taken the wasm side. The test used to open each wasm binding, whose staging code kept it
 * from inlining: the seed step (every array tiny) ran 4–7% slower on the default backend than on
 * ts, with the same kernels.
 */
export function dispatchSmall(wasm: Backend): Backend {
  return {
    name: 'wasm',
    // No size test: attention covers every head in one call, the row kernels whole rows, and
    // the dropout mask is drawn in JavaScript either way.
    attention: wasm.attention,
    attentionBackward: wasm.attentionBackward,
    gelu: wasm.gelu,
    geluBackward: wasm.geluBackward,
    layerNorm: wasm.layerNorm,
    layerNormBackward: wasm.layerNormBackward,
    dropoutMask: wasm.dropoutMask,

    // n < T first: the tiny case decides without looking the op up.
    unary: (op, x, out) =>
      x.length < T || (x.length < E && !unaryEntry(op).transcendental) ? ts.unary(op, x, out) : wasm.unary(op, x, out),
    unaryBackward: (op, x, y, dy, out) =>
      dy.length < E ? ts.unaryBackward(op, x, y, dy, out) : wasm.unaryBackward(op, x, y, dy, out),
    powScalar: (x, e, out) => x.length < E ? ts.powScalar(x, e, out) : wasm.powScalar(x, e, out),
    powScalarBackward: (x, e, dy, out) =>
      x.length < E ? ts.powScalarBackward(x, e, dy, out) : wasm.powScalarBackward(x, e, dy, out),
    clamp: (x, lo, hi, out) => x.length < E ? ts.clamp(x, lo, hi, out) : wasm.clamp(x, lo, hi, out),
    clampBackward: (x, lo, hi, dy, out) =>
      x.length < E ? ts.clampBackward(x, lo, hi, dy, out) : wasm.clampBackward(x, lo, hi, dy, out),
    binary: (op, a, b, out, shape, as, bs) =>
      out.length < E ? ts.binary(op, a, b, out, shape, as, bs) : wasm.binary(op, a, b, out, shape, as, bs),
    stridedCopy: (x, out, shape, strides, offset) =>
      out.length < E ? ts.stridedCopy(x, out, shape, strides, offset) : wasm.stridedCopy(x, out, shape, strides, offset),
    gemm: (a, b, out, o) => (o.batch ?? 1) * o.m * o.n * Math.max(o.k, 1) < G ? ts.gemm(a, b, out, o) : wasm.gemm(a, b, out, o),
    sumAxis: (x, out, outer, n, inner, scale) =>
      x.length < R ? ts.sumAxis(x, out, outer, n, inner, scale) : wasm.sumAxis(x, out, outer, n, inner, scale),
    sumSquares: (x, out) => x.length < R ? ts.sumSquares(x, out) : wasm.sumSquares(x, out),
    softmax: (x, out, outer, n, inner, log) =>
      x.length < T ? ts.softmax(x, out, outer, n, inner, log) : wasm.softmax(x, out, outer, n, inner, log),
    softmaxBackward: (y, dy, out, outer, n, inner, log) =>
      y.length < E ? ts.softmaxBackward(y, dy, out, outer, n, inner, log) : wasm.softmaxBackward(y, dy, out, outer, n, inner, log),
    pointwiseLoss: (kind, x, t, w, out) =>
      x.length < T || (x.length < E && kind === 'mse') ? ts.pointwiseLoss(kind, x, t, w, out) : wasm.pointwiseLoss(kind, x, t, w, out),
    pointwiseLossBackward: (kind, x, t, w, dy, scale, out) =>
      x.length < T || (x.length < E && kind === 'mse') ? ts.pointwiseLossBackward(kind, x, t, w, dy, scale, out) : wasm.pointwiseLossBackward(kind, x, t, w, dy, scale, out),
    sgdStep: (p, g, buf, first, o) => p.length < E ? ts.sgdStep(p, g, buf, first, o) : wasm.sgdStep(p, g, buf, first, o),
    adamStep: (p, g, m, v, step, o) => p.length < E ? ts.adamStep(p, g, m, v, step, o) : wasm.adamStep(p, g, m, v, step, o),
    rmspropStep: (p, g, sq, avg, buf, o) =>
      p.length < E ? ts.rmspropStep(p, g, sq, avg, buf, o) : wasm.rmspropStep(p, g, sq, avg, buf, o),
    adagradStep: (p, g, sum, o) => p.length < E ? ts.adagradStep(p, g, sum, o) : wasm.adagradStep(p, g, sum, o),

    compare: (op, a, b, out, shape, as, bs) =>
      out.length < E ? ts.compare(op, a, b, out, shape, as, bs) : wasm.compare(op, a, b, out, shape, as, bs),
    maxAxis: (x, values, indices, outer, n, inner, min) =>
      x.length < R ? ts.maxAxis(x, values, indices, outer, n, inner, min) : wasm.maxAxis(x, values, indices, outer, n, inner, min),
    logsumexp: (x, out, outer, n, inner) =>
      x.length < R ? ts.logsumexp(x, out, outer, n, inner) : wasm.logsumexp(x, out, outer, n, inner),
    indexSelect: (x, index, out, outer, n, inner) =>
      out.length < E ? ts.indexSelect(x, index, out, outer, n, inner) : wasm.indexSelect(x, index, out, outer, n, inner),
    indexAdd: (g, index, out, outer, n, inner) =>
      g.length < E ? ts.indexAdd(g, index, out, outer, n, inner) : wasm.indexAdd(g, index, out, outer, n, inner),
    flatIndex: (index, out, shape, strides, scale, acc) =>
      out.length < E ? ts.flatIndex(index, out, shape, strides, scale, acc) : wasm.flatIndex(index, out, shape, strides, scale, acc),
    gatherAxis: (x, index, out, outer, n, inner) =>
      out.length < E ? ts.gatherAxis(x, index, out, outer, n, inner) : wasm.gatherAxis(x, index, out, outer, n, inner),
    scatterAddAxis: (src, index, out, outer, n, inner) =>
      src.length < E ? ts.scatterAddAxis(src, index, out, outer, n, inner) : wasm.scatterAddAxis(src, index, out, outer, n, inner),
    nllLoss: (x, t, w, out, outer, classes, inner, ignore, reduction) =>
      t.length < E ? ts.nllLoss(x, t, w, out, outer, classes, inner, ignore, reduction) : wasm.nllLoss(x, t, w, out, outer, classes, inner, ignore, reduction),
    nllLossBackward: (g, t, w, gx, outer, classes, inner, ignore, reduction) =>
      t.length < E ? ts.nllLossBackward(g, t, w, gx, outer, classes, inner, ignore, reduction) : wasm.nllLossBackward(g, t, w, gx, outer, classes, inner, ignore, reduction),
    targetMask: (t, w, kept, weightSum, classes, ignore) =>
      t.length < E ? ts.targetMask(t, w, kept, weightSum, classes, ignore) : wasm.targetMask(t, w, kept, weightSum, classes, ignore),
    additiveMask: (mask, out, shape, strides) =>
      out.length < E ? ts.additiveMask(mask, out, shape, strides) : wasm.additiveMask(mask, out, shape, strides),

    im2col: (x, cols, planes, g) => cols.length < E ? ts.im2col(x, cols, planes, g) : wasm.im2col(x, cols, planes, g),
    col2im: (cols, dx, planes, g) => cols.length < E ? ts.col2im(cols, dx, planes, g) : wasm.col2im(cols, dx, planes, g),
    conv2d: (x, w, y, o) => y.length < E ? ts.conv2d(x, w, y, o) : wasm.conv2d(x, w, y, o),
    conv2dInputGrad: (dy, w, dx, o) => dx.length < E ? ts.conv2dInputGrad(dy, w, dx, o) : wasm.conv2dInputGrad(dy, w, dx, o),
    conv2dWeightGrad: (x, dy, dw, o) => dy.length < E ? ts.conv2dWeightGrad(x, dy, dw, o) : wasm.conv2dWeightGrad(x, dy, dw, o),
    maxPool2d: (x, out, indices, planes, g) =>
      x.length < E ? ts.maxPool2d(x, out, indices, planes, g) : wasm.maxPool2d(x, out, indices, planes, g),
    maxPool2dBackward: (dy, indices, dx, planes, hw, ohw, tiled) =>
      dx.length < E ? ts.maxPool2dBackward(dy, indices, dx, planes, hw, ohw, tiled) : wasm.maxPool2dBackward(dy, indices, dx, planes, hw, ohw, tiled),
    avgPool2d: (x, out, planes, h, wd, oh, ow, win) =>
      x.length < E ? ts.avgPool2d(x, out, planes, h, wd, oh, ow, win) : wasm.avgPool2d(x, out, planes, h, wd, oh, ow, win),
    batchNorm: (x, w, b, rm, rv, out, mean, variance, s, eps) =>
      x.length < E ? ts.batchNorm(x, w, b, rm, rv, out, mean, variance, s, eps) : wasm.batchNorm(x, w, b, rm, rv, out, mean, variance, s, eps),
    batchNormBackward: (x, w, mean, variance, g, dx, dw, db, s, eps, training) =>
      x.length < E ? ts.batchNormBackward(x, w, mean, variance, g, dx, dw, db, s, eps, training) : wasm.batchNormBackward(x, w, mean, variance, g, dx, dw, db, s, eps, training),
    avgPool2dBackward: (dy, dx, planes, h, wd, oh, ow, win) =>
      dx.length < E ? ts.avgPool2dBackward(dy, dx, planes, h, wd, oh, ow, win) : wasm.avgPool2dBackward(dy, dx, planes, h, wd, oh, ow, win),
  }
}
