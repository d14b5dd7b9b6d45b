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
 * kernel in wasm). Keep each to that: V8 then inlines it where the op calls the kernel. The test
 * used to open each wasm binding, whose staging code kept it from inlining: the seed step (every
 * array tiny) ran ~4% slower on the default backend than on ts, with the same kernels.
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
    unary: (op, x, out) => (x.length < T || (x.length < E && !unaryEntry(op).transcendental) ? ts : wasm).unary(op, x, out),
    unaryBackward: (op, x, y, dy, out) => (dy.length < E ? ts : wasm).unaryBackward(op, x, y, dy, out),
    powScalar: (x, e, out) => (x.length < E ? ts : wasm).powScalar(x, e, out),
    powScalarBackward: (x, e, dy, out) => (x.length < E ? ts : wasm).powScalarBackward(x, e, dy, out),
    clamp: (x, lo, hi, out) => (x.length < E ? ts : wasm).clamp(x, lo, hi, out),
    clampBackward: (x, lo, hi, dy, out) => (x.length < E ? ts : wasm).clampBackward(x, lo, hi, dy, out),
    binary: (op, a, b, out, shape, as, bs) => (out.length < E ? ts : wasm).binary(op, a, b, out, shape, as, bs),
    stridedCopy: (x, out, shape, strides, offset) => (out.length < E ? ts : wasm).stridedCopy(x, out, shape, strides, offset),
    gemm: (a, b, out, o) => ((o.batch ?? 1) * o.m * o.n * Math.max(o.k, 1) < G ? ts : wasm).gemm(a, b, out, o),
    sumAxis: (x, out, outer, n, inner, scale) => (x.length < R ? ts : wasm).sumAxis(x, out, outer, n, inner, scale),
    sumSquares: (x, out) => (x.length < R ? ts : wasm).sumSquares(x, out),
    softmax: (x, out, outer, n, inner, log) => (x.length < T ? ts : wasm).softmax(x, out, outer, n, inner, log),
    softmaxBackward: (y, dy, out, outer, n, inner, log) => (y.length < E ? ts : wasm).softmaxBackward(y, dy, out, outer, n, inner, log),
    pointwiseLoss: (kind, x, t, w, out) => (x.length < T || (x.length < E && kind === 'mse') ? ts : wasm).pointwiseLoss(kind, x, t, w, out),
    pointwiseLossBackward: (kind, x, t, w, dy, scale, out) =>
      (x.length < T || (x.length < E && kind === 'mse') ? ts : wasm).pointwiseLossBackward(kind, x, t, w, dy, scale, out),
    sgdStep: (p, g, buf, first, o) => (p.length < E ? ts : wasm).sgdStep(p, g, buf, first, o),
    adamStep: (p, g, m, v, step, o) => (p.length < E ? ts : wasm).adamStep(p, g, m, v, step, o),
    rmspropStep: (p, g, sq, avg, buf, o) => (p.length < E ? ts : wasm).rmspropStep(p, g, sq, avg, buf, o),
    adagradStep: (p, g, sum, o) => (p.length < E ? ts : wasm).adagradStep(p, g, sum, o),

    compare: (op, a, b, out, shape, as, bs) => (out.length < E ? ts : wasm).compare(op, a, b, out, shape, as, bs),
    maxAxis: (x, values, indices, outer, n, inner, min) => (x.length < R ? ts : wasm).maxAxis(x, values, indices, outer, n, inner, min),
    logsumexp: (x, out, outer, n, inner) => (x.length < R ? ts : wasm).logsumexp(x, out, outer, n, inner),
    indexSelect: (x, index, out, outer, n, inner) => (out.length < E ? ts : wasm).indexSelect(x, index, out, outer, n, inner),
    indexAdd: (g, index, out, outer, n, inner) => (g.length < E ? ts : wasm).indexAdd(g, index, out, outer, n, inner),
    flatIndex: (index, out, shape, strides, scale, acc) => (out.length < E ? ts : wasm).flatIndex(index, out, shape, strides, scale, acc),
    gatherAxis: (x, index, out, outer, n, inner) => (out.length < E ? ts : wasm).gatherAxis(x, index, out, outer, n, inner),
    scatterAddAxis: (src, index, out, outer, n, inner) => (src.length < E ? ts : wasm).scatterAddAxis(src, index, out, outer, n, inner),
    nllLoss: (x, t, w, out, outer, classes, inner, ignore, reduction) =>
      (t.length < E ? ts : wasm).nllLoss(x, t, w, out, outer, classes, inner, ignore, reduction),
    nllLossBackward: (g, t, w, gx, outer, classes, inner, ignore, reduction) =>
      (t.length < E ? ts : wasm).nllLossBackward(g, t, w, gx, outer, classes, inner, ignore, reduction),
    targetMask: (t, w, kept, weightSum, classes, ignore) => (t.length < E ? ts : wasm).targetMask(t, w, kept, weightSum, classes, ignore),
    additiveMask: (mask, out, shape, strides) => (out.length < E ? ts : wasm).additiveMask(mask, out, shape, strides),

    im2col: (x, cols, planes, g) => (cols.length < E ? ts : wasm).im2col(x, cols, planes, g),
    col2im: (cols, dx, planes, g) => (cols.length < E ? ts : wasm).col2im(cols, dx, planes, g),
    conv2d: (x, w, y, o) => (y.length < E ? ts : wasm).conv2d(x, w, y, o),
    conv2dInputGrad: (dy, w, dx, o) => (dx.length < E ? ts : wasm).conv2dInputGrad(dy, w, dx, o),
    conv2dWeightGrad: (x, dy, dw, o) => (dy.length < E ? ts : wasm).conv2dWeightGrad(x, dy, dw, o),
    maxPool2d: (x, out, indices, planes, g) => (x.length < E ? ts : wasm).maxPool2d(x, out, indices, planes, g),
    maxPool2dBackward: (dy, indices, dx, planes, hw, ohw, tiled) => (dx.length < E ? ts : wasm).maxPool2dBackward(dy, indices, dx, planes, hw, ohw, tiled),
    avgPool2d: (x, out, planes, h, wd, oh, ow, win) => (x.length < E ? ts : wasm).avgPool2d(x, out, planes, h, wd, oh, ow, win),
    avgPool2dBackward: (dy, dx, planes, h, wd, oh, ow, win) => (dx.length < E ? ts : wasm).avgPool2dBackward(dy, dx, planes, h, wd, oh, ow, win),
  }
}
