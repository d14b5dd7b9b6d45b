import { describe, expect, it } from 'vitest'
import * as yann from '../../src/index.js'
import { arange, eye, fullLike, linspace, noGrad, randint, randLike, randnLike, randperm, tensor, zeros } from '../../src/index.js'
import { Generator } from '../../src/random.js'

/** The tensor surface's behaviour beyond the PyTorch fixture cases; expected values worked out by hand. */

const values = (t: yann.Tensor) => Array.from(t.data)
/** 0..n−1 reshaped (x[i, j, k] = 12i + 4j + k for [2, 3, 4]). */
const grid = (...shape: number[]) => arange(shape.reduce((a, b) => a * b, 1)).reshape(shape)

describe('bool tensors', () => {
  it('print like PyTorch', () => {
    expect(String(tensor([true, false]))).toBe('tensor([ True, False])')
    expect(String(tensor([[1, 2], [3, 0]]).gt(1))).toBe('tensor([[False,  True],\n        [ True, False]])')
    expect(String(tensor([true, false]).narrow(0, 0, 0))).toBe('tensor([], dtype=torch.bool)')
  })
  it('refuse negation and bool − bool, as PyTorch', () => {
    // -torch.tensor([True, False]) -> RuntimeError: Negation, the `-` operator, on a bool tensor is not supported.
    expect(() => tensor([true, false]).neg()).toThrow('neg: negating a bool tensor (shape [2]) is not supported, as in PyTorch; to invert a mask use logicalNot()')
    // torch.tensor([True]) - torch.tensor([False]) -> RuntimeError: Subtraction, the `-` operator, with two bool tensors is not supported.
    expect(() => tensor([true]).sub(tensor([false]))).toThrow('sub: subtracting two bool tensors (shapes [1] and [1]) is not supported')
    expect(values(tensor([true, false]).logicalNot())).toEqual([0, 1])
    expect(values(tensor([true, false]).ne(tensor([true, true])))).toEqual([0, 1])
  })
  it('convert: nonzero and NaN are true; back to numbers as 0/1', () => {
    const b = tensor([0, -2, NaN, 0.5]).bool()
    expect(b.dtype).toBe('bool')
    expect(b.data).toBeInstanceOf(Uint8Array)
    expect(values(b)).toEqual([0, 1, 1, 1])
    expect(values(b.float())).toEqual([0, 1, 1, 1])
    expect(b.int().dtype).toBe('int32')
    expect(tensor([2.7, -2.7]).int().toArray()).toEqual([2, -2])
  })
  it('where and maskedFill keep int32 and bool, as PyTorch keeps integer dtypes (they gave float32, which rounds ints past 2^24)', () => {
    const i32 = (d: number[]) => tensor(d, { dtype: 'int32' })
    const c = tensor([true, false])
    // torch.where(c, torch.tensor([16777217, 2]), -100) = tensor([16777217, -100]) (int64 there)
    const w = yann.where(c, i32([16777217, 2]), -100)
    expect([w.dtype, w.toArray()]).toEqual(['int32', [16777217, -100]])
    expect(yann.where(c, tensor([true, true]), tensor([false, false])).dtype).toBe('bool')
    // torch: labels.masked_fill(mask, -100) stays an integer tensor (an ignore_index mask for cross_entropy)
    const labels = i32([3, 1]).maskedFill(c, -100)
    expect([labels.dtype, labels.toArray()]).toEqual(['int32', [-100, 1]])
    expect(yann.where(c, i32([1, 2]), 0.5).dtype).toBe('float32') // a float operand: float
  })
  it('comparisons take numbers and broadcast; NaN compares false except ne', () => {
    const x = tensor([1, 2, NaN])
    expect(values(x.ge(2))).toEqual([0, 1, 0])
    expect(values(x.ne(x))).toEqual([0, 0, 1])
    expect(x.eq(tensor([[1], [2]])).shape).toEqual([2, 3])
    expect(values(yann.lt(tensor([1, 3]), 2))).toEqual([1, 0])
  })
  it('logical ops, any, all', () => {
    const p = tensor([true, true, false, false])
    const q = tensor([true, false, true, false])
    expect(values(p.logicalAnd(q))).toEqual([1, 0, 0, 0])
    expect(values(p.logicalOr(q))).toEqual([1, 1, 1, 0])
    expect(values(p.logicalNot())).toEqual([0, 0, 1, 1])
    expect([p.any().item(), p.all().item(), tensor([1, 2]).all().item()]).toEqual([1, 0, 1])
    expect(p.any().shape).toEqual([])
  })
  it('any and all along a dim (they ignored the dim and reduced everything)', () => {
    // PyTorch: t.any(1) = [True, False], t.all(0) = [False, False], keepdim keeps [2, 1]; an empty line: any False, all True.
    const t = tensor([[true, false], [false, false]])
    expect(t.any(1).toArray()).toEqual([1, 0])
    expect(t.any(1).dtype).toBe('bool')
    expect(t.all(0).toArray()).toEqual([0, 0])
    expect(tensor([[1, 2], [0, 3]]).all(-1, { keepdim: true }).toArray()).toEqual([[1], [0]])
    expect(zeros([2, 0]).any(1).toArray()).toEqual([0, 0])
    expect(zeros([2, 0]).all(1).toArray()).toEqual([1, 1])
  })
  it('accuracy from argmax, eq and mean', () => {
    const logits = tensor([[1, 3, 2], [0, 0, 5], [4, 1, 1], [2, 2, 1]])
    const target = tensor([1, 0, 0, 0], { dtype: 'int32' })
    const predicted = logits.argmax(1)
    expect(predicted.dtype).toBe('int32')
    expect(values(predicted)).toEqual([1, 2, 0, 0]) // the first of tied maxima, as PyTorch
    expect(predicted.eq(target).float().mean().item()).toBe(0.75)
  })
})

