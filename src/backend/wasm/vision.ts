import { tsBackend as ts } from '../ts/index.js'
import type { Backend, Conv2dOptions, ConvGeometry } from '../types.js'
import { IN, invoke, OUT, type CallInfo } from './invoke.js'

/**
 * The wasm bindings of the convolution, pooling and batch-norm kernels (assembly/conv.ts, assembly/pool.ts, assembly/batch-norm.ts):
 * one `invoke` each. When the arrays do not fit in wasm memory, or when the geometry is beyond
 * the kernels' i32 indexing (`indexable`), the ts kernel runs instead.
 */

type VisionKernels = Pick<Backend, 'im2col' | 'col2im' | 'conv2d' | 'conv2dInputGrad' | 'conv2dWeightGrad' | 'maxPool2d' | 'maxPool2dBackward' | 'avgPool2d' | 'avgPool2dBackward' | 'batchNorm' | 'batchNormBackward'>

/**
 * The kernels compute plane coordinates in i32 (padded extents, y·stride, i·dilation and sums
 * of them): below 2^28 each, they cannot wrap. Only padding, stride or dilation reach it with
 * arrays that fit in wasm memory (a plane 2^28 wide is 1 GiB of float32): the ts kernel, in
 * doubles, runs those. The kernels' scratch sizes are f64 in wasm (assembly/convgemm.ts).
 */
const MAX_EXTENT = 2 ** 28
const indexable = (g: ConvGeometry): boolean =>
  Math.max(g.h + 2 * g.ph, g.w + 2 * g.pw, g.dh * (g.kh - 1) + 1, g.dw * (g.kw - 1) + 1, g.sh, g.sw, g.dh, g.dw) < MAX_EXTENT

const geo = (g: ConvGeometry): number[] => [g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.dh, g.dw, g.oh, g.ow]
const convSizes = (o: Conv2dOptions): number[] => [o.n, o.c, o.groups, o.oc, ...geo(o.g)]
/** The fused conv kernels grow their scratch block in wasm on first use (or a larger call). */
const allocating = (o: Conv2dOptions): CallInfo => ({ allocates: true, shapes: () => describeConv(o) })

function describeConv({ n, c, groups, oc, g }: Conv2dOptions): string {
  const pair = (a: number, b: number) => `${a}×${b}`
  return `input [${n}, ${c}, ${g.h}, ${g.w}], weight [${oc}, ${c / groups}, ${g.kh}, ${g.kw}] → [${n}, ${oc}, ${g.oh}, ${g.ow}] ` +
    `(stride ${pair(g.sh, g.sw)}, padding ${pair(g.ph, g.pw)}, dilation ${pair(g.dh, g.dw)}, groups ${groups})`
}

export const visionKernels: VisionKernels = {
  im2col(x, cols, planes, g) {
    if (!indexable(g) || !invoke('im2col', x, [x, IN, cols, OUT], (f, p) => f(p[0], p[1], planes, ...geo(g)))) ts.im2col(x, cols, planes, g)
  },

  col2im(cols, dx, planes, g) {
    if (!indexable(g) || !invoke('col2im', cols, [cols, IN, dx, OUT], (f, p) => f(p[0], p[1], planes, ...geo(g)))) ts.col2im(cols, dx, planes, g)
  },

  conv2d(x, w, y, o) {
    const ran = indexable(o.g) && invoke('conv2d', x, [x, IN, w, IN, o.bias ?? null, IN, y, OUT], (f, p) => f(p[0], p[1], p[2], p[3], ...convSizes(o)), allocating(o))
    if (!ran) ts.conv2d(x, w, y, o)
  },

  conv2dInputGrad(dy, w, dx, o) {
    const ran = indexable(o.g) && invoke('conv2dInputGrad', dy, [dy, IN, w, IN, dx, OUT], (f, p) => f(p[0], p[1], p[2], ...convSizes(o)), allocating(o))
    if (!ran) ts.conv2dInputGrad(dy, w, dx, o)
  },

  conv2dWeightGrad(x, dy, dw, o) {
    const ran = indexable(o.g) && invoke('conv2dWeightGrad', x, [x, IN, dy, IN, dw, OUT], (f, p) => f(p[0], p[1], p[2], ...convSizes(o)), allocating(o))
    if (!ran) ts.conv2dWeightGrad(x, dy, dw, o)
  },

  maxPool2d(x, out, indices, planes, g) {
    const ran = indexable(g) && invoke('maxPool2d', x, [x, IN, out, OUT, indices, OUT], (f, p) => f(p[0], p[1], p[2], planes, ...geo(g)))
    if (!ran) ts.maxPool2d(x, out, indices, planes, g)
  },

  maxPool2dBackward(dy, indices, dx, planes, hw, ohw, tiledWidth = 0) {
    const ran = invoke('maxPool2dBackward', dy, [dy, IN, indices, IN, dx, OUT], (f, p) => f(p[0], p[1], p[2], planes, hw, ohw, tiledWidth))
    if (!ran) ts.maxPool2dBackward(dy, indices, dx, planes, hw, ohw)
  },

  avgPool2d(x, out, planes, h, w, oh, ow, win) {
    const ran = invoke('avgPool2d', x, [x, IN, out, OUT, win, IN], (f, p) => f(p[0], p[1], planes, h, w, oh, ow, p[2]))
    if (!ran) ts.avgPool2d(x, out, planes, h, w, oh, ow, win)
  },

  avgPool2dBackward(dy, dx, planes, h, w, oh, ow, win) {
    const ran = invoke('avgPool2dBackward', dy, [dy, IN, dx, OUT, win, IN], (f, p) => f(p[0], p[1], planes, h, w, oh, ow, p[2]))
    if (!ran) ts.avgPool2dBackward(dy, dx, planes, h, w, oh, ow, win)
  },
  // Lengths are read before invoke(): staging may grow the memory, and a view of it then has length 0.
  batchNorm(x, w, b, rm, rv, out, mean, variance, s, eps) {
    const [c, n] = [mean.length, x.length / (mean.length * s)]
    const arrays = [x, IN, w, IN, b, IN, rm, IN, rv, IN, out, OUT, mean, OUT, variance, OUT]
    const ran = invoke('batchNorm', x, arrays, (f, p) => f(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], n, c, s, eps))
    if (!ran) ts.batchNorm(x, w, b, rm, rv, out, mean, variance, s, eps)
  },
  batchNormBackward(x, w, mean, variance, g, dx, dw, db, s, eps, training) {
    const [c, n] = [mean.length, x.length / (mean.length * s)]
    const arrays = [x, IN, w, IN, mean, IN, variance, IN, g, IN, dx, OUT, dw, OUT, db, OUT]
    const ran = invoke('batchNormBackward', x, arrays, (f, p) => f(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], n, c, s, eps, training ? 1 : 0))
    if (!ran) ts.batchNormBackward(x, w, mean, variance, g, dx, dw, db, s, eps, training)
  },
}
