import { describe, expect, it } from 'vitest'
import { F, tensor } from '../../src/index.js'

/** NaN and ±Infinity are values, as in PyTorch: they flow through ops and gradients, never throw. */
const v = (t: { data: ArrayLike<number> }) => Array.from(t.data)
const f64 = (data: any, requiresGrad = false) => tensor(data, { dtype: 'float64', requiresGrad })

describe('NaN and Infinity are values, not errors', () => {
  it('tensors hold them', () => {
    const t = tensor([NaN, Infinity, -Infinity])
    expect(v(t)).toEqual([NaN, Infinity, -Infinity])
    expect(tensor(NaN).item()).toBeNaN()
  })

  it('exp', () => expect(v(tensor([NaN, Infinity, -Infinity, 0]).exp())).toEqual([NaN, Infinity, 0, 1]))
  it('log of 0 and of a negative', () => expect(v(tensor([0, -1]).log())).toEqual([-Infinity, NaN]))
  it('sqrt of a negative', () => expect(v(tensor([-1]).sqrt())).toEqual([NaN]))
  it('division by zero', () => expect(v(tensor([1, -1, 0]).div(0))).toEqual([Infinity, -Infinity, NaN]))
  it('relu keeps NaN', () => expect(v(tensor([NaN, -Infinity, Infinity]).relu())).toEqual([NaN, 0, Infinity]))
  it('clamp with min > max sets every element to max, as PyTorch documents', () =>
    expect(v(tensor([-1, 0.5, 2, NaN]).clamp(1, 0))).toEqual([0, 0, 0, NaN]))
  it('clamp keeps NaN', () => expect(v(tensor([NaN, -Infinity, Infinity]).clamp(0, 1))).toEqual([NaN, 0, 1]))
  it('maximum propagates NaN from either side', () => expect(v(tensor([NaN, 1]).maximum(tensor([1, NaN])))).toEqual([NaN, NaN]))
  it('maximum passes the whole gradient to both operands where either is NaN (PyTorch\'s rule)', () => {
    const a = tensor([NaN, 1, 3], { requiresGrad: true })
    const b = tensor([1, NaN, 2], { requiresGrad: true })
    a.maximum(b).sum().backward()
    expect(v(a.grad!)).toEqual([1, 1, 1])
    expect(v(b.grad!)).toEqual([1, 1, 0])
  })
  it('sigmoid and tanh saturate', () => {
    expect(v(f64([-1000, 1000, -Infinity, Infinity]).sigmoid())).toEqual([0, 1, 0, 1])
    expect(v(f64([-Infinity, Infinity]).tanh())).toEqual([-1, 1])
  })
  it('sums', () => {
    expect(tensor([Infinity, 1]).sum().item()).toBe(Infinity)
    expect(tensor([Infinity, -Infinity]).sum().item()).toBeNaN()
    expect(tensor([NaN, 1]).mean().item()).toBeNaN()
  })
  it('softmax and logSoftmax of a −Infinity score', () => {
    expect(v(f64([-Infinity, 0]).softmax(0))).toEqual([0, 1])
    expect(v(f64([-Infinity, 0]).logSoftmax(0))).toEqual([-Infinity, 0])
  })
  it('softmax of large scores does not overflow (max-shifted)', () => {
    const s = v(f64([1000, 1000]).softmax(0))
    expect(s).toEqual([0.5, 0.5])
  })
  it('matmul with Infinity', () => expect(v(tensor([[Infinity, 1]]).matmul(tensor([[1], [1]])))).toEqual([Infinity]))

  it('gradients can be Infinity or NaN', () => {
    const a = f64([0, 4], true)
    a.sqrt().sum().backward() // 1 / (2√x)
    expect(v(a.grad!)).toEqual([Infinity, 0.25])
    const b = f64([NaN, 2], true)
    b.mul(b).sum().backward() // 2x
    expect(v(b.grad!)).toEqual([NaN, 4])
  })

  it("binaryCrossEntropy at 0 and 1 is finite: PyTorch clamps each log at −100", () => {
    // −(t·log x + (1 − t)·log(1 − x)) with log 0 → −100.
    const x = f64([0, 1, 0, 1], true)
    const t = f64([1, 0, 0, 1])
    const loss = F.binaryCrossEntropy(x, t, { reduction: 'none' })
    expect(v(loss).map((l) => l + 0)).toEqual([100, 100, 0, 0]) // + 0: the sign of a zero loss is not part of the contract
    // Its gradient (x − t) / max(x(1 − x), 1e−12), PyTorch's floor.
    loss.sum().backward()
    expect(v(x.grad!)).toEqual([-1e12, 1e12, 0, 0])
  })

  it('binaryCrossEntropyWithLogits is stable for huge logits', () => {
    // (1 − t)·x + log(1 + e^{−x}): for x = −1000, t = 1 this is 1000; for x = 1000, t = 1 it is 0.
    expect(v(F.binaryCrossEntropyWithLogits(f64([-1000, 1000]), f64([1, 1]), { reduction: 'none' }))).toEqual([1000, 0])
  })

  it('binaryCrossEntropy refuses NaN inputs, as PyTorch does', () => {
    expect(() => F.binaryCrossEntropy(tensor([NaN]), tensor([1]))).toThrow(/binaryCrossEntropy: all elements of input should be between 0 and 1, but element 0 is NaN/)
  })
})
