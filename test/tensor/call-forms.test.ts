import { describe, expect, it } from 'vitest'
import { add, grad, sub, tensor } from '../../src/index.js'

/** Issue 11 §2.2, §2.3, §2.7: PyTorch's call forms of add/sub (alpha), grad() and backward(). */
describe('add and sub take alpha in options (§2.2)', () => {
  it('a.add(b, { alpha: 10 }) is a + 10·b, a.sub(b, { alpha: 10 }) is a − 10·b, with gradients', () => {
    const a = tensor([1, 2], { requiresGrad: true })
    const b = tensor([1, 3], { requiresGrad: true })
    expect(Array.from(a.add(b, { alpha: 10 }).data)).toEqual([11, 32])
    expect(Array.from(a.sub(b, { alpha: 10 }).data)).toEqual([-9, -28])
    expect(Array.from(add(a, 2, { alpha: 3 }).data)).toEqual([7, 8])
    sub(a, b, { alpha: 2 }).sum().backward()
    expect(Array.from(a.grad!.data)).toEqual([1, 1])
    expect(Array.from(b.grad!.data)).toEqual([-2, -2])
  })

  it('a stray positional argument or an unknown option is an error, not ignored', () => {
    const one = tensor([1])
    expect(() => (one.add as (b: unknown, c: unknown) => unknown)(tensor([1]), 10)).toThrow(/add: the argument after the operand is an options object like \{ alpha: 2 \}/)
    expect(() => one.sub(tensor([1]), { alhpa: 2 } as never)).toThrow("sub: unknown option 'alhpa'; known options are alpha")
  })
})

describe('grad() (§2.3)', () => {
  it('a scalar output takes a gradient of ones; a single input tensor is accepted', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true })
    const [g] = grad(x.mul(x).sum(), [x])
    expect(Array.from(g!.data)).toEqual([2, 4, 6])
    const [g2] = grad(x.mul(x).sum(), x)
    expect(Array.from(g2!.data)).toEqual([2, 4, 6])
    const [g3] = grad(x.mul(x).sum(), x, 0.5)
    expect(Array.from(g3!.data)).toEqual([1, 2, 3])
  })

  it('a non-scalar output without a gradient is a clear error', () => {
    const x = tensor([1, 2], { requiresGrad: true })
    expect(() => grad(x.mul(2), x)).toThrow('grad: grad can be implicitly created only for scalar outputs, but this tensor has shape [2]')
  })
})

describe('backward() call forms (§2.7)', () => {
  const setup = () => {
    const x = tensor([1, 2], { requiresGrad: true })
    return { x, y: x.mul(x).sum() }
  }

  it('backward({ retainGraph: true }) keeps the graph for a second backward', () => {
    const { x, y } = setup()
    y.backward({ retainGraph: true })
    y.backward()
    expect(Array.from(x.grad!.data)).toEqual([4, 8])
  })

  it('backward(number) scales the gradient of a scalar; backward(gradient, { retainGraph })', () => {
    const { x, y } = setup()
    y.backward(1, { retainGraph: true })
    expect(Array.from(x.grad!.data)).toEqual([2, 4])
    y.backward(tensor(3))
    expect(Array.from(x.grad!.data)).toEqual([8, 16])
    const z = x.mul(3)
    z.backward(tensor([1, 1]))
    expect(Array.from(x.grad!.data)).toEqual([11, 19])
  })

  it('a number for a non-scalar, or an unknown option, is a clear error', () => {
    const x = tensor([1, 2], { requiresGrad: true })
    expect(() => x.mul(2).backward(1)).toThrow('backward: grad can be implicitly created only for scalar outputs, but this tensor has shape [2]')
    expect(() => x.sum().backward({ retain_graph: true } as never)).toThrow("backward: unknown option 'retain_graph'; did you mean retainGraph?")
  })
})
