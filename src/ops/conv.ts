import { composite, record } from '../autograd/engine.js'
import { backend } from '../backend/index.js'
import type { Conv2dOptions, ConvGeometry } from '../backend/types.js'
import { checkOptionKeys } from '../nn/options.js'
import { formatShape } from '../shape.js'
import { Tensor } from '../tensor.js'
import { matmul } from './matmul.js'
import { empty, floatDType, floats, requireFloatTensor, requireSameDType } from './operands.js'
import { sumTo } from './reduce.js'
import { reshape, transpose } from './shape.js'
import { geometry, outputSize, perDim, requireRank } from './window.js'

/**
 * Convolutions as GEMMs: im2col unfolds every kh×kw window of the input into a column
 * (src/backend, SIMD in wasm), then one GEMM per sample and group multiplies the weight by
 * the columns, both inside one backend call (conv2d, and its two gradient kernels). In wasm
 * at stride 1 the unfold is implicit: the GEMM micro-kernel (assembly/gemm.ts) reads the
 * input's zero-bordered planes in place or packs its panels straight from them
 * (assembly/convgemm.ts), which measured faster than unfolding the columns first. A float32
 * 3×3 stride-1 forward (and input gradient) with ≥ 8 channels in and out per group runs as Winograd
 * F(2×2, 3×3) instead (assembly/convwinograd.ts): 16 multiplies per 2×2 outputs, not 36.
 */

export interface ConvOptions {
  stride?: number | number[]
  /** A number or one per dim, or 'same' (stride 1; extra padding on the right/bottom, as PyTorch) or 'valid' (0). */
  padding?: number | number[] | 'same' | 'valid'
  dilation?: number | number[]
  groups?: number
}

export interface ConvTransposeOptions {
  stride?: number | number[]
  padding?: number | number[]
  outputPadding?: number | number[]
  groups?: number
  dilation?: number | number[]
}

const CONV_KEYS = ['stride', 'padding', 'dilation', 'groups']
const CONV_T_KEYS = ['stride', 'padding', 'outputPadding', 'groups', 'dilation']

/**
 * x [N, C, H, W] convolved with weight [OC, C/groups, kh, kw] (+ bias [OC]) → [N, OC, oh, ow].
 * The backend unfolds, multiplies and adds the bias in one call (the columns never reach JS
 * memory, and the output is not staged through wasm a second time for the add); the
 * gradients are the same fused kernels, dx = col2im(Wᵀ·dy), dW = Σ_b dy·colsᵀ, and the bias's
 * is dy summed over all but the channel dim.
 */
function convolve(x: Tensor, weight: Tensor, bias: Tensor | null, o: Conv2dOptions): Tensor {
  const dt = floatDType(x)
  const y = empty(dt, [o.n, o.oc, o.g.oh, o.g.ow])
  backend().conv2d(floats(x), floats(weight), floats(y), bias ? { ...o, bias: floats(bias) } : o)
  return record(y, 'ConvolutionBackward0', bias ? [x, weight, bias] : [x, weight], (dy) => {
    const be = backend()
    let dx: Tensor | null = null
    let dw: Tensor | null = null
    if (x.requiresGrad) {
      dx = empty(dt, x.shape)
      be.conv2dInputGrad(floats(dy), floats(weight), floats(dx), o)
    }
    if (weight.requiresGrad) {
      dw = empty(dt, weight.shape)
      be.conv2dWeightGrad(floats(x), floats(dy), floats(dw), o)
    }
    if (!bias) return [dx, dw]
    return [dx, dw, bias.requiresGrad ? reshape(sumTo(dy, [o.oc, 1, 1]), [o.oc]) : null]
  }, undefined, [x, weight]) // PyTorch saves both, whichever requires grad
}

/** Columns [N, C·kh·kw, h'·w'] summed back onto [N, C, g.h, g.w]; its gradient is im2col. */
function fold(cols: Tensor, c: number, g: ConvGeometry): Tensor {
  const n = cols.shape[0]
  const y = empty(floatDType(cols), [n, c, g.h, g.w])
  backend().col2im(floats(cols), floats(y), n * c, g)
  return record(y, 'Col2ImBackward0', [cols], (dy) => {
    const dc = empty(floatDType(cols), cols.shape)
    backend().im2col(floats(dy), floats(dc), n * c, g)
    return [dc]
  })
}

