import { describe, expect, it } from 'vitest'
import { F, gradcheck, Tensor } from '../../src/index.js'
import { Generator } from '../../src/random.js'
import { mulberry32 } from '../rng.js'

/** float64 central differences for every vision op, through the kernels of the current backend (wasm forced). */


function inputs(shapes: number[][], seed: number): Tensor[] {
  const next = mulberry32(seed)
  return shapes.map((shape) => {
    const n = shape.reduce((a, b) => a * b, 1)
    const t = new Tensor(Float64Array.from({ length: n }, () => next() * 4 - 2), shape)
    t.requiresGrad = true
    return t
  })
}

const check = (f: (...t: Tensor[]) => Tensor, shapes: number[][], seed = 1) => expect(gradcheck(f, inputs(shapes, seed))).toBe(true)

describe('gradcheck (float64): convolution', () => {
  it('conv2d: stride, padding, dilation, groups, bias', () => {
    check((x, w, b) => F.conv2d(x, w, b, { stride: 2, padding: 1 }), [[2, 2, 5, 6], [3, 2, 3, 3], [3]])
    check((x, w) => F.conv2d(x, w, null, { padding: [0, 2], dilation: [2, 1], groups: 2 }), [[1, 4, 6, 5], [4, 2, 2, 3]])
    check((x, w, b) => F.conv2d(x, w, b, { padding: 'same' }), [[1, 1, 4, 4], [2, 1, 2, 2], [2]])
  })
  it('conv1d and convTranspose2d', () => {
    check((x, w, b) => F.conv1d(x, w, b, { stride: 2, padding: 1, dilation: 2 }), [[2, 2, 9], [3, 2, 3], [3]])
    check((x, w, b) => F.convTranspose2d(x, w, b, { stride: 2, padding: 1, outputPadding: 1 }), [[1, 2, 3, 3], [2, 3, 3, 3], [3]])
    check((x, w) => F.convTranspose2d(x, w, null, { groups: 2, dilation: 2 }), [[1, 4, 3, 2], [4, 1, 2, 2]])
  })
})

describe('gradcheck (float64): pooling', () => {
  it('maxPool2d / maxPool1d (distinct values: no ties)', () => {
    check((x) => F.maxPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true }), [[2, 2, 7, 6]])
    check((x) => F.maxPool2d(x, 2, { dilation: 2 }), [[1, 1, 6, 6]])
    check((x) => F.maxPool1d(x, 2), [[2, 3, 8]])
  })
  it('avgPool2d / avgPool1d / adaptiveAvgPool2d', () => {
    check((x) => F.avgPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }), [[2, 2, 6, 7]])
    check((x) => F.avgPool2d(x, [2, 3], { padding: [1, 1] }), [[1, 2, 5, 5]])
    check((x) => F.avgPool1d(x, 3, { stride: 2 }), [[2, 2, 9]])
    check((x) => F.adaptiveAvgPool2d(x, [3, 2]), [[2, 2, 7, 5]])
  })
})

describe('gradcheck (float64): normalisation and dropout', () => {
  it('batchNorm in training and eval, layerNorm, groupNorm', () => {
    check((x, w, b) => F.batchNorm(x, null, null, w, b, { training: true }), [[3, 2, 2, 2], [2], [2]])
    const rm = new Tensor(Float64Array.from([0.1, -0.2]), [2])
    const rv = new Tensor(Float64Array.from([1.5, 0.5]), [2])
    check((x, w, b) => F.batchNorm(x, rm, rv, w, b), [[4, 2, 3], [2], [2]])
    // The fused kernels: [N, C] and [N, C, H, W], weight and bias each present or absent.
    check((x) => F.batchNorm(x, null, null, null, null, { training: true }), [[5, 3]])
    check((x, b) => F.batchNorm(x, null, null, null, b, { training: true }), [[2, 2, 3, 2], [2]])
    check((x, w) => F.batchNorm(x, rm.clone(), rv.clone(), w, null, { training: true }), [[4, 2], [2]])
    check((x) => F.batchNorm(x, rm, rv), [[3, 2, 2, 3]])
    check((x, w) => F.batchNorm(x, rm, rv, w), [[5, 2], [2]])
    check((x, b) => F.batchNorm(x, rm.clone(), rv.clone(), null, b, { training: true }), [[3, 2, 2, 2], [2]])
    check((x, w, b) => F.layerNorm(x, [2, 3], w, b), [[3, 2, 3], [2, 3], [2, 3]])
    check((x, w, b) => F.groupNorm(x, 2, w, b), [[2, 4, 3], [4], [4]])
  })
  it('dropout with a fixed mask (seeded generator)', () => {
    check((x) => F.dropout(x, { p: 0.3, generator: new Generator(5) }), [[4, 5]])
    check((x) => F.dropout2d(x, { p: 0.5, generator: new Generator(5) }), [[2, 3, 2, 2]])
  })
})