describe('reductions', () => {
  it('max() and argmax() over everything; keepdim', () => {
    const x = tensor([[1, 7], [9, 2]])
    expect(x.max().item()).toBe(9)
    expect(x.min().shape).toEqual([])
    expect(x.argmax().item()).toBe(2)
    expect(x.argmax(null, { keepdim: true }).shape).toEqual([1, 1])
    const { values: v, indices } = x.max(1, { keepdim: true })
    expect([v.shape, values(v), values(indices)]).toEqual([[2, 1], [7, 9], [1, 0]])
  })
  it('amax/amin over a list of dims, ties sharing the gradient across all of them (a list was refused)', () => {
    // torch.amax(x, dim=(0, 1)) of [[1, 3], [3, 2]] is 3; its gradient is 1/2 at each of the two 3s.
    const x = tensor([[1, 3], [3, 2]], { requiresGrad: true })
    const m = x.amax([0, 1])
    expect(m.item()).toBe(3)
    m.backward()
    expect(values(x.grad!)).toEqual([0, 0.5, 0.5, 0])
    expect(x.amin([-1, 0], { keepdim: true }).toArray()).toEqual([[1]])
  })
  it('an empty dim list reduces every dim in every call form, as sum(dim=[]) in PyTorch (with options it reduced none)', () => {
    const x = tensor([[1, 3], [3, 2]])
    expect(x.sum([], { keepdim: false }).toArray()).toBe(9)
    expect(x.sum({ dim: [] }).toArray()).toBe(9)
    expect(x.mean([], { keepdim: true }).toArray()).toEqual([[2.25]])
    // var: Σ(x − 2.25)² / 3 = 2.75 / 3; logsumexp: log(e + 2e³ + e²)
    expect(x.var([]).item()).toBeCloseTo(2.75 / 3, 6)
    expect(x.logsumexp([]).item()).toBeCloseTo(Math.log(Math.E + 2 * Math.exp(3) + Math.exp(2)), 5)
  })
  it('softmax, logSoftmax and cumsum take { dtype } as PyTorch: the input is cast first', () => {
    // torch.softmax(torch.tensor([1., 2.]), 0, dtype=torch.float64) is float64, and the gradient reaches the float32 input
    const x = tensor([1, 2], { requiresGrad: true })
    const y = x.softmax(0, { dtype: 'float64' })
    expect(y.dtype).toBe('float64')
    expect(values(y)[1]).toBeCloseTo(1 / (1 + Math.exp(-1)), 12)
    y.select(0, 1).backward()
    expect(x.grad!.dtype).toBe('float32')
    expect(yann.F.logSoftmax(x, 0, { dtype: 'float64' }).dtype).toBe('float64')
    expect([x.cumsum(0, { dtype: 'float64' }).dtype, values(x.cumsum(0, { dtype: 'float64' }))]).toEqual(['float64', [1, 3]])
  })
  it('max() shares the gradient between ties; max(dim) gives it to the index', () => {
    const x = tensor([3, 1, 3], { requiresGrad: true })
    x.max().backward()
    expect(values(x.grad!)).toEqual([0.5, 0, 0.5])
    const y = tensor([3, 1, 3], { requiresGrad: true })
    y.max(0).values.backward()
    expect(values(y.grad!)).toEqual([1, 0, 0])
  })
  it('amax() and amin() without a dim reduce everything, sharing the gradient between ties (torch.amax)', () => {
    // torch: x = [[1., 5.], [5., 2.]]; x.amax() = 5, gradient [[0, .5], [.5, 0]]; amin(keepdim) → [[1.]]
    const x = tensor([[1, 5], [5, 2]], { requiresGrad: true })
    const top = x.amax()
    expect([top.shape, top.item()]).toEqual([[], 5])
    top.backward()
    expect(x.grad!.toArray()).toEqual([[0, 0.5], [0.5, 0]])
    expect(x.amin(null, { keepdim: true }).toArray()).toEqual([[1]])
  })
  it('sum and mean: positional keepdim, options, and dim lists', () => {
    const x = grid(2, 3)
    expect(x.sum(1, true).shape).toEqual([2, 1])
    expect(values(x.sum([0, 1]))).toEqual([15])
    expect(x.mean({ dim: 0, keepdim: true }).toArray()).toEqual([[1.5, 2.5, 3.5]])
    expect(values(x.sum([]))).toEqual([15])
  })
  it('logsumexp of −inf rows and large values', () => {
    expect(values(tensor([[-Infinity, -Infinity], [1000, 1000]]).logsumexp(1))).toEqual([-Infinity, Math.fround(1000 + Math.log(2))])
  })
  it('var and std: correction, all elements', () => {
    const x = tensor([1, 2, 3, 4], { dtype: 'float64' })
    expect(x.var().item()).toBeCloseTo(5 / 3, 12)
    expect(x.var(0, { correction: 0 }).item()).toBeCloseTo(1.25, 12)
    expect(x.std().item()).toBeCloseTo(Math.sqrt(5 / 3), 12)
  })
  it('cumsum and prod', () => {
    expect(grid(2, 3).cumsum(1).toArray()).toEqual([[0, 1, 3], [3, 7, 12]])
    expect(values(grid(2, 3).add(1).prod(1))).toEqual([6, 120])
    expect(tensor([2, 3, 4]).prod().item()).toBe(24)
  })
})

