import { describe, expect, it } from 'vitest'
import { argsort, gradcheck, randn, sort, tensor, Tensor, topk } from '../../src/index.js'
import { expectError } from '../expect-error.js'

/**
 * sort, argsort and topk against PyTorch's documented CPU behaviour, worked out by hand: ties
 * keep their order (lower index first, ascending and descending), NaN sorts as the largest
 * value (last ascending, first descending), the gradient of values goes back to where each came from.
 */
const leaf = (t: Tensor): Tensor => {
  t.requiresGrad = true
  return t
}
const x = () => tensor([[3, 1, NaN, 1], [2, 2, -1, 5]])

describe('sort', () => {
  it('along the last dim: ties in index order, NaN last', () => {
    const { values, indices } = x().sort()
    expect(values.toArray()).toEqual([[1, 1, 3, NaN], [-1, 2, 2, 5]])
    expect(indices.toArray()).toEqual([[1, 3, 0, 2], [2, 0, 1, 3]])
    expect(indices.dtype).toBe('int32')
  })

  it('descending: NaN first, ties still lower index first', () => {
    const { values, indices } = x().sort({ descending: true })
    expect(values.toArray()).toEqual([[NaN, 3, 1, 1], [5, 2, 2, -1]])
    expect(indices.toArray()).toEqual([[2, 0, 1, 3], [3, 0, 1, 2]])
    expect(sort(x(), -1, { descending: true, stable: true }).indices.toArray()).toEqual([[2, 0, 1, 3], [3, 0, 1, 2]])
  })

  it('ties in both directions, several NaN, ±inf, -0 and 0', () => {
    const t = tensor([2, 1, 2, 1, 2])
    expect(t.sort().indices.toArray()).toEqual([1, 3, 0, 2, 4])
    expect(t.sort({ descending: true }).indices.toArray()).toEqual([0, 2, 4, 1, 3])
    const n = tensor([NaN, 1, NaN])
    expect(n.sort().indices.toArray()).toEqual([1, 0, 2])
    expect(n.sort({ descending: true }).indices.toArray()).toEqual([0, 2, 1])
    const inf = tensor([Infinity, NaN, -Infinity])
    expect(inf.sort().values.toArray()).toEqual([-Infinity, Infinity, NaN])
    expect(inf.sort().indices.toArray()).toEqual([2, 0, 1])
    expect(tensor([0, -0]).sort({ descending: true }).indices.toArray()).toEqual([0, 1])
    expect(tensor([-0, 0]).sort().indices.toArray()).toEqual([0, 1])
  })

  it('along dim 0, dim -2 and the middle dim of a 3-D tensor', () => {
    const { values, indices } = x().sort(0)
    expect(values.toArray()).toEqual([[2, 1, -1, 1], [3, 2, NaN, 5]])
    expect(indices.toArray()).toEqual([[1, 0, 1, 0], [0, 1, 0, 1]])
    expect(x().sort(-2).indices.toArray()).toEqual([[1, 0, 1, 0], [0, 1, 0, 1]])
    const c = tensor([[[5, 0], [1, 4], [3, 2]], [[0, 9], [8, 1], [2, 2]]])
    const s = c.sort(1)
    expect(s.values.toArray()).toEqual([[[1, 0], [3, 2], [5, 4]], [[0, 1], [2, 2], [8, 9]]])
    expect(s.indices.toArray()).toEqual([[[1, 0], [2, 2], [0, 1]], [[0, 1], [2, 2], [1, 0]]])
    expect(c.sort({ dim: -2, descending: true }).indices.toArray()).toEqual([[[0, 1], [2, 2], [1, 0]], [[1, 0], [2, 2], [0, 1]]])
  })

  it('int32 and bool keep their dtype; a 0-d tensor sorts to itself', () => {
    const i = tensor([3, 1, 2], { dtype: 'int32' }).sort()
    expect(i.values.dtype).toBe('int32')
    expect(i.values.toArray()).toEqual([1, 2, 3])
    expect(i.indices.toArray()).toEqual([1, 2, 0])
    const b = tensor([true, false, true]).sort()
    expect(b.values.dtype).toBe('bool')
    expect(b.indices.toArray()).toEqual([1, 0, 2])
    const z = tensor(4).sort()
    expect(z.values.shape).toEqual([])
    expect(z.values.item()).toBe(4)
    expect(z.indices.item()).toBe(0)
  })

  it('the gradient of values goes back to where each came from', () => {
    const t = leaf(tensor([3, 1, 2], { dtype: 'float64' }))
    t.sort({ descending: true }).values.mul(tensor([10, 20, 30], { dtype: 'float64' })).sum().backward()
    expect(t.grad!.toArray()).toEqual([10, 30, 20])
  })

  it('float64 gradcheck of values, along each dim', () => {
    const r = leaf(randn([3, 4, 2], { dtype: 'float64' }))
    expect(gradcheck((v) => v.sort().values.mul(v), [r])).toBe(true)
    expect(gradcheck((v) => v.sort(1, { descending: true }).values.square(), [r])).toBe(true)
  })
})

