import { describe, expect, it } from 'vitest'
import { cat, chunk, F, gradcheck, split, stack, tensor, Tensor, where } from '../../src/index.js'
import { mulberry32 } from '../rng.js'

/** float64 finite-difference gradient checks of every differentiable op of the tensor surface (issue 13). */

function check(f: (...t: Tensor[]) => Tensor, shapes: number[][], range: [number, number] = [-2, 2]): void {
  const next = mulberry32(shapes.flat().reduce((s, d) => s * 31 + d, 11))
  const inputs = shapes.map((shape) => {
    const n = shape.reduce((a, b) => a * b, 1)
    const data = new Float64Array(n)
    for (let i = 0; i < n; i++) data[i] = range[0] + (range[1] - range[0]) * next()
    const t = new Tensor(data, shape)
    t.requiresGrad = true
    return t
  })
  expect(gradcheck(f, inputs)).toBe(true)
}

const mask = tensor([[true, false, true], [false, false, true]])
const i32 = (data: number[] | number[][]) => tensor(data, { dtype: 'int32' })
/** Several outputs as one tensor, so gradcheck sees them all. */
const joined = (ts: Tensor[]) => cat(ts.map((t) => t.flatten()))

describe('gradcheck: selection', () => {
  it('where', () => check((a, b) => where(mask, a, b), [[2, 3], [2, 3]]))
  it('where broadcast [3]·[2,1]', () => check((a, b) => where(mask, a, b), [[3], [2, 1]]))
  it('a.where(cond, number)', () => check((a) => a.where(mask, 0.5), [[2, 3]]))
  it('maskedFill', () => check((a) => a.maskedFill(mask, -1), [[2, 3]]))
  it('maskedFill broadcast mask', () => check((a) => a.maskedFill(tensor([true, false, false]), 3), [[2, 3]]))
})

describe('gradcheck: reductions', () => {
  it('max()', () => check((a) => a.max(), [[3, 4]]))
  it('min()', () => check((a) => a.min(), [[3, 4]]))
  it('max(dim).values', () => check((a) => a.max(1).values, [[3, 4]]))
  it('min(dim, keepdim).values', () => check((a) => a.min(0, { keepdim: true }).values, [[3, 4]]))
  it('amax', () => check((a) => a.amax(-1), [[2, 3, 4]]))
  it('amax() over everything', () => check((a) => a.amax(), [[3, 4]]))
  it('amin() over everything, keepdim', () => check((a) => a.amin(null, { keepdim: true }), [[3, 4]]))
  it('amin keepdim', () => check((a) => a.amin(1, { keepdim: true }), [[2, 3, 4]]))
  it('logsumexp', () => check((a) => a.logsumexp(1), [[3, 5]]))
  it('logsumexp keepdim, dim 0', () => check((a) => a.logsumexp(0, { keepdim: true }), [[3, 5]]))
  it('var', () => check((a) => a.var(1), [[3, 5]]))
  it('var all, correction 0', () => check((a) => a.var(null, { correction: 0 }), [[3, 5]]))
  it('std', () => check((a) => a.std(0, { keepdim: true }), [[4, 3]]))
  it('sum over [0, 2]', () => check((a) => a.sum([0, 2]), [[2, 3, 4]]))
  it('mean over [1, 2] keepdim', () => check((a) => a.mean([1, 2], { keepdim: true }), [[2, 3, 4]]))
  it('cumsum', () => check((a) => a.cumsum(1), [[3, 4]]))
  it('cumsum dim 0', () => check((a) => a.cumsum(0), [[3, 4]]))
  it('prod(dim)', () => check((a) => a.prod(1), [[3, 4]]))
  it('prod() all', () => check((a) => a.prod(), [[2, 3]], [0.5, 1.5]))
  it('prod with an exact zero', () => check((a) => a.mul(tensor([1, 0, 1], { dtype: 'float64' })).prod(), [[3]]))
})

