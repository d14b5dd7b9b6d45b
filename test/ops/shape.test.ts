import { describe, expect, it } from 'vitest'
import { arange, permute, tensor } from '../../src/index.js'

/** Shape ops and reductions on x = arange(24).reshape(2, 3, 4): x[i][j][k] = 12i + 4j + k. */
const x = () => arange(24, undefined, 1, { dtype: 'float64' }).reshape(2, 3, 4)
const v = (t: { data: ArrayLike<number> }) => Array.from(t.data)

describe('shape ops', () => {
  it('reshape with -1', () => {
    expect(x().reshape(4, -1).shape).toEqual([4, 6])
    expect(x().reshape([-1]).shape).toEqual([24])
    expect(v(x().reshape(6, 4))).toEqual(v(x()))
  })

  it('transpose(0, 2): y[k][j][i] = 12i + 4j + k', () => {
    const y = x().transpose(0, 2)
    expect(y.shape).toEqual([4, 3, 2])
    expect(y.toArray()).toEqual([0, 1, 2, 3].map((k) => [0, 1, 2].map((j) => [0, 1].map((i) => 12 * i + 4 * j + k))))
  })

  it('permute([2, 0, 1]): y[k][i][j]', () => {
    const y = permute(x(), [2, 0, 1])
    expect(y.shape).toEqual([4, 2, 3])
    expect(y.toArray()).toEqual([0, 1, 2, 3].map((k) => [0, 1].map((i) => [0, 1, 2].map((j) => 12 * i + 4 * j + k))))
  })

  it('T reverses the dims', () => {
    expect(x().T.shape).toEqual([4, 3, 2])
    expect(v(x().T)).toEqual(v(permute(x(), [2, 1, 0])))
    expect(tensor([[1, 2, 3]]).T.toArray()).toEqual([[1], [2], [3]])
  })

  it('unsqueeze and squeeze', () => {
    expect(x().unsqueeze(0).shape).toEqual([1, 2, 3, 4])
    expect(x().unsqueeze(-1).shape).toEqual([2, 3, 4, 1])
    expect(x().unsqueeze(2).shape).toEqual([2, 3, 1, 4])
    const s = tensor([[[1], [2]]]) // [1, 2, 1]
    expect(s.squeeze().shape).toEqual([2])
    expect(s.squeeze(0).shape).toEqual([2, 1])
    expect(s.squeeze(-1).shape).toEqual([1, 2])
    expect(s.squeeze(1).shape).toEqual([1, 2, 1]) // not size 1: left alone, as in PyTorch
    // A list of dims, as torch.squeeze(s, dim=(0, 2)) (PyTorch 2): each listed size-1 dim goes.
    expect(s.squeeze([0, -1]).shape).toEqual([2])
    expect(s.squeeze([0, 1]).shape).toEqual([2, 1])
  })
})

describe('reductions', () => {
  it('sum all: Σ 0..23 = 276', () => expect(x().sum().item()).toBe(276))
  it('mean all', () => expect(x().mean().item()).toBe(11.5))
  it('sum dim 0: 12·1 + 2·(4j + k)', () => {
    const y = x().sum(0)
    expect(y.shape).toEqual([3, 4])
    expect(y.toArray()).toEqual([0, 1, 2].map((j) => [0, 1, 2, 3].map((k) => 12 + 2 * (4 * j + k))))
  })
  it('sum dim 1: 3·(12i + k) + 4·3', () => {
    expect(x().sum(1).toArray()).toEqual([0, 1].map((i) => [0, 1, 2, 3].map((k) => 3 * (12 * i + k) + 12)))
  })
  it('sum dim -1 keepdim: 4·(12i + 4j) + 6', () => {
    const y = x().sum(-1, true)
    expect(y.shape).toEqual([2, 3, 1])
    expect(y.toArray()).toEqual([0, 1].map((i) => [0, 1, 2].map((j) => [4 * (12 * i + 4 * j) + 6])))
  })
  it('mean dim 1 keepdim: 12i + 4 + k', () => {
    const y = x().mean(1, true)
    expect(y.shape).toEqual([2, 1, 4])
    expect(y.toArray()).toEqual([0, 1].map((i) => [[0, 1, 2, 3].map((k) => 12 * i + 4 + k)]))
  })
  it('softmax rows sum to 1 along the dim', () => {
    const s = x().div(10).softmax(1)
    const sums = s.sum(1)
    v(sums).forEach((t) => expect(t).toBeCloseTo(1, 14))
  })
})
