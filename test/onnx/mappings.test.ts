import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { Tensor } from '../../src/index.js'
import type { Ops2Case, RawTensor } from '../oracle/ops2.js'
import { expectClose, runOrt } from './ort.js'
import { fake, singleOpModel } from './single-op.js'

/**
 * The mappings of ops from the vision, sequence and surface issues, checked op by op against
 * PyTorch: each ops2 case becomes a hand-built one-op trace with the attributes the op will
 * pass to record(), runs in ONNX Runtime, and must give PyTorch's output.
 */

const cases = (JSON.parse(readFileSync(new URL('../fixtures/pytorch-ops2.json', import.meta.url), 'utf8')) as { cases: Ops2Case[] }).cases

const t = (c: Ops2Case, r: RawTensor): Tensor => fake(r.dtype ?? c.dtype, r.shape, r.data)
const pair = (v: unknown, n: number): number[] => (Array.isArray(v) ? v : Array.from({ length: n }, () => v as number))

/** PyTorch's padding='same': total dilation·(k−1), the smaller half first. */
function pads(padding: unknown, kernel: number[], dilation: number[]): number[] {
  if (padding === 'same') {
    const total = kernel.map((k, i) => dilation[i] * (k - 1))
    return [...total.map((p) => Math.floor(p / 2)), ...total.map((p) => p - Math.floor(p / 2))]
  }
  const p = pair(padding, kernel.length)
  return [...p, ...p]
}

/** ops2 op → [gradFn name, the op's tensors, its attributes]. */
type Build = (c: Ops2Case, x: Tensor[], out: Tensor) => [string, Tensor[], Record<string, unknown>]

function conv(c: Ops2Case, x: Tensor[]): [string, Tensor[], Record<string, unknown>] {
  const a = c.args as Record<string, unknown>
  const kernel = x[1].shape.slice(2)
  const n = kernel.length
  const dilation = pair(a.dilation ?? 1, n)
  return ['ConvolutionBackward0', x, { stride: pair(a.stride ?? 1, n), pads: pads(a.padding ?? 0, kernel, dilation), dilation, groups: a.groups ?? 1 }]
}

const BUILD: Record<string, Build> = {
  conv1d: (c, x) => conv(c, x),
  conv2d: (c, x) => conv(c, x),
  conv_transpose2d: (c, x) => {
    const [name, inputs, attributes] = conv(c, x)
    return [name, inputs, { ...attributes, transposed: true, outputPadding: pair(c.args.output_padding ?? 0, 2) }]
  },
  max_pool2d: (c, x) => {
    const k = pair(c.args.kernel_size, 2)
    return ['MaxPool2DWithIndicesBackward0', x, { kernelSize: k, stride: c.args.stride === null ? k : pair(c.args.stride, 2), pads: pads(c.args.padding, k, [1, 1]), ceilMode: c.args.ceil_mode }]
  },
  avg_pool2d: (c, x) => {
    const k = pair(c.args.kernel_size, 2)
    const stride = c.args.stride === null ? k : pair(c.args.stride, 2)
    return ['AvgPool2DBackward0', x, { kernelSize: k, stride, pads: pads(c.args.padding, k, [1, 1]), ceilMode: c.args.ceil_mode, countIncludePad: c.args.count_include_pad }]
  },
  adaptive_avg_pool2d: (_, x) => ['AdaptiveAvgPool2DBackward0', x, {}],
  batch_norm_eval: (c, [x, w, b]) => [
    'NativeBatchNormBackward0',
    [x, t(c, c.args.running_mean as RawTensor), t(c, c.args.running_var as RawTensor), w, b],
    { eps: c.args.eps, training: false, hasWeight: true, hasBias: true },
  ],
  layer_norm: (c, x) => ['NativeLayerNormBackward0', x, { normalizedShape: c.args.normalized_shape, eps: c.args.eps, hasWeight: true, hasBias: true }],
  group_norm: (c, x) => ['NativeGroupNormBackward0', x, { numGroups: c.args.num_groups, eps: c.args.eps, hasWeight: true, hasBias: true }],
  embedding: (c, [w]) => ['EmbeddingBackward0', [w, t(c, c.args.indices as RawTensor)], {}],
  sdpa: (c, x) => {
    const mask = c.args.attn_mask as RawTensor | undefined
    return ['ScaledDotProductAttentionBackward0', mask ? [...x, t(c, mask)] : x, { isCausal: c.args.is_causal, scale: null, hasMask: !!mask }]
  },
  leaky_relu: (c, x) => ['LeakyReluBackward0', x, { negativeSlope: c.args.negative_slope }],
  elu: (c, x) => ['EluBackward0', x, { alpha: c.args.alpha }],
  gelu: (c, x) => ['GeluBackward0', x, { approximate: c.args.approximate }],
  softplus: (c, x) => ['SoftplusBackward0', x, { beta: c.args.beta, threshold: c.args.threshold }],
  cat: (c, x) => ['CatBackward0', x, { dim: c.args.dim }],
  narrow: (c, x) => ['NarrowBackward0', x, { dim: c.args.dim, start: c.args.start, length: c.args.length }],
  slice_step: (c, x) => ['SliceBackward0', x, { dim: c.args.dim, start: c.args.start, end: c.args.end, step: c.args.step }],
  gather: (c, [x]) => ['GatherBackward0', [x, t(c, c.args.index as RawTensor)], { dim: c.args.dim }],
  index_select: (c, [x]) => ['IndexSelectBackward0', [x, t(c, c.args.index as RawTensor)], { dim: c.args.dim }],
  where: (c, x) => ['WhereBackward0', [t(c, c.args.condition as RawTensor), ...x], {}],
  expand: (_, x) => ['ExpandBackward0', x, {}],
}