describe('indexing with index()', () => {
  const x = grid(2, 3, 4)
  it('numbers, slices, null and ...', () => {
    expect(values(x.index(-1, -1))).toEqual([20, 21, 22, 23])
    expect(x.index('...', 0).toArray()).toEqual([[0, 4, 8], [12, 16, 20]])
    expect(x.index(1, '1:', null).toArray()).toEqual([[16, 17, 18, 19], [20, 21, 22, 23]])
    expect(x.index(null, '::2', '1:3').toArray()).toEqual([[[1, 2], [9, 10]], [[13, 14], [21, 22]]])
  })
  it('int tensors: adjacent keep their place, separated go in front', () => {
    const i = tensor([0, 2], { dtype: 'int32' })
    expect(x.index(null, i, [1, 1]).toArray()).toEqual([[1, 9], [13, 21]])
    expect(x.index([0, 1], null, [1, 2]).toArray()).toEqual([[1, 5, 9], [14, 18, 22]])
    expect(x.index(null, null, [[3], [0]]).shape).toEqual([2, 3, 2, 1])
    // Integer and bool tensors keep their dtype.
    const labels = tensor([7, 8, 9], { dtype: 'int32' }).index([2, 0])
    expect([labels.dtype, values(labels)]).toEqual(['int32', [9, 7]])
    expect(tensor([true, false]).index([1, 1]).toArray()).toEqual([0, 0])
  })
  it('a bool mask picks its true elements in order; gradients flow back', () => {
    const y = grid(2, 3)
    const m = tensor([[true, false, true], [false, false, true]])
    expect(values(y.index(m))).toEqual([0, 2, 5])
    const w = zeros([2, 3], { requiresGrad: true })
    w.index(m).sum().backward()
    expect(values(w.grad!)).toEqual([1, 0, 1, 0, 0, 1])
  })
  it('a 0-d bool mask adds a dim: x[True] is [1, ...], x[False] is [0, ...] (it was ignored: x[False] gave all of x)', () => {
    // torch: torch.tensor([1., 2.])[torch.tensor(False)].shape == (0, 2); torch.tensor(5.)[torch.tensor(True)] == tensor([5.])
    expect(tensor([1, 2]).index(tensor(true)).toArray()).toEqual([[1, 2]])
    expect(tensor([1, 2]).index(tensor(false)).shape).toEqual([0, 2])
    expect(tensor(5).index(tensor(true)).toArray()).toEqual([5])
    expect(grid(2, 3).index(null, tensor(true)).shape).toEqual([2, 1, 3])
  })
})