describe('gradcheck: joining', () => {
  it('cat dim 0', () => check((a, b) => cat([a, b]), [[2, 3], [1, 3]]))
  it('cat dim 1', () => check((a, b, c) => cat([a, b, c], 1), [[2, 1], [2, 3], [2, 2]]))
  it('stack dim 1', () => check((a, b) => stack([a, b], 1), [[2, 3], [2, 3]]))
  it('split', () => check((a) => joined(split(a, 2, 1).map((t, i) => t.mul(i + 1))), [[2, 5]]))
  it('split by sizes', () => check((a) => joined(split(a, [1, 3]).map((t, i) => t.mul(i + 1))), [[4, 2]]))
  it('chunk', () => check((a) => joined(chunk(a, 3).map((t, i) => t.mul(i + 1))), [[5, 2]]))
})

describe('gradcheck: slicing and indexing', () => {
  it('narrow', () => check((a) => a.narrow(1, 1, 2), [[3, 4]]))
  it('select negative', () => check((a) => a.select(0, -1), [[3, 4]]))
  it('slice step 2', () => check((a) => a.slice(1, 1, null, 2), [[3, 6]]))
  it('indexSelect with repeats', () => check((a) => a.indexSelect(0, i32([2, 0, 2])), [[3, 4]]))
  it('gather with repeats', () => check((a) => a.gather(1, i32([[0, 0], [3, 1], [2, 2]])), [[3, 4]]))
  it('gather, an index smaller than the tensor', () => check((a) => a.gather(0, i32([[2, 0]])), [[3, 4]]))
  it('scatterAdd, index and src of other shapes', () => check((a, s) => a.scatterAdd(1, i32([[0, 3]]), s), [[3, 4], [2, 3]]))
  it('scatterAdd, full index', () => check((a, s) => a.scatterAdd(0, i32([[1, 0], [1, 1]]), s), [[2, 2], [2, 2]]))
  it('scatterAdd (both inputs)', () => check((a, s) => a.scatterAdd(1, i32([[0, 0], [3, 1]]), s), [[2, 4], [2, 2]]))
  it('index: number, slice, null', () => check((a) => a.index(1, '1:', null), [[3, 4, 2]]))
  it("index: '...' and an int tensor", () => check((a) => a.index('...', i32([1, 1, 0])), [[2, 3, 2]]))
  it('index: two int tensors, adjacent, not first', () => check((a) => a.index(null, i32([0, 2]), i32([1, 1])), [[2, 3, 2]]))
  it('index: two int tensors broadcast, not adjacent', () => check((a) => a.index(i32([[0], [2]]), null, i32([1, 0, 1])), [[3, 2, 2]]))
  it('index: three int tensors, negative indices', () => check((a) => a.index(i32([0, -1]), i32([-2, 1]), i32([1, 0])), [[2, 3, 2]]))
  it('index: bool mask', () => check((a) => a.index(mask), [[2, 3]]))
})

describe('gradcheck: shape and padding', () => {
  // flatten and unflatten share the data (a view), so gradcheck sees them through a copy.
  it('flatten(1)', () => check((a) => a.flatten(1).mul(2), [[2, 3, 4]]))
  it('unflatten', () => check((a) => a.unflatten(1, [2, -1]).mul(2), [[3, 4]]))
  it('permute varargs', () => check((a) => a.permute(2, 0, 1), [[2, 3, 4]]))
  it('expand', () => check((a) => a.expand(2, -1, 3), [[3, 1]]))
  it('repeat', () => check((a) => a.repeat(2, 1, 3), [[2, 2]]))
  it('pad constant', () => check((a) => F.pad(a, [1, 2, 0, 1], { value: 0.5 }), [[2, 3]]))
  it('pad constant cropping', () => check((a) => F.pad(a, [-1, 1]), [[2, 3]]))
  it('pad reflect', () => check((a) => F.pad(a, [2, 1, 1, 1], { mode: 'reflect' }), [[1, 3, 4]]))
  it('pad replicate', () => check((a) => F.pad(a, [2, 1, 1, 2], { mode: 'replicate' }), [[1, 3, 4]]))
})
