import { describe, expect, it } from 'vitest'
import { F, grad, isGradEnabled, noGrad, permute, sub, tensor, Tensor } from '../../src/index.js'

const x = () => tensor([[0.5, -1, 2]], { requiresGrad: true })
const x64 = () => tensor([[0.5, -1, 2]], { dtype: 'float64', requiresGrad: true })
const m = () => tensor([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]], { requiresGrad: true })

/** gradFn names as PyTorch 2.x prints them. */
describe('gradFn names match PyTorch', () => {
  const cases: [string, () => Tensor][] = [
    ['ReluBackward0', () => x().relu()],
    ['SigmoidBackward0', () => x().sigmoid()],
    ['TanhBackward0', () => x().tanh()],
    ['ExpBackward0', () => x().exp()],
    ['LogBackward0', () => x().log()],
    ['NegBackward0', () => x().neg()],
    ['AbsBackward0', () => x().abs()],
    ['SqrtBackward0', () => x().sqrt()],
    ['PowBackward0', () => x().pow(2)],
    ['ClampBackward1', () => x().clamp(0, 1)],
    ['AddBackward0', () => x().add(x())],
    ['AddBackward0', () => x().add(1)],
    ['SubBackward0', () => x().sub(x())],
    ['SubBackward0', () => x().sub(1)],
    ['RsubBackward1', () => sub(1, x())],
    ['MulBackward0', () => x().mul(2)],
    ['DivBackward0', () => x().div(x())],
    ['MaximumBackward0', () => x().maximum(x())],
    ['MmBackward0', () => x().matmul(m())],
    ['MvBackward0', () => m().T.matmul(tensor([1, 2, 3]))],
    ['DotBackward0', () => tensor([1, 2], { requiresGrad: true }).matmul(tensor([3, 4]))],
    ['SumBackward0', () => x().sum()],
    ['SumBackward1', () => x().sum(1)],
    ['MeanBackward0', () => x().mean()],
    ['MeanBackward1', () => x().mean(0, true)],
    ['SoftmaxBackward0', () => x().softmax(1)],
    ['LogSoftmaxBackward0', () => x().logSoftmax(-1)],
    ['ViewBackward0', () => x().reshape(3)],
    ['ViewBackward0', () => x().view(3, 1)],
    ['TransposeBackward0', () => x().transpose(0, 1)],
    ['PermuteBackward0', () => permute(x(), [1, 0])],
    ['PermuteBackward0', () => x().T],
    ['UnsqueezeBackward0', () => x().unsqueeze(0)],
    ['SqueezeBackward0', () => x().squeeze()],
    ['SqueezeBackward1', () => x().squeeze(0)],
    ['CloneBackward0', () => x().clone()],
    ['ToCopyBackward0', () => x().double()],
    ['AddmmBackward0', () => F.linear(x(), m().T, tensor([1, 2]))],
    ['MmBackward0', () => F.linear(x(), m().T)],
    ['BinaryCrossEntropyBackward0', () => F.binaryCrossEntropy(x().sigmoid(), tensor([[0, 1, 1]]))],
    ['BinaryCrossEntropyWithLogitsBackward0', () => F.binaryCrossEntropyWithLogits(x(), tensor([[0, 1, 1]]))],
    ['MseLossBackward0', () => F.mseLoss(x(), tensor([[0, 1, 1]]))],
  ]
  it.each(cases)('%s', (name, make) => expect(make().gradFn!.name).toBe(name))
})

describe('noGrad', () => {
  it("returns fn()'s result", () => {
    expect(noGrad(() => 42)).toBe(42)
  })

  it('records nothing inside, and turns recording back on after', () => {
    const a = x()
    const y = noGrad(() => {
      expect(isGradEnabled()).toBe(false)
      return a.mul(2).relu()
    })
    expect(y.requiresGrad).toBe(false)
    expect(y.gradFn).toBeNull()
    expect(Array.from(y.data)).toEqual([1, 0, 4])
    expect(isGradEnabled()).toBe(true)
    expect(a.mul(2).gradFn!.name).toBe('MulBackward0')
  })

  it('turns recording back on when fn throws', () => {
    expect(() =>
      noGrad(() => {
        throw new Error('boom')
      }),
    ).toThrow('boom')
    expect(isGradEnabled()).toBe(true)
  })

  it('nests', () => {
    noGrad(() => noGrad(() => 0))
    expect(isGradEnabled()).toBe(true)
  })
})