describe('joining and slicing', () => {
  it('split, chunk, narrow, slice', () => {
    expect(grid(5).split(2).map(values)).toEqual([[0, 1], [2, 3], [4]])
    expect(grid(6).chunk(4).map(values)).toEqual([[0, 1], [2, 3], [4, 5]])
    expect(values(grid(7).slice(0, -5, null, 2))).toEqual([2, 4, 6])
    expect(values(grid(3, 2).narrow(0, -1, 1))).toEqual([4, 5])
  })
  it('select and narrow take a 0-d int32 tensor as the index, as PyTorch (x.select(0, t.argmax()))', () => {
    // x = torch.arange(6.).reshape(3, 2); i = torch.tensor([1., 5., 2.]).argmax()
    // x.select(0, i) -> tensor([2., 3.]); x.narrow(0, i, 2) -> tensor([[2., 3.], [4., 5.]])
    const i = tensor([1, 5, 2]).argmax()
    expect(grid(3, 2).select(0, i).toArray()).toEqual([2, 3])
    expect(grid(3, 2).narrow(0, i, 2).toArray()).toEqual([[2, 3], [4, 5]])
    expect(grid(3, 2).select(1, tensor(-1, { dtype: 'int32' })).toArray()).toEqual([1, 3, 5])
    // Gradients flow as with a number index.
    const x = tensor([[0, 1], [2, 3], [4, 5]], { requiresGrad: true })
    x.select(0, i).sum().backward()
    expect(x.grad!.toArray()).toEqual([[0, 0], [1, 1], [0, 0]])
    // torch: a float tensor or a 1-d one is refused (TypeError: ... must be int, not Tensor).
    expect(() => grid(3, 2).select(0, tensor(1))).toThrow('select: index must be an integer or a 0-d int32 tensor, got a float32 tensor of shape []')
    expect(() => grid(3, 2).narrow(0, tensor([1], { dtype: 'int32' }), 1)).toThrow('narrow: start must be an integer or a 0-d int32 tensor, got a int32 tensor of shape [1]')
    expect(() => grid(3, 2).select(0, tensor(3, { dtype: 'int32' }))).toThrow('select: index 3 is out of range for dim 0 of size 3')
  })
  it('gather and scatterAdd', () => {
    const idx = tensor([[2, 0], [1, 1]], { dtype: 'int32' })
    expect(grid(2, 3).gather(1, idx).toArray()).toEqual([[2, 0], [4, 4]])
    expect(zeros([2, 3]).scatterAdd(1, idx, tensor([[1, 2], [3, 4]])).toArray()).toEqual([[2, 0, 1], [0, 7, 0]])
  })
  it('stack, repeat, expand, unflatten, size, dim', () => {
    expect(yann.stack([tensor([1, 2]), tensor([3, 4])], 1).toArray()).toEqual([[1, 3], [2, 4]])
    expect(tensor([1, 2]).repeat(2, 2).toArray()).toEqual([[1, 2, 1, 2], [1, 2, 1, 2]])
    expect(tensor([[1], [2]]).expand([2, 3]).toArray()).toEqual([[1, 1, 1], [2, 2, 2]])
    expect(zeros([2, 12]).unflatten(1, [3, -1]).shape).toEqual([2, 3, 4])
    expect(yann.randn([2, 3, 4]).flatten(1).shape).toEqual([2, 12])
    expect([zeros([2, 5]).size(), zeros([2, 5]).size(-1), zeros([2, 5]).dim()]).toEqual([[2, 5], 5, 2])
  })
  it('pad reflect and replicate', () => {
    const x = tensor([[1, 2, 3]])
    expect(yann.F.pad(x, [2, 1], { mode: 'reflect' }).toArray()).toEqual([[3, 2, 1, 2, 3, 2]])
    expect(yann.F.pad(x, [2, 1], { mode: 'replicate' }).toArray()).toEqual([[1, 1, 1, 2, 3, 3]])
  })
})