function checkOperands(op: string, x: Tensor, weight: Tensor, bias: Tensor | null, outChannels: number): void {
  requireFloatTensor(op, 'the input', x) // the wasm kernels would read int32 bits as floats
  requireSameDType(op, x, weight, 'the input and the weight')
  if (bias) {
    requireSameDType(op, x, bias, 'the input and the bias')
    if (bias.ndim !== 1 || bias.shape[0] !== outChannels) {
      throw new Error(`${op}: bias must have shape [${outChannels}] (one per output channel), got ${formatShape(bias.shape)}`)
    }
  }
}

/** 2-d convolution (cross-correlation, as PyTorch): x [N, C, H, W], weight [OC, C/groups, kh, kw], bias [OC] → [N, OC, OH, OW]. */
export function conv2d(x: Tensor, weight: Tensor, bias: Tensor | null = null, options: ConvOptions = {}): Tensor {
  return asBatch(x, 4, (xb) => convNd('conv2d', 2, xb, weight, bias, options))
}

/** PyTorch's unbatched input (one dim fewer: [C, H, W], [C, L]) runs as a batch of one. */
function asBatch(x: Tensor, rank: number, f: (batch: Tensor) => Tensor): Tensor {
  return x instanceof Tensor && x.ndim === rank - 1 ? f(x.unsqueeze(0)).squeeze(0) : f(x)
}

/** 1-d convolution: x [N, C, L], weight [OC, C/groups, k], bias [OC] → [N, OC, L']. */
export function conv1d(x: Tensor, weight: Tensor, bias: Tensor | null = null, options: ConvOptions = {}): Tensor {
  return asBatch(x, 3, (xb) => convNd('conv1d', 1, xb, weight, bias, options))
}

function convNd(op: string, dims: 1 | 2, x: Tensor, weight: Tensor, bias: Tensor | null, options: ConvOptions): Tensor {
  checkOptionKeys(op, options, CONV_KEYS)
  const layout = dims === 2 ? '[N, C, H, W]' : '[N, C, L]'
  requireRank(op, 'an input', x, [dims + 2], layout)
  requireRank(op, 'a weight', weight, [dims + 2], dims === 2 ? '[out_channels, in_channels/groups, kH, kW]' : '[out_channels, in_channels/groups, k]')
  const { groups = 1 } = options
  const [n, c] = x.shape
  const [oc, cg] = weight.shape
  if (!Number.isInteger(groups) || groups < 1 || c % groups !== 0 || oc % groups !== 0) {
    throw new Error(`${op}: groups = ${groups} must divide both the input channels (${c}, input ${formatShape(x.shape)}) and the output channels (${oc}, weight ${formatShape(weight.shape)})`)
  }
  if (cg * groups !== c) {
    throw new Error(
      `${op}: input ${formatShape(x.shape)} has ${c} channels but weight ${formatShape(weight.shape)} expects ${cg * groups} ` +
        `(weight.shape[1] = ${cg} per group × groups ${groups}); the weight must be [out_channels, in_channels/groups, ...]`,
    )
  }
  checkOperands(op, x, weight, bias, oc)
  // Both forms run as 2-d: a 1-d signal is a plane of height 1.
  const size = dims === 2 ? [x.shape[2], x.shape[3]] : [1, x.shape[2]]
  const k = dims === 2 ? [weight.shape[2], weight.shape[3]] : [1, weight.shape[2]]
  const lift = (v: number[]): number[] => (dims === 2 ? v : [1, v[0]])
  const s = lift(perDim(op, 'stride', options.stride ?? 1, dims, 1))
  const d = lift(perDim(op, 'dilation', options.dilation ?? 1, dims, 1))
  const padding = options.padding ?? 0
  let p: number[]
  if (padding === 'same' || padding === 'valid') {
    if (padding === 'same' && s.some((v) => v !== 1)) throw new Error(`${op}: padding 'same' needs stride 1, got stride ${JSON.stringify(options.stride)}`)
    // 'same': total d·(k−1), the smaller half first; the output size is the input's, so the
    // larger half on the right/bottom is the zeros im2col reads past the edge.
    p = padding === 'same' ? k.map((kk, i) => Math.floor((d[i] * (kk - 1)) / 2)) : [0, 0]
  } else {
    p = dims === 2 ? perDim(op, 'padding', padding, 2, 0) : [0, perDim(op, 'padding', padding, 1, 0)[0]]
  }
  const out = size.map((sz, i) => (padding === 'same' ? sz : outputSize(sz, k[i], s[i], p[i], d[i])))
  if (out.some((o) => o < 1)) {
    throw new Error(
      `${op}: the kernel ${formatShape(weight.shape.slice(2))} (dilation ${JSON.stringify(options.dilation ?? 1)}) is larger than the padded input ` +
        `${formatShape(x.shape.slice(2))} + padding ${JSON.stringify(padding)}; pad the input or use a smaller kernel`,
    )
  }
  const g = geometry(size[0], size[1], k, s, p, d, out[0], out[1])
  // Tracers (ONNX export) see one convolution; pads are per spatial dim, every start then every end.
  const spatial = (v: number[]): number[] => v.slice(2 - dims)
  const ends = padding === 'same' ? k.map((kk, i) => d[i] * (kk - 1) - p[i]) : p
  const attributes = { stride: spatial(s), pads: [...spatial(p), ...spatial(ends)], dilation: spatial(d), groups }
  return composite('ConvolutionBackward0', bias ? [x, weight, bias] : [x, weight], attributes, () => {
    const x4 = dims === 2 ? x : reshape(x, [n, c, 1, size[1]])
    const y4 = convolve(x4, weight, bias, { n, c, oc, groups, g })
    return dims === 2 ? y4 : reshape(y4, [n, oc, out[1]])
  })
}

