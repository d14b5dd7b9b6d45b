import { describe, expect, it } from 'vitest'
import { gradcheck, sub, div, tensor, Tensor } from '../../src/index.js'
import * as F from '../../src/functional.js'
import { permute } from '../../src/ops/shape.js'
import { mulberry32 } from '../rng.js'

/**
 * Every op and form against central finite differences in float64 (tinygrad's one-helper style).
 * `check(f, shapes)` fills float64 inputs of those shapes from a seeded generator, uniform in
 * `range` (one [lo, hi] for all inputs, or one per input), resampling values closer than 0.05 to
 * any point of `avoid` (an op's kinks), and asserts gradcheck(f, inputs) holds.
 */
interface Options {
  range?: [number, number] | [number, number][]
  avoid?: number[]
  eps?: number
  atol?: number
}

function check(f: (...t: Tensor[]) => Tensor, shapes: number[][], { range = [-2, 2], avoid = [], eps, atol }: Options = {}): void {
  const next = mulberry32(shapes.flat().reduce((s, d) => s * 31 + d, 7))
  const inputs = shapes.map((shape, k) => {
    const [lo, hi] = (Array.isArray(range[0]) ? (range as [number, number][])[k] : range) as [number, number]
    const n = shape.reduce((a, b) => a * b, 1)
    const data = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      do data[i] = lo + (hi - lo) * next()
      while (avoid.some((p) => Math.abs(data[i] - p) < 0.05))
    }
    const t = new Tensor(data, shape)
    t.requiresGrad = true
    return t
  })
  expect(gradcheck(f, inputs, { eps, atol })).toBe(true)
}

const f64 = (data: any) => tensor(data, { dtype: 'float64' })
const i32 = (data: any) => tensor(data, { dtype: 'int32' })
const positive: Options = { range: [0.2, 3] }
const denominator: Options = { range: [
  [-2, 2],
  [0.5, 2],
] }

describe('gradcheck: binary ops with broadcasting', () => {
  it('add same shape', () => check((a, b) => a.add(b), [[3, 4], [3, 4]]))
  it('add [3,1]·[1,4]', () => check((a, b) => a.add(b), [[3, 1], [1, 4]]))
  it('add rank-differing [2,3,4]·[4]', () => check((a, b) => a.add(b), [[2, 3, 4], [4]]))
  it('add rank-differing [3]·[2,1,3]', () => check((a, b) => a.add(b), [[3], [2, 1, 3]]))
  it('add 0-d tensor', () => check((a, b) => a.add(b), [[], [3, 2]]))
  it('add number', () => check((a) => a.add(2.5), [[3]]))
  it('sub same shape', () => check((a, b) => a.sub(b), [[2, 3], [2, 3]]))
  it('sub [3,1]·[1,4]', () => check((a, b) => a.sub(b), [[3, 1], [1, 4]]))
  it('sub rank-differing [4]·[2,3,4]', () => check((a, b) => a.sub(b), [[4], [2, 3, 4]]))
  it('sub 0-d tensor', () => check((a, b) => a.sub(b), [[3, 2], []]))
  it('sub number − tensor', () => check((a) => sub(2, a), [[4]]))
  it('mul same shape', () => check((a, b) => a.mul(b), [[3, 4], [3, 4]]))
  it('mul [3,1]·[1,4]', () => check((a, b) => a.mul(b), [[3, 1], [1, 4]]))
  it('mul rank-differing [5,1,1]·[4,3]', () => check((a, b) => a.mul(b), [[5, 1, 1], [4, 3]]))
  it('mul 0-d tensor', () => check((a, b) => a.mul(b), [[], [2, 3]]))
  it('mul number', () => check((a) => a.mul(-1.5), [[2, 2]]))
  it('mul x·x (both operands the same tensor)', () => check((a) => a.mul(a), [[3]]))
  it('div same shape', () => check((a, b) => a.div(b), [[3, 4], [3, 4]], denominator))
  it('div [3,1]·[1,4]', () => check((a, b) => a.div(b), [[3, 1], [1, 4]], denominator))
  it('div rank-differing [2,3,4]·[3,1]', () => check((a, b) => a.div(b), [[2, 3, 4], [3, 1]], denominator))
  it('div 0-d tensor denominator', () => check((a, b) => a.div(b), [[2, 3], []], denominator))
  it('div 0-d tensor numerator', () => check((a, b) => a.div(b), [[], [2, 3]], denominator))
  it('div number / tensor', () => check((a) => div(1.5, a), [[4]], positive))
  it('div tensor / number', () => check((a) => a.div(4), [[4]]))
  it('maximum same shape', () => check((a, b) => a.maximum(b), [[3, 4], [3, 4]]))
  it('maximum [3,1]·[1,4]', () => check((a, b) => a.maximum(b), [[3, 1], [1, 4]]))
  it('maximum rank-differing [2,3,4]·[4]', () => check((a, b) => a.maximum(b), [[2, 3, 4], [4]]))
  it('maximum 0-d tensor', () => check((a, b) => a.maximum(b), [[5], []]))
  it('mixed dtypes promote to float64', () => check((a) => a.mul(tensor([1.5, -2, 0.25])), [[2, 3]]))
})