describe('div with roundingMode', () => {
  it("'floor' and 'trunc' round the quotient, as torch.div(a, b, rounding_mode=...) (the option was ignored: true division)", () => {
    // torch.div([-5., 5., 7.], 2, rounding_mode='floor') = [-3., 2., 3.]; 'trunc' = [-2., 2., 3.]
    const a = tensor([-5, 5, 7], { requiresGrad: true })
    expect(values(a.div(2, { roundingMode: 'floor' }))).toEqual([-3, 2, 3])
    expect(values(yann.div(a, tensor([2]), { roundingMode: 'trunc' }))).toEqual([-2, 2, 3])
    expect(values(a.div(2, { roundingMode: null }))).toEqual([-2.5, 2.5, 3.5])
    // Rounded division has zero gradient in PyTorch.
    a.div(2, { roundingMode: 'floor' }).sum().backward()
    expect(values(a.grad!)).toEqual([0, 0, 0])
    // In place on int32, as torch.tensor([5, -5]).div_(2, rounding_mode='floor') = [2, -3].
    expect(values(tensor([5, -5], { dtype: 'int32' }).div_(2, { roundingMode: 'floor' }))).toEqual([2, -3])
    expect(() => a.div(2, { roundingMode: 'round' } as any)).toThrow(/^div: roundingMode must be 'trunc', 'floor' or null, got "round"/)
    expect(() => a.div(2, { rounding_mode: 'floor' } as any)).toThrow(/^div: unknown option 'rounding_mode'; did you mean roundingMode/)
  })
})