/**
 * 2-d transposed convolution (the gradient of conv2d with respect to its input):
 * x [N, C, H, W], weight [C, OC/groups, kh, kw], bias [OC] → [N, OC, OH, OW] with
 * OH = (H − 1)·sh − 2·ph + dh·(kh − 1) + outputPadding + 1.
 */
export function convTranspose2d(input: Tensor, weight: Tensor, bias: Tensor | null = null, options: ConvTransposeOptions = {}): Tensor {
  return asBatch(input, 4, (x) => convTransposeBatch(x, weight, bias, options))
}

function convTransposeBatch(x: Tensor, weight: Tensor, bias: Tensor | null, options: ConvTransposeOptions): Tensor {
  const op = 'convTranspose2d'
  checkOptionKeys(op, options, CONV_T_KEYS)
  requireRank(op, 'an input', x, [4], '[N, C, H, W]')
  requireRank(op, 'a weight', weight, [4], '[in_channels, out_channels/groups, kH, kW]')
  const { groups = 1 } = options
  const [n, c, h, wd] = x.shape
  const [wc, ocg, kh, kw] = weight.shape
  if (!Number.isInteger(groups) || groups < 1 || c % groups !== 0) {
    throw new Error(`${op}: groups = ${groups} must divide the input channels (${c}, input ${formatShape(x.shape)})`)
  }
  if (wc !== c) {
    throw new Error(`${op}: input ${formatShape(x.shape)} has ${c} channels but weight ${formatShape(weight.shape)} expects ${wc}; the weight must be [in_channels, out_channels/groups, kH, kW]`)
  }
  const oc = ocg * groups
  checkOperands(op, x, weight, bias, oc)
  const s = perDim(op, 'stride', options.stride ?? 1, 2, 1)
  const p = perDim(op, 'padding', options.padding ?? 0, 2, 0)
  const d = perDim(op, 'dilation', options.dilation ?? 1, 2, 1)
  const op2 = perDim(op, 'outputPadding', options.outputPadding ?? 0, 2, 0)
  if (op2.some((v, i) => v >= Math.max(s[i], d[i]))) throw new Error(`${op}: outputPadding ${JSON.stringify(op2)} must be smaller than the stride or the dilation`)
  const k = [kh, kw]
  const out = [h, wd].map((sz, i) => (sz - 1) * s[i] - 2 * p[i] + d[i] * (k[i] - 1) + op2[i] + 1)
  if (out.some((o) => o < 1)) throw new Error(`${op}: input ${formatShape(x.shape)} with weight ${formatShape(weight.shape)} gives an empty output ${formatShape(out)}`)
  // The conv2d that maps [out] back to [h, w]: its col2im places each column in the output.
  const g = geometry(out[0], out[1], k, s, p, d, h, wd)
  const cg = c / groups
  const attributes = { stride: s, pads: [...p, ...p], dilation: d, groups, transposed: true, outputPadding: op2 }
  return composite('ConvolutionBackward0', bias ? [x, weight, bias] : [x, weight], attributes, () => {
    const wt = transpose(reshape(weight, [groups, cg, ocg * kh * kw]), 1, 2)
    const cols = matmul(wt, reshape(x, [n, groups, cg, h * wd]))
    let y = fold(reshape(cols, [n, oc * kh * kw, h * wd]), oc, g)
    if (bias) y = y.add(reshape(bias, [oc, 1, 1]))
    return y
  })
}
