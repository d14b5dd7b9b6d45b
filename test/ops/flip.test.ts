import { describe, expect, it } from 'vitest'
import { arange, flip, gradcheck, randn, tensor, Tensor } from '../../src/index.js'
import { expectError } from '../expect-error.js'

/** flip against PyTorch's rule, by hand: out[…, i, …] = x[…, n − 1 − i, …] along each flipped dim. */
const leaf = (t: Tensor): Tensor => {
  t.requiresGrad = true
  return t
}
const m = () => tensor([[1, 2, 3], [4, 5, 6]])

describe('flip', () => {
  it('one dim, negative dims, several dims (varargs or a list)', () => {
    expect(m().flip(0).toArray()).toEqual([[4, 5, 6], [1, 2, 3]])
    expect(m().flip(1).toArray()).toEqual([[3, 2, 1], [6, 5, 4]])
    expect(m().flip(-1).toArray()).toEqual([[3, 2, 1], [6, 5, 4]])
    expect(m().flip(0, 1).toArray()).toEqual([[6, 5, 4], [3, 2, 1]])
    expect(flip(m(), [-1, 0]).toArray()).toEqual([[6, 5, 4], [3, 2, 1]])
    expect(flip(m(), 0).toArray()).toEqual([[4, 5, 6], [1, 2, 3]])
    expect(m().flip([]).toArray()).toEqual([[1, 2, 3], [4, 5, 6]])
  })

  it('dims 0 and 2 of a [2, 3, 4]: y[i][j][k] = x[1 − i][j][3 − k]', () => {
    const x = arange(24, undefined, 1, { dtype: 'float64' }).reshape(2, 3, 4) // x[i][j][k] = 12i + 4j + k
    const want = [0, 1].map((i) => [0, 1, 2].map((j) => [0, 1, 2, 3].map((k) => 12 * (1 - i) + 4 * j + (3 - k))))
    expect(x.flip(0, 2).toArray()).toEqual(want)
    expect(x.flip([2, -3]).toArray()).toEqual(want)
  })

  it('int32, bool, a 0-d tensor and size-1 dims', () => {
    const i = tensor([1, 2, 3], { dtype: 'int32' }).flip(0)
    expect(i.dtype).toBe('int32')
    expect(i.toArray()).toEqual([3, 2, 1])
    expect(tensor([true, false, false]).flip(0).toArray()).toEqual([0, 0, 1])
    expect(tensor(5).flip(0).item()).toBe(5)
    expect(tensor([[1, 2, 3]]).flip(0, 1).toArray()).toEqual([[3, 2, 1]])
  })

  it('the gradient is the gradient flipped back', () => {
    const x = leaf(tensor([1, 2, 3], { dtype: 'float64' }))
    x.flip(0).mul(tensor([10, 20, 30], { dtype: 'float64' })).sum().backward()
    expect(x.grad!.toArray()).toEqual([30, 20, 10])
    expect(x.flip(0).gradFn!.name).toBe('FlipBackward0')
  })

  it('float64 gradcheck', () => {
    const x = leaf(randn([2, 3, 4], { dtype: 'float64' }))
    expect(gradcheck((v) => v.flip(0, 2).mul(v), [x])).toBe(true)
  })

  it('errors name the op, the dims and the shape', () => {
    expectError(() => m().flip(2), 'flip: dim 2 is out of range', '[2, 3]')
    expectError(() => m().flip(0, 0), 'flip', 'more than once')
    expectError(() => m().flip(-1, 1), 'flip', 'more than once')
  })
})