describe('backward', () => {
  it('gradients accumulate across two backward() calls, like PyTorch', () => {
    const a = x64()
    a.mul(3).sum().backward()
    expect(a.grad!.toArray()).toEqual([[3, 3, 3]])
    a.mul(a).sum().backward() // + 2a
    expect(a.grad!.toArray()).toEqual([[4, 1, 7]])
  })

  it('grad() with a function or a non-tensor input is a named error (a raw "output.numel is not a function" before)', () => {
    const x = tensor([3], { requiresGrad: true })
    expect(() => grad(((t: Tensor) => t) as never, [x])).toThrow(/^grad: the output must be a Tensor .* got function/)
    expect(() => grad(x.mul(x).sum(), [5 as never])).toThrow(/^grad: inputs\[0\] must be a Tensor .* got number/)
  })

  it('backward() twice through the same graph throws, naming retainGraph', () => {
    const a = x64()
    const loss = a.exp().sum()
    loss.backward()
    expect(() => loss.backward()).toThrow(/backward: trying to backward through the graph a second time \(through SumBackward0\).*retainGraph: true/)
  })

  it('with { retainGraph: true } the graph can be walked again, and gradients add', () => {
    const a = x64()
    const loss = a.mul(a).sum()
    loss.backward(undefined, { retainGraph: true })
    loss.backward()
    expect(a.grad!.toArray()).toEqual([[2, -4, 8]]) // 2 · 2a
  })

  it('a diamond (x used twice) sums the gradients of both paths', () => {
    const a = tensor([2, 3], { dtype: 'float64', requiresGrad: true })
    // f = Σ (x² + 3x): both branches read x; df/dx = 2x + 3.
    const sq = a.mul(a)
    const lin = a.mul(3)
    sq.add(lin).sum().backward()
    expect(Array.from(a.grad!.data)).toEqual([7, 9])
  })

  it('a deeper diamond: an intermediate used twice', () => {
    const a = tensor([0.5], { dtype: 'float64', requiresGrad: true })
    const h = a.exp()
    // f = h·h + h = e^{2a} + e^a, df/da = 2e^{2a} + e^a
    h.mul(h).add(h).sum().backward()
    expect(a.grad!.data[0]).toBeCloseTo(2 * Math.exp(1) + Math.exp(0.5), 14)
  })

  it('a non-scalar output takes the gradient of the vector-Jacobian product', () => {
    const a = tensor([1, 2, 3], { dtype: 'float64', requiresGrad: true })
    a.mul(a).backward(tensor([1, 10, 100], { dtype: 'float64' }))
    expect(Array.from(a.grad!.data)).toEqual([2, 40, 600])
  })

  it('the gradient must have the output shape', () => {
    const a = tensor([1, 2, 3], { requiresGrad: true })
    expect(() => a.mul(2).backward(tensor([1, 2]))).toThrow(/backward: gradient has shape \[2\] but the tensor has shape \[3\]/)
  })

  it('only leaves get .grad; inputs that do not require grad get none', () => {
    const a = x64()
    const c = tensor([[1, 1, 1]], { dtype: 'float64' })
    const h = a.mul(c)
    h.sum().backward()
    expect(h.grad).toBeNull()
    expect(c.grad).toBeNull()
    expect(a.grad!.toArray()).toEqual([[1, 1, 1]])
  })

  it('a chain of 20 000 ops does not overflow the stack', () => {
    const a = tensor([1], { dtype: 'float64', requiresGrad: true })
    let h = a
    for (let i = 0; i < 20000; i++) h = h.mul(1)
    h.sum().backward()
    expect(a.grad!.item()).toBe(1)
  })

  it('a gradient of another dtype is converted to the output dtype', () => {
    const a = tensor([1, 2], { dtype: 'float64', requiresGrad: true })
    a.mul(3).backward(tensor([1, 2]))
    expect(a.grad!.dtype).toBe('float64')
    expect(Array.from(a.grad!.data)).toEqual([3, 6])
  })

  it('backward on a leaf itself', () => {
    const a = tensor(2, { requiresGrad: true })
    a.backward()
    expect(a.grad!.item()).toBe(1)
  })

  it('float32 leaves promoted into a float64 op get float32 gradients', () => {
    const a = tensor([1, 2], { requiresGrad: true })
    a.mul(tensor([3, 4], { dtype: 'float64' })).sum().backward()
    expect(a.grad!.dtype).toBe('float32')
    expect(Array.from(a.grad!.data)).toEqual([3, 4])
  })

  it('broadcast operands get gradients summed back to their shape', () => {
    const a = tensor([[1], [2]], { dtype: 'float64', requiresGrad: true }) // [2, 1]
    const b = tensor([10, 20, 30], { dtype: 'float64', requiresGrad: true }) // [3]
    a.mul(b).sum().backward()
    expect(a.grad!.toArray()).toEqual([[60], [60]]) // Σ_j b_j
    expect(b.grad!.toArray()).toEqual([3, 3, 3]) // Σ_i a_i
  })

  it('sub(number, tensor) has gradient −1', () => {
    const a = tensor([1, 2], { requiresGrad: true })
    sub(5, a).sum().backward()
    expect(Array.from(a.grad!.data)).toEqual([-1, -1])
  })

  it('the gradients of kinks follow PyTorch: relu′(0) = 0, abs′(0) = 0, clamp is inclusive, maximum ties split', () => {
    const r = tensor([-1, 0, 1], { requiresGrad: true })
    r.relu().sum().backward()
    expect(Array.from(r.grad!.data)).toEqual([0, 0, 1])
    const a = tensor([-1, 0, 1], { requiresGrad: true })
    a.abs().sum().backward()
    expect(Array.from(a.grad!.data)).toEqual([-1, 0, 1])
    const c = tensor([-1, 0, 0.5, 1, 2], { requiresGrad: true })
    c.clamp(0, 1).sum().backward()
    expect(Array.from(c.grad!.data)).toEqual([0, 1, 1, 1, 0])
    const p = tensor([1, 2, 3], { requiresGrad: true })
    const q = tensor([1, 5, 0], { requiresGrad: true })
    p.maximum(q).sum().backward()
    expect(Array.from(p.grad!.data)).toEqual([0.5, 0, 1])
    expect(Array.from(q.grad!.data)).toEqual([0.5, 1, 0])
  })
})