describe('gradcheck: matmul, every form', () => {
  const mm = (a: Tensor, b: Tensor) => a.matmul(b)
  it('1·1 (dot)', () => check(mm, [[4], [4]]))
  it('1·2', () => check(mm, [[4], [4, 3]]))
  it('2·1', () => check(mm, [[3, 4], [4]]))
  it('2·2', () => check(mm, [[3, 4], [4, 5]]))
  it('2·2 with a size-1 dim', () => check(mm, [[1, 4], [4, 1]]))
  it('3·2', () => check(mm, [[2, 3, 4], [4, 5]]))
  it('2·3', () => check(mm, [[3, 4], [2, 4, 5]]))
  it('3·3', () => check(mm, [[2, 3, 4], [2, 4, 5]]))
  it('3·3 batch broadcast [1,3,4]·[2,4,2]', () => check(mm, [[1, 3, 4], [2, 4, 2]]))
  it('4·3 batch broadcast [2,1,3,4]·[5,4,2]', () => check(mm, [[2, 1, 3, 4], [5, 4, 2]]))
  it('1·3', () => check(mm, [[4], [2, 4, 3]]))
  it('3·1', () => check(mm, [[2, 3, 4], [4]]))
})

describe('gradcheck: unary ops (away from kinks)', () => {
  it('relu', () => check((x) => x.relu(), [[3, 4]], { avoid: [0] }))
  it('sigmoid', () => check((x) => x.sigmoid(), [[3, 4]], { range: [-5, 5] }))
  it('tanh', () => check((x) => x.tanh(), [[3, 4]]))
  it('exp', () => check((x) => x.exp(), [[3, 4]]))
  it('log', () => check((x) => x.log(), [[3, 4]], positive))
  it('neg', () => check((x) => x.neg(), [[3, 4]]))
  it('abs', () => check((x) => x.abs(), [[3, 4]], { avoid: [0] }))
  it('sqrt', () => check((x) => x.sqrt(), [[3, 4]], positive))
  it('pow 2', () => check((x) => x.pow(2), [[3, 4]]))
  it('pow 3', () => check((x) => x.pow(3), [[3, 4]]))
  it('pow 1', () => check((x) => x.pow(1), [[3, 4]]))
  it('pow 0 (gradient 0)', () => check((x) => x.pow(0), [[3, 4]]))
  it('pow 0.5', () => check((x) => x.pow(0.5), [[3, 4]], positive))
  it('pow -1', () => check((x) => x.pow(-1), [[3, 4]], positive))
  it('pow -2.5', () => check((x) => x.pow(-2.5), [[3, 4]], positive))
  it('pow 1.7', () => check((x) => x.pow(1.7), [[3, 4]], positive))
  it('pow -2 of negative bases', () => check((x) => x.pow(-2), [[3, 4]], { range: [-3, -0.2] }))
  it('clamp min and max', () => check((x) => x.clamp(-0.5, 0.7), [[4, 5]], { avoid: [-0.5, 0.7] }))
  it('clamp min only', () => check((x) => x.clamp(0.3), [[4, 5]], { avoid: [0.3] }))
  it('clamp max only', () => check((x) => x.clamp(null, -0.3), [[4, 5]], { avoid: [-0.3] }))
})

describe('gradcheck: reductions', () => {
  it('sum all', () => check((x) => x.sum(), [[2, 3, 4]]))
  it('sum dim 0', () => check((x) => x.sum(0), [[2, 3, 4]]))
  it('sum dim 1', () => check((x) => x.sum(1), [[2, 3, 4]]))
  it('sum dim 2', () => check((x) => x.sum(2), [[2, 3, 4]]))
  it('sum dim -1 keepdim', () => check((x) => x.sum(-1, true), [[2, 3, 4]]))
  it('sum dim 1 keepdim', () => check((x) => x.sum(1, true), [[2, 3, 4]]))
  it('sum of a 0-d tensor', () => check((x) => x.sum(), [[]]))
  it('mean all', () => check((x) => x.mean(), [[2, 3, 4]]))
  it('mean dim 0', () => check((x) => x.mean(0), [[2, 3, 4]]))
  it('mean dim 1', () => check((x) => x.mean(1), [[2, 3, 4]]))
  it('mean dim 2', () => check((x) => x.mean(2), [[2, 3, 4]]))
  it('mean dim -2 keepdim', () => check((x) => x.mean(-2, true), [[2, 3, 4]]))
  it('mean dim 0 keepdim', () => check((x) => x.mean(0, true), [[2, 3, 4]]))
})

