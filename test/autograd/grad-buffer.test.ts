import { describe, expect, it } from 'vitest'
import { record } from '../../src/autograd/engine.js'
import { F, grad, nn, randn, tensor, type Tensor } from '../../src/index.js'

/**
 * backward() lends a Parameter's gradient buffer to the op computing its gradient (linear's dW
 * and db, matmul's dA and dB) when that gradient is bound to become `.grad` unchanged, and
 * accumulateGrad adopts it without a copy. What must not change: the values (checked against
 * grad(), which never lends), accumulation into an existing `.grad`, parameters that receive
 * several gradients, grad() leaving `.grad` alone, and a backward() after one that failed.
 */

const close = (a: Tensor, b: Tensor): void => {
  expect(a.shape).toEqual(b.shape)
  const x = Array.from(a.data)
  const y = Array.from(b.data)
  for (let i = 0; i < x.length; i++) expect(x[i]).toBeCloseTo(y[i], 5)
}

describe.each(['float32', 'float64'] as const)('gradients written into the gradient buffer (%s)', (dtype) => {
  const layer = (i: number, o: number): nn.Linear => new nn.Linear(i, o, { dtype })

  it('linear: backward() gives grad()\'s gradients, in the parameters\' own buffers, step after step', () => {
    const l = layer(40, 30)
    const x = randn([5, 40], { dtype })
    const loss = (): Tensor => l.forward(x).tanh().sum()
    const expected = grad(loss(), [l.weight, l.bias!], tensor(1, { dtype }))
    expect(l.weight.grad).toBeNull()
    loss().backward()
    close(l.weight.grad!, expected[0]!)
    close(l.bias!.grad!, expected[1]!)
    const at = [l.weight.grad!.data.byteOffset, l.bias!.grad!.data.byteOffset]
    l.zeroGrad()
    loss().backward()
    close(l.weight.grad!, expected[0]!)
    close(l.bias!.grad!, expected[1]!)
    expect([l.weight.grad!.data.byteOffset, l.bias!.grad!.data.byteOffset]).toEqual(at)
    l.dispose()
  })

  it('accumulates across backward() calls and with retainGraph, as before', () => {
    const l = layer(20, 16)
    const x = randn([3, 20], { dtype })
    const once = grad(l.forward(x).sigmoid().sum(), [l.weight, l.bias!], tensor(1, { dtype }))
    l.forward(x).sigmoid().sum().backward()
    l.forward(x).sigmoid().sum().backward()
    close(l.weight.grad!, once[0]!.mul(2))
    close(l.bias!.grad!, once[1]!.mul(2))
    l.zeroGrad()
    const y = l.forward(x).sigmoid().sum()
    y.backward(undefined, { retainGraph: true })
    y.backward()
    close(l.weight.grad!, once[0]!.mul(2))
    close(l.bias!.grad!, once[1]!.mul(2))
    l.dispose()
  })

  it('a parameter with several gradients in one backward() gets their sum', () => {
    // The same layer twice; a weight both input and weight of one linear; w·w; w used by two ops.
    const l = layer(24, 24)
    const x = randn([4, 24], { dtype })
    const w = l.weight
    const cases: (() => Tensor)[] = [
      () => l.forward(l.forward(x).tanh()).sum(),
      () => F.linear(w, w, l.bias).tanh().sum(),
      () => w.matmul(w).tanh().sum(),
      () => x.matmul(w).sigmoid().sum().add(F.linear(x, w).tanh().sum()),
      () => F.linear(x, w).tanh().sum().add(w.mul(w).sum()),
    ]
    for (const f of cases) {
      const expected = grad(f(), [w], tensor(1, { dtype }))[0]!
      l.zeroGrad()
      f().backward()
      close(w.grad!, expected)
    }
    l.dispose()
  })

  it('matmul: a parameter operand gets its gradient in its buffer; broadcast operands are summed as before', () => {
    const w = new nn.Parameter(randn([16, 12], { dtype }))
    const v = new nn.Parameter(randn([12], { dtype }))
    const b = new nn.Parameter(randn([2, 3, 12, 5], { dtype }))
    const x = randn([2, 3, 7, 16], { dtype })
    const f = (): Tensor => x.matmul(w).matmul(b).tanh().sum().add(w.matmul(v).sigmoid().sum())
    const expected = grad(f(), [w, v, b], tensor(1, { dtype }))
    f().backward()
    close(w.grad!, expected[0]!)
    close(v.grad!, expected[1]!)
    close(b.grad!, expected[2]!)
    for (const p of [w, v, b]) p.dispose()
  })

  it('grad() writes into no gradient buffer: a kept .grad keeps its values, a null .grad stays null', () => {
    const l = layer(30, 20)
    const x = randn([2, 30], { dtype })
    l.forward(x).sum().backward()
    const kept = l.weight.grad!
    const values = Array.from(kept.data)
    l.zeroGrad()
    grad(l.forward(x.mul(3)).tanh().sum(), [l.weight, l.bias!], tensor(1, { dtype }))
    expect(l.weight.grad).toBeNull()
    expect(Array.from(kept.data)).toEqual(values)
    l.dispose()
  })

  it('after a backward() that failed midway, the next one is right', () => {
    const l = layer(20, 10)
    const x = randn([3, 20], { dtype })
    const c = randn([10], { dtype })
    c.requiresGrad = true
    let fail = false
    const thrower = (t: Tensor): Tensor =>
      record(t.mul(1), 'ThrowBackward', [t], (g) => {
        if (fail) throw new Error('boom')
        return [g]
      })
    // Both orders: linear's backward (lending the buffers) before the failing one, and after.
    const fs = [(): Tensor => l.forward(x).tanh().sum().add(thrower(c).sum()), (): Tensor => thrower(c).sum().add(l.forward(x).tanh().sum())]
    for (const f of fs) {
      const expected = grad(f(), [l.weight, l.bias!], tensor(1, { dtype }))
      fail = true
      l.zeroGrad()
      expect(() => f().backward()).toThrow('boom')
      fail = false
      l.zeroGrad()
      f().backward()
      close(l.weight.grad!, expected[0]!)
      close(l.bias!.grad!, expected[1]!)
    }
    l.dispose()
  })
})