describe('argsort', () => {
  it("is sort's indices, same arguments", () => {
    expect(x().argsort().toArray()).toEqual([[1, 3, 0, 2], [2, 0, 1, 3]])
    expect(argsort(x(), 0).toArray()).toEqual([[1, 0, 1, 0], [0, 1, 0, 1]])
    expect(x().argsort({ dim: 1, descending: true }).toArray()).toEqual([[2, 0, 1, 3], [3, 0, 1, 2]])
    expect(x().argsort().dtype).toBe('int32')
  })
})

describe('topk', () => {
  it('the k largest along the last dim, in order; NaN counts as the largest', () => {
    const { values, indices } = x().topk(2)
    expect(values.toArray()).toEqual([[NaN, 3], [5, 2]])
    expect(indices.toArray()).toEqual([[2, 0], [3, 0]])
  })

  it('largest: false, a positional dim, dim 0, k = 0 and k = size', () => {
    expect(x().topk(2, 1, { largest: false }).indices.toArray()).toEqual([[1, 3], [2, 0]])
    expect(topk(x(), 2, { largest: false, sorted: true }).values.toArray()).toEqual([[1, 1], [-1, 2]])
    const top0 = x().topk(1, 0)
    expect(top0.values.toArray()).toEqual([[3, 2, NaN, 5]])
    expect(top0.indices.toArray()).toEqual([[0, 1, 0, 1]])
    expect(x().topk(1, { dim: -2 }).indices.toArray()).toEqual([[0, 1, 0, 1]])
    expect(x().topk(0).values.shape).toEqual([2, 0])
    expect(x().topk(4).indices.toArray()).toEqual([[2, 0, 1, 3], [3, 0, 1, 2]])
  })

  it('ties go to the lower index', () => {
    expect(tensor([1, 5, 5, 5]).topk(2).indices.toArray()).toEqual([1, 2])
    expect(tensor([4, 2, 2, 2]).topk(2, { largest: false }).indices.toArray()).toEqual([1, 2])
  })

  it('a small k of a long row (picked in one pass): ties, NaN, both directions, along dim 0', () => {
    const row = [1, 5, 3, 5, 0, 5, 2, 2, ...Array(12).fill(4), NaN, 4, 4, 4]
    expect(tensor(row).topk(3).indices.toArray()).toEqual([20, 1, 3])
    expect(tensor(row).topk(3).values.toArray()).toEqual([NaN, 5, 5])
    expect(tensor(row).topk(3, { largest: false }).indices.toArray()).toEqual([4, 0, 6])
    expect(tensor(row).topk(2, { largest: false }).values.toArray()).toEqual([0, 1])
    const col = tensor(row.map((v) => [v, -v])).topk(2, 0)
    expect(col.indices.toArray()).toEqual([[20, 20], [1, 4]])
    expect(tensor(row.map((v) => (v === v ? 7 : v))).topk(3).indices.toArray()).toEqual([20, 0, 1])
  })

  it('the gradient of values scatters into zeros at the picked positions', () => {
    const t = leaf(tensor([1, 4, 2, 8], { dtype: 'float64' }))
    t.topk(2).values.mul(tensor([1, 2], { dtype: 'float64' })).sum().backward()
    expect(t.grad!.toArray()).toEqual([0, 2, 0, 1])
  })

  it('float64 gradcheck of values', () => {
    const r = leaf(randn([3, 5], { dtype: 'float64' }))
    expect(gradcheck((v) => v.topk(3).values.mul(2), [r])).toBe(true)
    expect(gradcheck((v) => v.topk(2, 0, { largest: false }).values.exp(), [r])).toBe(true)
  })
})

describe('sort, argsort, topk: errors name the op, the shape and the fix', () => {
  it('k out of range', () => {
    expectError(() => x().topk(5), 'topk', 'k = 5', 'dim 1 of size 4', '[2, 4]', 'from 0 to 4')
    expectError(() => x().topk(-1, 0), 'topk', 'k = -1', 'dim 0 of size 2', 'from 0 to 2')
    expectError(() => x().topk(1.5), 'topk', 'k = 1.5', 'integer')
    // A 0-d result holds one element: k = 0 threw "Tensor: 0 elements cannot have shape []".
    expectError(() => tensor(3).topk(0), /^topk:/, 'k = 0', 'shape []', 'from 1 to 1')
    expect(tensor(3).topk(1).values.toArray()).toEqual(3)
  })

  it('wrong option types', () => {
    expectError(() => x().sort({ descending: 'yes' } as never), 'sort: option descending must be a boolean', '"yes"')
    expectError(() => x().topk(1, { largest: 1 } as never), 'topk: option largest must be a boolean', '1')
  })

  it('dim out of range', () => {
    expectError(() => x().sort(2), 'sort: dim 2 is out of range', '[2, 4]', '-2 to 1')
    expectError(() => x().argsort(-3), 'argsort: dim -3 is out of range', '[2, 4]')
    expectError(() => x().topk(1, { dim: 5 }), 'topk: dim 5 is out of range', '[2, 4]')
  })

  it('unknown options, and dim given twice', () => {
    expectError(() => x().sort({ descend: true } as never), "sort: unknown option 'descend'", 'descending')
    expectError(() => x().topk(1, { smallest: true } as never), "topk: unknown option 'smallest'", 'largest')
    expectError(() => x().sort(0, { dim: 1 }), "sort: unknown option 'dim'")
  })
})
