import { describe, expect, it } from 'vitest'
import { tensor, Tensor, zeros } from '../../src/index.js'

describe('tensor properties', () => {
  const t = tensor(
    [
      [1, 2, 3],
      [4, 5, 6],
    ],
    { dtype: 'float64' },
  )

  it('shape, dtype, ndim, numel', () => {
    expect(t.shape).toEqual([2, 3])
    expect(t.dtype).toBe('float64')
    expect(t.ndim).toBe(2)
    expect(t.numel()).toBe(6)
  })

  it('shape is frozen', () => {
    expect(Object.isFrozen(t.shape)).toBe(true)
  })

  it('shape is a frozen copy of the array given, shared with tensors of the same shape', () => {
    const dims = [2, 3]
    const a = new Tensor(new Float32Array(6), dims)
    dims[0] = 1
    expect(a.shape).toEqual([2, 3])
    expect(new Tensor(new Float32Array(3), dims).shape).toEqual([1, 3])
    expect(new Tensor(new Float32Array(6), [2, 3]).shape).toBe(a.shape)
    expect(new Tensor(new Float32Array(6), [6]).shape).toEqual([6])
    expect(new Tensor(new Float32Array(1), []).shape).toEqual([])
  })

  it('data is the flat row-major typed array', () => {
    expect(t.data).toBeInstanceOf(Float64Array)
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6])
  })

  it('item of a one-element tensor of any rank', () => {
    expect(tensor([[7.5]]).item()).toBe(7.5)
    expect(tensor(3, { dtype: 'int32' }).item()).toBe(3)
  })

  it('toArray nests like the shape', () => {
    expect(t.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ])
    expect(zeros([2, 0]).toArray()).toEqual([[], []])
  })

  it('new Tensor(typedArray, shape) checks the element count', () => {
    expect(new Tensor(new Float32Array(6), [2, 3]).shape).toEqual([2, 3])
    expect(() => new Tensor(new Float32Array(5), [2, 3])).toThrow(/Tensor: 5 elements cannot have shape \[2, 3\]/)
  })
})

describe('grad, requiresGrad, gradFn, isLeaf', () => {
  it('a new tensor is a leaf without grad', () => {
    const x = tensor([1, 2])
    expect(x.requiresGrad).toBe(false)
    expect(x.isLeaf).toBe(true)
    expect(x.gradFn).toBeNull()
    expect(x.grad).toBeNull()
  })

  it('an op on a tensor that requires grad records its gradFn; the result is not a leaf', () => {
    const x = tensor([1, 2], { requiresGrad: true })
    const y = x.relu()
    expect(y.requiresGrad).toBe(true)
    expect(y.isLeaf).toBe(false)
    expect(y.gradFn!.name).toBe('ReluBackward0')
    expect(String(y.gradFn)).toBe('<ReluBackward0>')
  })

  it('an op on tensors that do not require grad records nothing', () => {
    const y = tensor([1, 2]).mul(tensor([3, 4]))
    expect(y.requiresGrad).toBe(false)
    expect(y.gradFn).toBeNull()
    expect(y.isLeaf).toBe(true)
  })

  it('requiresGrad can be set on a leaf, not on a non-leaf', () => {
    const x = tensor([1, 2])
    x.requiresGrad = true
    expect(x.requiresGrad).toBe(true)
    x.requiresGrad = false
    expect(x.requiresGrad).toBe(false)
    const y = tensor([1], { requiresGrad: true }).mul(2)
    expect(() => (y.requiresGrad = false)).toThrow(/requiresGrad: can only be set on leaf tensors; use \.detach\(\)/)
  })

  it('int32 tensors cannot require grad', () => {
    expect(() => tensor([1], { dtype: 'int32', requiresGrad: true })).toThrow(/requiresGrad: only floating point tensors can require gradients, this one is int32/)
  })

  it('grad holds the gradient after backward, with the leaf\'s shape and dtype', () => {
    const x = tensor([[1, 2, 3]], { dtype: 'float64', requiresGrad: true })
    x.mul(x).sum().backward()
    expect(x.grad!.shape).toEqual([1, 3])
    expect(x.grad!.dtype).toBe('float64')
    expect(x.grad!.toArray()).toEqual([[2, 4, 6]]) // d/dx Σx² = 2x
    expect(x.grad!.requiresGrad).toBe(false)
  })
})

describe('detach and clone', () => {
  it('detach is a new leaf sharing the data, without grad', () => {
    const x = tensor([1, 2], { requiresGrad: true })
    const y = x.mul(3)
    const d = y.detach()
    expect(d.isLeaf).toBe(true)
    expect(d.requiresGrad).toBe(false)
    expect(d.gradFn).toBeNull()
    expect(Array.from(d.data)).toEqual([3, 6])
    // Shares the storage, as in PyTorch.
    ;(y.data as Float32Array)[0] = 100
    expect(d.data[0]).toBe(100)
  })

  it('clone copies the data and passes the gradient through', () => {
    const x = tensor([1, 2], { requiresGrad: true })
    const c = x.clone()
    expect(c.gradFn!.name).toBe('CloneBackward0')
    ;(c.data as Float32Array)[0] = 100
    expect(x.data[0]).toBe(1)
    c.mul(tensor([5, 7])).sum().backward()
    expect(Array.from(x.grad!.data)).toEqual([5, 7])
  })

  it('clone of a tensor without grad is a plain copy', () => {
    const c = tensor([1, 2]).clone()
    expect(c.requiresGrad).toBe(false)
    expect(c.gradFn).toBeNull()
  })

  it('to(dtype) converts, and the gradient comes back in the source dtype', () => {
    const x = tensor([1.5, 2.5], { requiresGrad: true })
    const y = x.to('float64')
    expect(y.dtype).toBe('float64')
    expect(y.gradFn!.name).toBe('ToCopyBackward0')
    y.mul(tensor([2, 3], { dtype: 'float64' })).sum().backward()
    expect(x.grad!.dtype).toBe('float32')
    expect(Array.from(x.grad!.data)).toEqual([2, 3])
    expect(x.double().dtype).toBe('float64')
    expect(y.float().dtype).toBe('float32')
    expect(Array.from(x.to('int32').data)).toEqual([1, 2])
  })
})