describe('gradcheck: softmax and logSoftmax', () => {
  it('softmax 1-D', () => check((x) => x.softmax(0), [[5]]))
  it('softmax dim 0', () => check((x) => x.softmax(0), [[2, 3, 4]]))
  it('softmax dim 1', () => check((x) => x.softmax(1), [[2, 3, 4]]))
  it('softmax dim 2', () => check((x) => x.softmax(2), [[2, 3, 4]]))
  it('softmax dim -1', () => check((x) => x.softmax(-1), [[3, 4]]))
  it('logSoftmax 1-D', () => check((x) => x.logSoftmax(0), [[5]]))
  it('logSoftmax dim 0', () => check((x) => x.logSoftmax(0), [[2, 3, 4]]))
  it('logSoftmax dim 1', () => check((x) => x.logSoftmax(1), [[2, 3, 4]]))
  it('logSoftmax dim 2', () => check((x) => x.logSoftmax(2), [[2, 3, 4]]))
  it('logSoftmax dim -2', () => check((x) => x.logSoftmax(-2), [[3, 4]]))
})

describe('gradcheck: shape ops', () => {
  // A non-symmetric weight after each shape op, so a gradient routed to the wrong element fails.
  const w = (t: Tensor) => t.mul(f64(Array.from({ length: t.numel() }, (_, i) => i + 1)).reshape(t.shape))
  it('reshape', () => check((x) => w(x.reshape(6, 4)), [[2, 3, 4]]))
  it('reshape -1', () => check((x) => w(x.reshape(4, -1, 2)), [[2, 3, 4]]))
  it('view', () => check((x) => w(x.view([24])), [[2, 3, 4]]))
  it('flatten', () => check((x) => w(x.flatten()), [[2, 3, 4]]))
  it('transpose 0,2', () => check((x) => w(x.transpose(0, 2)), [[2, 3, 4]]))
  it('transpose 1,-1', () => check((x) => w(x.transpose(1, -1)), [[2, 3, 4]]))
  it('permute', () => check((x) => w(permute(x, [2, 0, 1])), [[2, 3, 4]]))
  it('T 2-D', () => check((x) => w(x.T), [[3, 4]]))
  it('T 3-D', () => check((x) => w(x.T), [[2, 3, 4]]))
  it('unsqueeze 0', () => check((x) => w(x.unsqueeze(0)), [[3, 4]]))
  it('unsqueeze -1', () => check((x) => w(x.unsqueeze(-1)), [[3, 4]]))
  it('squeeze all', () => check((x) => w(x.squeeze()), [[3, 1, 4, 1]]))
  it('squeeze dim', () => check((x) => w(x.squeeze(1)), [[3, 1, 4, 1]]))
  it('clone', () => check((x) => w(x.clone()), [[3, 4]]))
  it('cast float64 → float64', () => check((x) => w(x.to('float64')), [[3, 4]]))
  // Through float32 the rounding error is ~1e-7/eps: a coarse step and atol.
  it('cast through float32', () => check((x) => w(x.float().double()), [[3, 4]], { eps: 1e-2, atol: 1e-4 }))
})

describe('gradcheck: linear', () => {
  it('with bias', () => check((x, W, b) => F.linear(x, W, b), [[3, 4], [5, 4], [5]]))
  it('without bias', () => check((x, W) => F.linear(x, W), [[3, 4], [5, 4]]))
  it('1-D input', () => check((x, W, b) => F.linear(x, W, b), [[4], [5, 4], [5]]))
  it('3-D input', () => check((x, W, b) => F.linear(x, W, b), [[2, 3, 4], [5, 4], [5]]))
})