describe('in place', () => {
  it('writes through a view (reshape) reach the base; arithmetic broadcasts', () => {
    const x = zeros([2, 2])
    x.view(-1).fill_(3)
    expect(values(x)).toEqual([3, 3, 3, 3])
    x.add_(tensor([1, 2])).mul_(2).sub_(1).div_(tensor([[1], [2]])).clamp_(null, 6)
    expect(values(x)).toEqual([6, 6, 3.5, 4.5])
    expect(values(x.copy_(tensor([1, 0])))).toEqual([1, 0, 1, 0])
    expect(values(x.zero_())).toEqual([0, 0, 0, 0])
  })
  it('bool tensors stay 0/1; random fills need floats', () => {
    expect(values(tensor([true, false]).fill_(2))).toEqual([1, 1])
    expect(() => zeros([2], { dtype: 'int32' }).normal_()).toThrow(/^normal_: needs a float tensor, got int32 of shape \[2\]/)
  })
  it('add_ and sub_ take alpha; fill_ takes a 0-d tensor', () => {
    // PyTorch: x.add_(y, alpha=3) is x + 3·y, x.sub_(y, alpha=2) is x − 2·y, x.fill_(torch.tensor(3.)) fills 3.
    expect(values(tensor([1, 2]).add_(tensor([1, 1]), { alpha: 3 }))).toEqual([4, 5])
    expect(values(tensor([1, 2]).sub_(tensor([1, 1]), { alpha: 2 }))).toEqual([-1, 0])
    expect(values(zeros([2]).fill_(tensor(3)))).toEqual([3, 3])
    expect(values(tensor([1, 2], { dtype: 'int32' }).add_(tensor([3, 4], { dtype: 'int32' }), { alpha: 2 }))).toEqual([7, 10])
  })
  it('a leaf that requires grad is written under noGrad', () => {
    const w = zeros([3], { requiresGrad: true })
    noGrad(() => w.fill_(2).add_(1))
    expect(values(w)).toEqual([3, 3, 3])
  })
  it('normal_ and uniform_ with a generator are reproducible and in range', () => {
    const a = zeros([1000]).uniform_(-1, 1, { generator: new Generator(5) })
    const b = zeros([1000]).uniform_(-1, 1, { generator: new Generator(5) })
    expect(values(a)).toEqual(values(b))
    expect(Math.min(...values(a))).toBeGreaterThanOrEqual(-1)
    expect(Math.max(...values(a))).toBeLessThan(1)
    const n = zeros([4000]).normal_(2, 0.5)
    expect(n.mean().item()).toBeCloseTo(2, 1)
    expect(n.std().item()).toBeCloseTo(0.5, 1)
  })
})

describe('creation', () => {
  it('eye and linspace', () => {
    expect(eye(2, 3).toArray()).toEqual([[1, 0, 0], [0, 1, 0]])
    expect(eye(2).toArray()).toEqual([[1, 0], [0, 1]])
    expect(values(linspace(0, 1, 5))).toEqual([0, 0.25, 0.5, 0.75, 1])
    expect(values(linspace(-1, 1, 1))).toEqual([-1])
  })
  it('randint, randperm: int32, in range, seeded by a generator', () => {
    const r = randint(-2, 3, [500], { generator: new Generator(1) })
    expect(r.dtype).toBe('int32')
    expect(new Set(values(r))).toEqual(new Set([-2, -1, 0, 1, 2]))
    expect(values(r)).toEqual(values(randint(-2, 3, [500], { generator: new Generator(1) })))
    const p = randperm(10, { generator: new Generator(3) })
    expect(p.dtype).toBe('int32')
    expect([...values(p)].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
  })
  it('randint beyond int32 is an error, not wrapped values (randint(0, 2**40) gave numbers below 2**31)', () => {
    expect(() => randint(0, 2 ** 40, [2])).toThrow(/^randint: value 1099511627775 .* int32/)
    expect(randint(0, 2 ** 40, [2], { dtype: 'float64' }).dtype).toBe('float64')
  })
  it('the *Like creators keep shape and dtype', () => {
    const x = zeros([2, 3], { dtype: 'float64' })
    expect([fullLike(x, 7).dtype, values(fullLike(x, 7))[5]]).toEqual(['float64', 7])
    expect(randLike(x).shape).toEqual([2, 3])
    expect(randnLike(x, { dtype: 'float32' }).dtype).toBe('float32')
    expect(yann.emptyLike(x).shape).toEqual([2, 3])
  })
})