// ONNX Runtime computes some float64 kernels (Softmax) to ~1e-8 only.
/** The op table's elementwise functions (issue 12), under PyTorch's gradFn names. */
const ELEMENTWISE: Record<string, [string, (c: Ops2Case) => Record<string, unknown>]> = {
  sin: ['SinBackward0', () => ({})],
  cos: ['CosBackward0', () => ({})],
  log1p: ['Log1PBackward0', () => ({})],
  expm1: ['Expm1Backward0', () => ({})],
  square: ['PowBackward0', () => ({ exponent: 2 })], // PyTorch records square as pow
  rsqrt: ['RsqrtBackward0', () => ({})],
  reciprocal: ['ReciprocalBackward0', () => ({})],
  sign: ['SignBackward0', () => ({})],
  floor: ['FloorBackward0', () => ({})],
  round: ['RoundBackward0', () => ({})],
  pow_tensor: ['PowBackward1', () => ({})],
  minimum: ['MinimumBackward0', () => ({})],
  silu: ['SiluBackward0', () => ({})],
  mish: ['MishBackward0', () => ({})],
  log_sigmoid: ['LogSigmoidBackward0', () => ({})],
  softsign: ['SoftsignBackward0', () => ({})],
  relu6: ['HardtanhBackward0', () => ({ minVal: 0, maxVal: 6 })], // PyTorch's relu6 is hardtanh(0, 6)
  hardtanh: ['HardtanhBackward0', (c) => ({ minVal: c.args.min_val, maxVal: c.args.max_val })],
}
for (const [op, [name, attributes]] of Object.entries(ELEMENTWISE)) BUILD[op] = (c, x) => [name, x, attributes(c)]

/** The tensor surface's reductions and reshaping ops (issue 13), under PyTorch's gradFn names. */
const SURFACE: Record<string, Build> = {
  amax: (c, x) => ['AmaxBackward0', x, { dim: c.args.dim, keepdim: c.args.keepdim }],
  amin: (c, x) => ['AminBackward0', x, { dim: c.args.dim, keepdim: c.args.keepdim }],
  max_dim: (c, x) => ['MaxBackward1', x, { dim: c.args.dim, keepdim: c.args.keepdim }],
  min_dim: (c, x) => ['MinBackward1', x, { dim: c.args.dim, keepdim: c.args.keepdim }],
  logsumexp: (c, x) => ['LogsumexpBackward0', x, { dim: c.args.dim, keepdim: c.args.keepdim }],
  prod: (c, x) => ['ProdBackward1', x, { dim: c.args.dim, keepdim: false }],
  sum_dims: (c, x) => ['SumBackward1', x, { dim: c.args.dim, keepdim: c.args.keepdim }],
  mean_dims: (c, x) => ['MeanBackward1', x, { dim: c.args.dim, keepdim: c.args.keepdim }],
  cumsum: (c, x) => ['CumsumBackward0', x, { dim: c.args.dim }],
  repeat: (c, x) => ['RepeatBackward0', x, { repeats: c.args.repeats }],
  pad: (c, x) => ['ConstantPadNdBackward0', x, { pad: c.args.pad, value: c.args.value }],
  select: (c, x) => ['SelectBackward0', x, { dim: c.args.dim, index: c.args.index }],
}
Object.assign(BUILD, SURFACE)

const TOLERANCE = { float32: [1e-5, 1e-4], float64: [1e-7, 1e-6] } as const

/**
 * ONNX Runtime's CPU provider has no float64 Conv, ConvTranspose or AveragePool (the graphs are
 * valid ONNX): those float64 cases run as float32, at float32's tolerance.
 */
const FLOAT32_IN_ORT = new Set(['conv1d', 'conv2d', 'conv_transpose2d', 'avg_pool2d'])

async function runCase(original: Ops2Case, opset: number): Promise<void> {
  const c = FLOAT32_IN_ORT.has(original.op) ? { ...original, dtype: 'float32' as const } : original
  const inputs = c.inputs.map((r) => t(c, r))
  const want = t(c, c.output ?? c.outputs![0])
  const [name, opInputs, attributes] = BUILD[c.op](c, inputs, want)
  const bytes = singleOpModel(name, opInputs, want, attributes, opset)
  const [y] = await runOrt(bytes, Object.fromEntries(opInputs.map((x, i) => [`x${i}`, x])))
  const [atol, rtol] = TOLERANCE[c.dtype]
  expectClose(y, want, atol, rtol)
}

describe('ONNX mappings against PyTorch (ops2 cases as one-op graphs in ONNX Runtime)', () => {
  for (const c of cases.filter((c) => c.op in BUILD)) {
    it(`${c.name} (${BUILD[c.op](c, c.inputs.map((r) => t(c, r)), t(c, c.output ?? c.outputs![0]))[0]})`, async () => {
      await runCase(c, 17)
      if (c.op === 'gelu') await runCase(c, 20) // the Gelu op itself, not its tanh form
    })
  }

  it('covers every op the brief names for the other issues, the op table\'s elementwise functions and the surface\'s reductions', () => {
    expect(Object.keys(BUILD).sort()).toEqual(
      [
        ...['adaptive_avg_pool2d', 'avg_pool2d', 'batch_norm_eval', 'cat', 'conv1d', 'conv2d', 'conv_transpose2d', 'elu', 'embedding', 'expand', 'gather', 'gelu'],
        ...['group_norm', 'index_select', 'layer_norm', 'leaky_relu', 'max_pool2d', 'narrow', 'sdpa', 'slice_step', 'softplus', 'where'],
        ...Object.keys(ELEMENTWISE),
        ...Object.keys(SURFACE),
      ].sort(),
    )
  })
})
