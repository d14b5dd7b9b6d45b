import { describe, expect, it } from 'vitest'
import { arange, gradcheck, ones, randn, tensor, Tensor, tril, triu } from '../../src/index.js'
import { expectError } from '../expect-error.js'

/**
 * tril/triu against PyTorch's documented rule, written out by hand: tril keeps the entries
 * with col − row ≤ diagonal, triu those with col − row ≥ diagonal, per matrix of the last two dims.
 */
const leaf = (t: Tensor): Tensor => {
  t.requiresGrad = true
  return t
}
const m34 = () => arange(1, 13, 1, { dtype: 'float64' }).reshape(3, 4) // [[1,2,3,4],[5,6,7,8],[9,10,11,12]]

describe('tril / triu', () => {
  it('tril() of ones(3, 3): the causal mask', () => {
    expect(ones([3, 3]).tril().toArray()).toEqual([[1, 0, 0], [1, 1, 0], [1, 1, 1]])
    expect(tril(ones([3, 3])).toArray()).toEqual([[1, 0, 0], [1, 1, 0], [1, 1, 1]])
  })

  it('a non-square [3, 4] with diagonal 0, 1 and -1', () => {
    expect(m34().tril().toArray()).toEqual([[1, 0, 0, 0], [5, 6, 0, 0], [9, 10, 11, 0]])
    expect(m34().tril(1).toArray()).toEqual([[1, 2, 0, 0], [5, 6, 7, 0], [9, 10, 11, 12]])
    expect(m34().tril(-1).toArray()).toEqual([[0, 0, 0, 0], [5, 0, 0, 0], [9, 10, 0, 0]])
    expect(m34().triu().toArray()).toEqual([[1, 2, 3, 4], [0, 6, 7, 8], [0, 0, 11, 12]])
    expect(m34().triu(1).toArray()).toEqual([[0, 2, 3, 4], [0, 0, 7, 8], [0, 0, 0, 12]])
    expect(triu(m34(), -1).toArray()).toEqual([[1, 2, 3, 4], [5, 6, 7, 8], [0, 10, 11, 12]])
  })

  it('a tall [4, 2], and diagonals past the matrix', () => {
    const x = tensor([[1, 2], [3, 4], [5, 6], [7, 8]])
    expect(x.tril().toArray()).toEqual([[1, 0], [3, 4], [5, 6], [7, 8]])
    expect(x.triu().toArray()).toEqual([[1, 2], [0, 4], [0, 0], [0, 0]])
    expect(x.triu(-2).toArray()).toEqual([[1, 2], [3, 4], [5, 6], [0, 8]])
    expect(x.tril(5).toArray()).toEqual(x.toArray())
    expect(x.triu(5).toArray()).toEqual([[0, 0], [0, 0], [0, 0], [0, 0]])
    expect(x.tril(-9).toArray()).toEqual([[0, 0], [0, 0], [0, 0], [0, 0]])
  })

  it('batched over leading dims: each [2, 3] matrix of a [2, 1, 2, 3]', () => {
    const x = arange(1, 13, 1).reshape(2, 1, 2, 3)
    expect(x.tril(1).toArray()).toEqual([[[[1, 2, 0], [4, 5, 6]]], [[[7, 8, 0], [10, 11, 12]]]])
    expect(x.triu({ diagonal: -1 }).toArray()).toEqual(x.toArray())
    expect(x.triu({ diagonal: 2 }).toArray()).toEqual([[[[0, 0, 3], [0, 0, 0]]], [[[0, 0, 9], [0, 0, 0]]]])
  })

  it('keeps the dtype: bool and int32 masks, float64', () => {
    const b = ones([3, 3], { dtype: 'bool' }).triu(1)
    expect(b.dtype).toBe('bool')
    expect(b.toArray()).toEqual([[0, 1, 1], [0, 0, 1], [0, 0, 0]])
    const i = tensor([[1, 2], [3, 4]], { dtype: 'int32' }).tril()
    expect(i.dtype).toBe('int32')
    expect(i.toArray()).toEqual([[1, 0], [3, 4]])
    expect(m34().tril().dtype).toBe('float64')
  })

  it('zeros what it drops exactly: -inf above the diagonal of full(-inf).triu(1), 0 elsewhere', () => {
    const mask = ones([3, 3]).mul(-Infinity).triu(1)
    expect(mask.toArray()).toEqual([[0, -Infinity, -Infinity], [0, 0, -Infinity], [0, 0, 0]])
    expect(tensor([[NaN, NaN], [NaN, NaN]]).tril().toArray()).toEqual([[NaN, 0], [NaN, NaN]])
  })

  it('the gradient passes through the kept entries only', () => {
    const x = leaf(m34())
    x.tril(1).mul(tensor([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]], { dtype: 'float64' })).sum().backward()
    expect(x.grad!.toArray()).toEqual([[1, 2, 0, 0], [5, 6, 7, 0], [9, 10, 11, 12]])
    expect(x.tril(1).gradFn!.name).toBe('TrilBackward0')
    const z = leaf(m34())
    z.triu(1).sum().backward()
    expect(z.grad!.toArray()).toEqual([[0, 1, 1, 1], [0, 0, 1, 1], [0, 0, 0, 1]])
  })

  it('float64 gradcheck', () => {
    const x = leaf(randn([2, 3, 4], { dtype: 'float64' }))
    expect(gradcheck((v) => v.tril(-1).mul(v), [x])).toBe(true)
    expect(gradcheck((v) => v.triu(1).square(), [x])).toBe(true)
  })

  it('errors name the op, the shape and the fix', () => {
    expectError(() => tensor([1, 2, 3]).tril(), 'tril', '[3]', 'at least 2 dims', 'reshape')
    expectError(() => tensor(1).triu(), 'triu', '[]')
    expectError(() => ones([2, 2]).tril(0.5), 'tril: diagonal must be an integer, got 0.5')
    expectError(() => ones([2, 2]).triu({ k: 1 } as never), "triu: unknown option 'k'", 'diagonal')
  })

  it('returns a new tensor', () => {
    const x = ones([2, 2])
    expect(x.tril()).not.toBe(x)
    expect(x.tril()).toBeInstanceOf(Tensor)
  })
})
