import { describe, expect, it } from 'vitest'
import { bmm, clip, gradcheck, mm, randn, t, tensor, Tensor } from '../../src/index.js'
import { expectError } from '../expect-error.js'

/** t, mm, bmm and clip with values worked out by hand, their gradients, and PyTorch's errors. */
const leaf = (x: Tensor): Tensor => {
  x.requiresGrad = true
  return x
}
const a23 = () => tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64' })

describe('t', () => {
  it('transposes a matrix; a 1-D or 0-D tensor comes back as it is', () => {
    expect(a23().t().toArray()).toEqual([[1, 4], [2, 5], [3, 6]])
    expect(t(a23()).shape).toEqual([3, 2])
    expect(tensor([1, 2, 3]).t().toArray()).toEqual([1, 2, 3])
    expect(tensor(7).t().item()).toBe(7)
  })

  it('records TBackward0 on a 2-, 1- and 0-D tensor, as PyTorch (torch.tensor(7., requires_grad=True).t().grad_fn: TBackward0); the 0-D gradient is 1', () => {
    for (const x of [leaf(a23()), leaf(tensor([1, 2])), leaf(tensor(7, { dtype: 'float64' }))]) expect(x.t().gradFn?.name).toBe('TBackward0')
    const s = leaf(tensor(7, { dtype: 'float64' }))
    s.t().mul(3).backward()
    expect(s.grad!.item()).toBe(3)
  })

  it('gradcheck, and PyTorch\'s error for more than 2 dims, naming mT and permute', () => {
    expect(gradcheck((v) => v.t().mul(tensor([[1, 2], [3, 4], [5, 6]], { dtype: 'float64' })), [leaf(a23())])).toBe(true)
    expectError(() => randn([2, 3, 4]).t(), 't: expects a tensor with <= 2 dimensions', '[2, 3, 4]', '3-D', 'mT', 'transpose(-2, -1)', 'permute')
  })
})

describe('mm', () => {
  it('[2, 3] · [3, 2]', () => {
    const b = tensor([[1, 0], [0, 1], [2, -1]], { dtype: 'float64' })
    expect(mm(a23(), b).toArray()).toEqual([[7, -1], [16, -1]])
    expect(a23().mm(b).toArray()).toEqual([[7, -1], [16, -1]])
  })

  it('float64 gradcheck of both operands', () => {
    expect(gradcheck((x, y) => x.mm(y), [leaf(randn([2, 3], { dtype: 'float64' })), leaf(randn([3, 4], { dtype: 'float64' }))])).toBe(true)
  })

  it("PyTorch's errors: not matrices, sizes that do not match", () => {
    expectError(() => mm(tensor([1, 2, 3]), randn([3, 2])), 'mm: self must be a matrix', '[3]', 'matmul')
    expectError(() => mm(randn([2, 3]), tensor([1, 2, 3])), 'mm: mat2 must be a matrix', '[2, 3] and [3]')
    expectError(() => mm(randn([2, 2, 3]), randn([3, 2])), 'mm: self must be a matrix', '[2, 2, 3]')
    expectError(() => mm(randn([2, 3]), randn([4, 5])), 'mm: mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)')
  })
})

describe('bmm', () => {
  it('[2, 1, 2] · [2, 2, 1]: one product per batch entry', () => {
    const x = tensor([[[1, 2]], [[3, 4]]])
    const y = tensor([[[5], [6]], [[7], [8]]])
    expect(bmm(x, y).toArray()).toEqual([[[17]], [[53]]])
    expect(x.bmm(y).shape).toEqual([2, 1, 1])
  })

  it('float64 gradcheck of both operands', () => {
    expect(gradcheck((x, y) => bmm(x, y), [leaf(randn([2, 2, 3], { dtype: 'float64' })), leaf(randn([2, 3, 2], { dtype: 'float64' }))])).toBe(true)
  })

  it("PyTorch's errors: not 3-D, batch or inner sizes that differ (no broadcasting)", () => {
    expectError(() => bmm(randn([2, 3]), randn([2, 3, 4])), 'bmm: batch1 must be a 3D tensor', '[2, 3]', 'matmul')
    expectError(() => bmm(randn([2, 2, 3]), randn([3, 4])), 'bmm: batch2 must be a 3D tensor')
    expectError(() => bmm(randn([2, 2, 3]), randn([3, 3, 4])), 'bmm: expected size for first two dimensions of batch2 tensor to be: [2, 3] but got: [3, 3]')
    expectError(() => bmm(randn([2, 2, 3]), randn([1, 3, 4])), 'to be: [2, 3] but got: [1, 3]')
    expectError(() => bmm(randn([2, 2, 3]), randn([2, 4, 4])), 'to be: [2, 3] but got: [2, 4]')
  })
})

describe('clip', () => {
  it('is clamp: either bound may be null; gradient 1 inside, 0 outside', () => {
    expect(tensor([-2, -0.5, 0, 0.5, 2]).clip(-1, 1).toArray()).toEqual([-1, -0.5, 0, 0.5, 1])
    expect(clip(tensor([-2, 3]), null, 1).toArray()).toEqual([-2, 1])
    expect(clip(tensor([-2, 3]), 0).toArray()).toEqual([0, 3])
    const x = leaf(tensor([-2, 0.5, 3], { dtype: 'float64' }))
    x.clip(-1, 1).sum().backward()
    expect(x.grad!.toArray()).toEqual([0, 1, 0])
    expect(gradcheck((v) => v.clip(-0.5, 0.7), [leaf(tensor([-1, -0.2, 0.3, 0.9], { dtype: 'float64' }))])).toBe(true)
  })

  it('its errors name clip, the op the user called, not clamp', () => {
    expectError(() => clip(tensor([1, 2])), 'clip: at least one of min and max must be given')
    expectError(() => tensor([1, 2]).clip(null, null), 'clip: at least one of min and max must be given')
    expectError(() => clip(tensor([1, 2]), tensor([0]) as unknown as number), 'clip: min must be a number or null, got object (tensor of shape [2])')
  })
})
