import { describe, expect, it } from 'vitest'
import { noGrad, tensor, type Tensor } from '../../src/index.js'
import { GradientTape, valueAndGrads } from '../../src/keras.js'
import { expectClose } from './helpers.js'

const f64 = { dtype: 'float64' as const }
const f = (w: Tensor, b: Tensor, x: Tensor): Tensor => x.matmul(w).add(b).tanh().mul(x.matmul(w)).sum()

/** The same gradients from backward(), for comparison. */
function viaBackward(): Tensor[] {
  const w = tensor([[0.5, -1], [2, 0.25]], { ...f64, requiresGrad: true })
  const b = tensor([0.1, -0.2], { ...f64, requiresGrad: true })
  const x = tensor([[1, 2], [-1, 0.5], [0.3, 0.3]], { ...f64, requiresGrad: true })
  f(w, b, x).backward()
  return [w.grad!, b.grad!, x.grad!]
}

describe('valueAndGrads (TensorFlow.js)', () => {
  it("gives f's value and the gradient for every argument, equal to backward()'s", () => {
    const w = tensor([[0.5, -1], [2, 0.25]], f64)
    const b = tensor([0.1, -0.2], f64)
    const x = tensor([[1, 2], [-1, 0.5], [0.3, 0.3]], f64)
    const { value, grads } = valueAndGrads(f)([w, b, x])
    expect(value.item()).toBeCloseTo(noGrad(() => f(w, b, x)).item(), 14)
    expect(value.requiresGrad).toBe(false)
    viaBackward().forEach((g, i) => expectClose(grads[i], g.toArray() as number[][], 1e-14))
    // The caller's tensors are untouched: no requiresGrad, no .grad.
    expect([w, b, x].map((t) => [t.requiresGrad, t.grad])).toEqual([[false, null], [false, null], [false, null]])
  })

  it('weights a non-scalar result by dy', () => {
    const x = tensor([1, 2, 3], f64)
    const { grads } = valueAndGrads((x) => x.mul(x))([x], tensor([1, 0, -1], f64))
    expect(grads[0].toArray()).toEqual([2, 0, -6])
  })

  it('an argument f does not use is an error, as in TensorFlow.js', () => {
    expect(() => valueAndGrads((a) => a.sum())([tensor([1]), tensor([2])])).toThrow(/with respect to argument 1 \(shape \[1\]\).*does not depend on it/)
    expect(() => valueAndGrads((a) => a.sum())(tensor([1]) as never)).toThrow(/pass the arguments as an array/)
    expect(() => noGrad(() => valueAndGrads((a) => a.sum())([tensor([1])]))).toThrow(/inside noGrad/)
  })
})

describe('GradientTape (TensorFlow 2)', () => {
  it("watch makes leaves record; gradient returns backward()'s gradients without touching .grad", () => {
    const w = tensor([[0.5, -1], [2, 0.25]], f64)
    const b = tensor([0.1, -0.2], f64)
    const x = tensor([[1, 2], [-1, 0.5], [0.3, 0.3]], f64)
    const tape = new GradientTape()
    tape.watch(w, [b, x])
    expect([w, b, x].every((t) => t.requiresGrad)).toBe(true)
    const y = f(w, b, x)
    const grads = tape.gradient(y, [w, b, x])
    viaBackward().forEach((g, i) => expectClose(grads[i]!, g.toArray() as number[][], 1e-14))
    expect([w.grad, b.grad, x.grad]).toEqual([null, null, null])
  })

  it('a non-persistent tape gives one set of gradients; a persistent one any number', () => {
    const x = tensor([3], { ...f64, requiresGrad: true })
    const y = x.mul(x)
    const once = new GradientTape()
    expect(once.gradient(y, x)!.toArray()).toEqual([6])
    expect(() => once.gradient(y, x)).toThrow(/non-persistent GradientTape can only be used to compute one set of gradients/)
    const many = new GradientTape({ persistent: true })
    expect(many.gradient(y, x)!.toArray()).toEqual([6])
    expect(many.gradient(y, [x])[0]!.toArray()).toEqual([6])
  })

  it('differentiates with respect to intermediate tensors, and gives null for unconnected sources', () => {
    const x = tensor([1, 2], { ...f64, requiresGrad: true })
    const h = x.mul(3)
    const y = h.mul(h).sum()
    const other = tensor([5], { ...f64, requiresGrad: true })
    const [gh, gx, go] = new GradientTape().gradient(y, [h, x, other])
    expect(gh!.toArray()).toEqual([6, 12])
    expect(gx!.toArray()).toEqual([18, 36])
    expect(go).toBeNull()
  })

  it('sums a non-scalar target, or weights it by outputGradients', () => {
    const x = tensor([1, 2], { ...f64, requiresGrad: true })
    const y = x.mul(x)
    const tape = new GradientTape({ persistent: true })
    expect(tape.gradient(y, x)!.toArray()).toEqual([2, 4])
    expect(tape.gradient(y, x, tensor([0.5, -1], f64))!.toArray()).toEqual([1, -4])
    expect(() => tape.gradient(y, x, tensor([1], f64))).toThrow(/dy must be a tensor of the target's shape \[2\]/)
  })
})