describe('gradcheck: losses', () => {
  const probs: Options = { range: [0.05, 0.95] }
  const t34 = f64([
    [0, 1, 0.3, 1],
    [1, 0, 0.8, 0],
    [0.5, 1, 0, 0.2],
  ])
  const w4 = f64([0.5, 2, 1, 1.5])
  it('binaryCrossEntropy mean', () => check((x) => F.binaryCrossEntropy(x, t34), [[3, 4]], probs))
  it('binaryCrossEntropy sum', () => check((x) => F.binaryCrossEntropy(x, t34, { reduction: 'sum' }), [[3, 4]], probs))
  it('binaryCrossEntropy none', () => check((x) => F.binaryCrossEntropy(x, t34, { reduction: 'none' }), [[3, 4]], probs))
  it('binaryCrossEntropy weight mean', () => check((x) => F.binaryCrossEntropy(x, t34, { weight: w4 }), [[3, 4]], probs))
  it('binaryCrossEntropy weight sum', () => check((x) => F.binaryCrossEntropy(x, t34, { weight: w4, reduction: 'sum' }), [[3, 4]], probs))
  it('binaryCrossEntropy weight none', () => check((x) => F.binaryCrossEntropy(x, t34, { weight: w4, reduction: 'none' }), [[3, 4]], probs))
  it('binaryCrossEntropyWithLogits mean', () => check((x) => F.binaryCrossEntropyWithLogits(x, t34), [[3, 4]], { range: [-4, 4] }))
  it('binaryCrossEntropyWithLogits sum', () => check((x) => F.binaryCrossEntropyWithLogits(x, t34, { reduction: 'sum' }), [[3, 4]]))
  it('binaryCrossEntropyWithLogits none', () => check((x) => F.binaryCrossEntropyWithLogits(x, t34, { reduction: 'none' }), [[3, 4]]))
  it('binaryCrossEntropyWithLogits weight', () => check((x) => F.binaryCrossEntropyWithLogits(x, t34, { weight: w4 }), [[3, 4]]))
  it('binaryCrossEntropyWithLogits after sigmoid-scale inputs', () => check((x) => F.binaryCrossEntropyWithLogits(x, t34), [[3, 4]], { range: [-30, 30] }))
  it('mseLoss mean', () => check((x) => F.mseLoss(x, t34), [[3, 4]]))
  it('mseLoss sum', () => check((x) => F.mseLoss(x, t34, { reduction: 'sum' }), [[3, 4]]))
  it('mseLoss none', () => check((x) => F.mseLoss(x, t34, { reduction: 'none' }), [[3, 4]]))
  it('mseLoss gradient to the target too', () => check((x, t) => F.mseLoss(x, t), [[3, 4], [3, 4]]))
  const idx = i32([1, 0, 4])
  const w5 = f64([1, 0.5, 2, 1.5, 0.25])
  const p35 = f64([
    [0.1, 0.2, 0.3, 0.4, 0],
    [1, 0, 0, 0, 0],
    [0.2, 0.2, 0.2, 0.2, 0.2],
  ])
  it('crossEntropy int32 indices mean', () => check((x) => F.crossEntropy(x, idx), [[3, 5]]))
  it('crossEntropy int32 indices sum', () => check((x) => F.crossEntropy(x, idx, { reduction: 'sum' }), [[3, 5]]))
  it('crossEntropy int32 indices none', () => check((x) => F.crossEntropy(x, idx, { reduction: 'none' }), [[3, 5]]))
  it('crossEntropy indices, class weight mean', () => check((x) => F.crossEntropy(x, idx, { weight: w5 }), [[3, 5]]))
  it('crossEntropy indices, class weight sum', () => check((x) => F.crossEntropy(x, idx, { weight: w5, reduction: 'sum' }), [[3, 5]]))
  it('crossEntropy indices, class weight none', () => check((x) => F.crossEntropy(x, idx, { weight: w5, reduction: 'none' }), [[3, 5]]))
  it('crossEntropy 1-D input, 0-d index', () => check((x) => F.crossEntropy(x, i32(2).reshape([])), [[5]]))
  it('crossEntropy indices, label smoothing mean', () => check((x) => F.crossEntropy(x, idx, { labelSmoothing: 0.2 }), [[3, 5]]))
  it('crossEntropy indices, label smoothing, class weight, ignoreIndex mean', () => check((x) => F.crossEntropy(x, idx, { labelSmoothing: 0.3, weight: w5, ignoreIndex: 0 }), [[3, 5]]))
  it('crossEntropy indices, label smoothing sum', () => check((x) => F.crossEntropy(x, idx, { labelSmoothing: 0.1, reduction: 'sum' }), [[3, 5]]))
  it('crossEntropy indices [N, C, d], label smoothing none', () => check((x) => F.crossEntropy(x, i32([[1, 0], [4, 2]]), { labelSmoothing: 0.5, reduction: 'none', ignoreIndex: 2 }), [[2, 5, 2]]))
  it('crossEntropy probabilities mean', () => check((x) => F.crossEntropy(x, p35), [[3, 5]]))
  it('crossEntropy probabilities sum', () => check((x) => F.crossEntropy(x, p35, { reduction: 'sum' }), [[3, 5]]))
  it('crossEntropy probabilities, class weight', () => check((x) => F.crossEntropy(x, p35, { weight: w5 }), [[3, 5]]))
  it('crossEntropy probabilities, gradient to the target too', () => check((x, p) => F.crossEntropy(x, p.softmax(1)), [[3, 5], [3, 5]]))
})

describe('gradcheck: composites', () => {
  it('diamond: x used twice', () => check((x) => x.exp().mul(x.tanh()).add(x), [[3]]))
  it('a small MLP', () => check((x, W1, b1, W2) => F.linear(F.linear(x, W1, b1).relu(), W2).sigmoid(), [[2, 3], [4, 3], [4], [2, 4]]))
})
