import { describe, expect, it } from 'vitest'
import { argsort, bmm, clip, flip, mm, randn, t, tensor, tril, triu, type Tensor } from '../../src/index.js'
import { exportOnnx } from '../../src/onnx.js'
import { opTypes } from './decode.js'
import { check, Fn } from './fn-model.js'

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

describe('exported to ONNX Runtime', () => {
  it('a causal score: q·kᵀ with t(), masked by tril and triu(1), softmax, mm by v (Trilu, Transpose, MatMul), the length T dynamic', async () => {
    const bytes = await check(
      (m, x) => {
        const q = m.lin.forward(x)
        const s = q.mm(x.t()).mul(0.5) // [T, T]
        const causal = s.tril().add(triu(s.mul(0).add(1), 1).mul(-1e4)) // −1e4 above the diagonal
        return [causal.softmax(-1).mm(x), s.tril(-1), s.triu(2)]
      },
      [randn([5, 4]), randn([7, 4])],
      true,
    )
    expect(opTypes(bytes).filter((op) => op === 'Trilu')).toHaveLength(4)
  })

  it('flip, topk values through a Linear, sort values, bmm and clip, with a dynamic batch run at two sizes', async () => {
    await check(
      (m, x) => {
        const top = m.lin.forward(x.topk(4, -1).values) // [B, 4]
        const low = x.topk(2, 1, { largest: false }).values // [B, 2]
        const b = x.reshape([-1, 2, 3])
        const prod = bmm(b, b.transpose(1, 2)).clip(-1, 1) // [B, 2, 2]
        const sorted = x.sort(0).values.add(x.sort({ descending: true }).values) // along the batch and the last dim
        return [top.add(flip(top, [0, 1])), low.flip(-1), prod, sorted]
      },
      [randn([3, 6]), randn([5, 6])],
      true,
    )
  })

  it('the indices of sort, argsort and topk as int32 outputs, one TopK for sort\'s values and indices; bool sorts too', async () => {
    const ties = tensor([[2, 1, 2, 1, 2], [0, 3, 3, 0, -1]])
    const bytes = await check(
      (_, x) => {
        const s = x.sort({ descending: true })
        return [s.values, s.indices, argsort(x, 0), x.topk(3).indices, x.topk(2, { largest: false }).indices]
      },
      [ties, randn([2, 5])],
    )
    expect(opTypes(bytes).filter((op) => op === 'TopK')).toHaveLength(4)
    await check((_, x) => [x.sort().values, x.sort({ descending: true }).indices], [ties.gt(1)])
  })

  it('refusals: an opset below Trilu\'s 14 (as every opset below 17), the sort of a 0-d tensor (TopK needs a dim)', () => {
    expect(() => exportOnnx(new Fn((_, x) => [x.tril()]), randn([3, 3]), { opset: 13 })).toThrow(/exportOnnx: opset must be an integer from 17 to 21, got 13/)
    expect(() => exportOnnx(new Fn((_, x) => [x.sum().sort().values]), randn([3]))).toThrow(
      /exportOnnx: SortBackward0 in the model's own forward: ONNX TopK needs at least 1 dim; reshape the 0-d tensor to \[1\] first/,
    )
  })
})
