import { describe, expect, it } from 'vitest'
import { bmm, clip, flip, mm, randn, t, tensor, tril, triu, type Tensor } from '../../src/index.js'

/** tril, triu, flip, sort, argsort, topk, t, mm, bmm and clip: PyTorch's gradFn names, and exported to ONNX Runtime. */

const leaf = (shape: number[]): Tensor => {
  const x = randn(shape)
  x.requiresGrad = true
  return x
}

describe('the new ops under PyTorch\'s gradFn names', () => {
  it('SortBackward0, TopkBackward0, TBackward0, TrilBackward0, TriuBackward0, FlipBackward0, MmBackward0, BmmBackward0, ClampBackward1', () => {
    const x = leaf([3, 4])
    expect(x.sort().values.gradFn?.name).toBe('SortBackward0')
    expect(x.sort(0, { descending: true }).values.gradFn?.name).toBe('SortBackward0')
    expect(x.topk(2).values.gradFn?.name).toBe('TopkBackward0')
    expect(x.t().gradFn?.name).toBe('TBackward0')
    expect(t(leaf([4])).gradFn?.name).toBe('TBackward0')
    expect(tril(x).gradFn?.name).toBe('TrilBackward0')
    expect(triu(x, 1).gradFn?.name).toBe('TriuBackward0')
    expect(flip(x, 0).gradFn?.name).toBe('FlipBackward0')
    expect(mm(x, x.t()).gradFn?.name).toBe('MmBackward0')
    expect(bmm(leaf([2, 3, 4]), leaf([2, 4, 5])).gradFn?.name).toBe('BmmBackward0')
    expect(clip(x, -0.5, 0.5).gradFn?.name).toBe('ClampBackward1')
    expect(x.transpose(0, 1).gradFn?.name).toBe('TransposeBackward0')
  })

  it('sort\'s and topk\'s values still send the gradient back to the picked positions', () => {
    const x = tensor([[3, 1, 2], [0, 5, 4]])
    x.requiresGrad = true
    x.topk(2).values.mul(tensor([[1, 10], [100, 1000]])).sum().backward()
    expect(x.grad!.toArray()).toEqual([[1, 0, 10], [0, 100, 1000]])
    x.grad = null
    x.sort(0, { descending: true }).values.mul(tensor([[1, 2, 3], [4, 5, 6]])).sum().backward()
    expect(x.grad!.toArray()).toEqual([[1, 5, 6], [4, 2, 3]])
  })
})
