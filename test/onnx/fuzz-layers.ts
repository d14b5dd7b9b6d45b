import { F, randn, rand, type Tensor } from '../../src/index.js'

/**
 * The layer steps of the ONNX export fuzz (test/onnx/fuzz-programs.ts): convolutions, pooling,
 * normalisation, attention and embedding on [B, C, L] or [B, C, H, W] (dim 0 the batch), with
 * their weights and options drawn when the program is built.
 */

type Rng = () => number
export interface LayerStep {
  name: string
  when: (rest: number[]) => boolean
  build(r: Rng, rest: number[]): (x: Tensor) => Tensor
}

const int = (r: Rng, n: number): number => Math.floor(r() * n)
const spatial = (n: number) => (rest: number[]): boolean => rest.length === n + 1 && rest.slice(1).every((d) => d >= 2)

function convOptions(r: Rng, c: number): { groups: number; stride: number; padding: number; dilation: number } {
  return { groups: c % 2 === 0 && r() < 0.3 ? 2 : 1, stride: 1 + int(r, 2), padding: int(r, 2), dilation: 1 + int(r, 2) }
}

export const LAYER_STEPS: LayerStep[] = [
  {
    name: 'conv1d',
    when: (rest) => rest.length === 2 && rest[1] >= 3,
    build: (r, [c]) => {
      const o = convOptions(r, c)
      const out = 1 + int(r, 3) * o.groups
      const w = randn([out * o.groups, c / o.groups, 2])
      const b = r() < 0.5 ? randn([out * o.groups]) : null
      return (x) => F.conv1d(x, w, b, { ...o, dilation: 1 })
    },
  },
  {
    name: 'conv2d',
    when: (rest) => rest.length === 3 && rest[1] >= 3 && rest[2] >= 3,
    build: (r, [c]) => {
      const o = convOptions(r, c)
      const w = randn([2 * o.groups, c / o.groups, 2, 1 + int(r, 2)])
      const b = randn([2 * o.groups])
      return (x) => F.conv2d(x, w, b, { ...o, dilation: 1 })
    },
  },
  {
    name: 'convTranspose2d',
    when: spatial(2),
    build: (r, [c]) => {
      const stride = 1 + int(r, 2)
      const w = randn([c, 2, 2, 2])
      const outputPadding = stride > 1 ? int(r, 2) : 0
      return (x) => F.convTranspose2d(x, w, null, { stride, outputPadding })
    },
  },
  { name: 'maxPool1d', when: spatial(1), build: (r) => { const o = { stride: 1 + int(r, 2), ceilMode: r() < 0.5 }; return (x) => F.maxPool1d(x, 2, o) } },
  { name: 'avgPool1d', when: spatial(1), build: (r) => { const o = { padding: int(r, 2), countIncludePad: r() < 0.5 }; return (x) => F.avgPool1d(x, 2, o) } },
  { name: 'maxPool2d', when: spatial(2), build: (r) => { const o = { stride: 1 + int(r, 2), padding: int(r, 2), ceilMode: r() < 0.5 }; return (x) => F.maxPool2d(x, 2, o) } },
  { name: 'avgPool2d', when: spatial(2), build: (r) => { const o = { stride: 1 + int(r, 2), ceilMode: r() < 0.5, countIncludePad: r() < 0.5 }; return (x) => F.avgPool2d(x, 2, o) } },
  { name: 'adaptiveAvgPool2d', when: spatial(2), build: (r, rest) => { const s = [1 + int(r, rest[1]), 1 + int(r, rest[2])]; return (x) => F.adaptiveAvgPool2d(x, s) } },
  {
    name: 'batchNorm (eval)',
    when: (rest) => rest.length >= 1,
    build: (_r, [c]) => {
      const [mean, variance, weight, bias] = [randn([c]), rand([c]).add(0.5), randn([c]), randn([c])]
      return (x) => F.batchNorm(x, mean, variance, weight, bias, { training: false })
    },
  },
  {
    name: 'groupNorm',
    when: (rest) => rest.length >= 2 && rest[0] % 2 === 0 && rest.slice(1).reduce((a, b) => a * b, 1) > 1,
    build: (_r, [c]) => {
      const [weight, bias] = [randn([c]), randn([c])]
      return (x) => F.groupNorm(x, 2, weight, bias)
    },
  },
  {
    name: 'scaledDotProductAttention',
    when: (rest) => rest.length === 2,
    build: (r, [l, e]) => {
      const causal = r() < 0.5
      const mask = r() < 0.5 ? randn([l, l]) : undefined
      const k = randn([l, e])
      return (x) => F.scaledDotProductAttention(x, k.mul(x.tanh()), x, causal ? { isCausal: true } : { attnMask: mask })
    },
  },
  {
    name: 'embedding(argmax)',
    when: (rest) => rest.length >= 1 && rest.length <= 2,
    build: (r, rest) => {
      const weight = randn([rest[rest.length - 1], 1 + int(r, 3)])
      return (x) => F.embedding(x.argmax(-1), weight)
    },
  },
]
