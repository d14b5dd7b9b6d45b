import { describe, expect, it } from 'vitest'
import { optim, tensor, type Tensor } from '../../src/index.js'

/**
 * SGD against PyTorch's update rule written out here element by element (float64), over two
 * steps with different gradients, so the momentum buffer's first step (the gradient itself)
 * and its later updates are both checked.
 */

const P0 = [1.0, -2.0, 0.5]
const G1 = [0.1, 0.2, -0.3]
const G2 = [-0.4, 0.05, 0.6]

function leaf(values: number[]): Tensor {
  return tensor(values, { dtype: 'float64', requiresGrad: true })
}

/** Two SGD steps, the gradients set as backward() would leave them. */
function twoSteps(options: ConstructorParameters<typeof optim.SGD>[1]): [number[], number[]] {
  const p = leaf(P0)
  const opt = new optim.SGD([p], options)
  p.grad = tensor(G1, { dtype: 'float64' })
  opt.step()
  const after1 = Array.from(p.data)
  opt.zeroGrad()
  p.grad = tensor(G2, { dtype: 'float64' })
  opt.step()
  return [after1, Array.from(p.data)]
}

function expectNear(got: number[], want: number[]): void {
  expect(got).toHaveLength(want.length)
  got.forEach((g, i) => expect(Math.abs(g - want[i])).toBeLessThanOrEqual(1e-15 * Math.max(1, Math.abs(want[i]))))
}

describe('optim.SGD update rule', () => {
  it('plain SGD: p − lr·g', () => {
    const [p1, p2] = twoSteps({ lr: 0.1 })
    expectNear(p1, [1 - 0.1 * 0.1, -2 - 0.1 * 0.2, 0.5 + 0.1 * 0.3]) // [0.99, -2.02, 0.53]
    expectNear(p2, [0.99 + 0.1 * 0.4, -2.02 - 0.1 * 0.05, 0.53 - 0.1 * 0.6])
  })

  it('momentum with dampening and weight decay', () => {
    const lr = 0.1
    const mu = 0.9
    const tau = 0.1
    const wd = 0.01
    const [p1, p2] = twoSteps({ lr, momentum: mu, dampening: tau, weightDecay: wd })
    // step 1: d = g + wd·p; the buffer is d itself (no dampening on the first step)
    const d1 = G1.map((g, i) => g + wd * P0[i])
    const b1 = d1
    const want1 = P0.map((p, i) => p - lr * b1[i])
    expectNear(p1, want1)
    // step 2: b = μ·b + (1 − τ)·d
    const d2 = G2.map((g, i) => g + wd * want1[i])
    const b2 = b1.map((b, i) => mu * b + (1 - tau) * d2[i])
    expectNear(p2, want1.map((p, i) => p - lr * b2[i]))
  })

  it('nesterov: the step is d + μ·b', () => {
    const lr = 0.05
    const mu = 0.9
    const wd = 0.001
    const [p1, p2] = twoSteps({ lr, momentum: mu, nesterov: true, weightDecay: wd })
    const d1 = G1.map((g, i) => g + wd * P0[i])
    const b1 = d1
    const want1 = P0.map((p, i) => p - lr * (d1[i] + mu * b1[i]))
    expectNear(p1, want1)
    const d2 = G2.map((g, i) => g + wd * want1[i])
    const b2 = b1.map((b, i) => mu * b + d2[i])
    expectNear(p2, want1.map((p, i) => p - lr * (d2[i] + mu * b2[i])))
  })

  it('the first momentum step equals plain SGD; the second moves by μ·g₁ + g₂', () => {
    // p = 1, g₁ = 0.1, g₂ = −0.4, lr = 0.1, μ = 0.9: 1 − 0.01 = 0.99, then 0.99 − 0.1·(0.09 − 0.4) = 1.021
    const [p1, p2] = twoSteps({ lr: 0.1, momentum: 0.9 })
    expect(p1[0]).toBeCloseTo(0.99, 15)
    expect(p2[0]).toBeCloseTo(1.021, 15)
  })

  it('trains through backward(): loss = Σ c·p has gradient c', () => {
    const p = leaf([1, 2])
    const c = tensor([3, -1], { dtype: 'float64' })
    const opt = new optim.SGD([p], { lr: 0.5 })
    opt.zeroGrad()
    p.mul(c).sum().backward()
    opt.step()
    expect(Array.from(p.data)).toEqual([1 - 0.5 * 3, 2 + 0.5 * 1])
  })

  it('skips parameters whose .grad is null, creating no state for them', () => {
    const a = leaf([1])
    const b = leaf([1])
    const opt = new optim.SGD([a, b], { lr: 0.1, momentum: 0.9 })
    a.grad = tensor([1], { dtype: 'float64' })
    opt.step()
    expect(a.data[0]).toBeCloseTo(0.9, 15)
    expect(b.data[0]).toBe(1)
    expect(opt.state.has(a)).toBe(true)
    expect(opt.state.has(b)).toBe(false)
  })

  it('keeps the momentum buffer in its own memory, typed like the parameter', () => {
    const p = leaf([1, 2])
    const opt = new optim.SGD([p], { lr: 0.1, momentum: 0.5 })
    p.grad = tensor([1, 1], { dtype: 'float64' })
    opt.step()
    const buf = opt.state.get(p)!.momentumBuffer!
    expect(buf.dtype).toBe('float64')
    expect(buf.shape).toEqual([2])
    expect(buf.data.buffer).not.toBe(p.data.buffer)
    expect(Array.from(buf.data)).toEqual([1, 1])
  })

  it('defaults to PyTorch 2\'s lr of 1e-3', () => {
    const p = leaf([1])
    const opt = new optim.SGD([p])
    expect(opt.paramGroups[0].lr).toBe(1e-3)
    p.grad = tensor([1], { dtype: 'float64' })
    opt.step()
    expect(p.data[0]).toBe(1 - 1e-3)
  })
})
