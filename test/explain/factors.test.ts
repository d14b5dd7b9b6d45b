import { describe, expect, it } from 'vitest'
import { F, gradcheck, jacobian, manualSeed, nn, randn, tensor, type Tensor } from '../../src/index.js'

/**
 * The explainer's factors are jacobian() of each layer's function. Here every function it
 * differentiates is checked against gradcheck's central finite differences in float64: the
 * Linear layer with respect to its weight, bias and input, each activation, each loss.
 * (test/ops/gradcheck.test.ts does the same for every op family.)
 */
const f64 = (shape: number[]) => {
  const t = randn(shape, { dtype: 'float64' })
  t.requiresGrad = true
  return t
}

describe('jacobian() of the layer functions explain() uses matches finite differences', () => {
  manualSeed(42)
  const a = f64([3])
  const W = f64([2, 3])
  const b = f64([2])

  it('Linear: J_W, J_b, J_a (one sample and a batch)', () => {
    expect(gradcheck((W) => F.linear(a.detach(), W, b.detach()), [W])).toBe(true)
    expect(gradcheck((b) => F.linear(a.detach(), W.detach(), b), [b])).toBe(true)
    expect(gradcheck((a) => F.linear(a, W.detach(), b.detach()), [a])).toBe(true)
    expect(gradcheck((x, W, b) => F.linear(x, W, b), [f64([4, 3]), W, b])).toBe(true)
  })

  it('the Linear layer module itself', () => {
    const layer = new nn.Linear(3, 2, { dtype: 'float64' })
    expect(gradcheck((x) => layer.forward(x), [a])).toBe(true)
  })

  it.each([
    ['ReLU', new nn.ReLU()],
    ['Sigmoid', new nn.Sigmoid()],
    ['Tanh', new nn.Tanh()],
    ['Softmax', new nn.Softmax(-1)],
    ['LogSoftmax', new nn.LogSoftmax(-1)],
  ] as const)('%s', (_, m) => {
    // Away from ReLU's kink at 0.
    const z = tensor([0.7, -1.3, 0.4, 2.1], { dtype: 'float64', requiresGrad: true })
    expect(gradcheck((v) => m.forward(v), [z])).toBe(true)
    expect(gradcheck((v) => m.forward(v), [tensor([[0.7, -1.3], [0.4, 2.1]], { dtype: 'float64', requiresGrad: true })])).toBe(true)
  })

  it.each(['mean', 'sum'] as const)('BCELoss and MSELoss (%s)', (reduction) => {
    const p = tensor([0.2, 0.7, 0.55], { dtype: 'float64', requiresGrad: true })
    const t = tensor([1, 0, 1], { dtype: 'float64' })
    expect(gradcheck((p) => new nn.BCELoss({ reduction }).forward(p, t), [p])).toBe(true)
    expect(gradcheck((p) => new nn.MSELoss({ reduction }).forward(p, t), [p])).toBe(true)
  })

  it('gives [...out, ...in], which explain() flattens to a matrix', () => {
    const J: Tensor = jacobian((W) => F.linear(a.detach(), W, b.detach()), W)
    expect(J.shape).toEqual([2, 2, 3])
    expect(J.reshape([2, 6]).shape).toEqual([2, 6])
  })
})
