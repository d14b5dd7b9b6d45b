import { describe, expect, it } from 'vitest'
import { optim, tensor, type Tensor } from '../../src/index.js'

/**
 * Adam and AdamW against the update rule of Kingma & Ba as PyTorch implements it, written out
 * here with explicit bias-corrected moments:
 *
 *   m = β1·m + (1 − β1)·g,  v = β2·v + (1 − β2)·g²,  m̂ = m / (1 − β1ᵗ),  v̂ = v / (1 − β2ᵗ)
 *   p = p − lr·m̂ / (√v̂ + eps)
 *
 * Adam adds wd·p to g first; AdamW multiplies p by (1 − lr·wd) first.
 */

const P0 = [1.0, -2.0, 0.5]
const G1 = [0.1, 0.2, -0.3]
const G2 = [-0.4, 0.05, 0.6]
const LR = 0.01
const B1 = 0.9
const B2 = 0.999
const EPS = 1e-8

function leaf(values: number[]): Tensor {
  return tensor(values, { dtype: 'float64', requiresGrad: true })
}

function run(opt: (p: Tensor) => optim.Adam): [number[], number[]] {
  const p = leaf(P0)
  const o = opt(p)
  p.grad = tensor(G1, { dtype: 'float64' })
  o.step()
  const after1 = Array.from(p.data)
  p.grad = tensor(G2, { dtype: 'float64' })
  o.step()
  return [after1, Array.from(p.data)]
}

/** The reference: two steps from P0, per element. */
function reference(wd: number, decoupled: boolean): [number[], number[]] {
  let p = [...P0]
  let m = [0, 0, 0]
  let v = [0, 0, 0]
  const out: number[][] = []
  ;[G1, G2].forEach((grads, k) => {
    const t = k + 1
    if (decoupled) p = p.map((x) => x * (1 - LR * wd))
    const g = grads.map((x, i) => (decoupled ? x : x + wd * p[i]))
    m = m.map((mi, i) => B1 * mi + (1 - B1) * g[i])
    v = v.map((vi, i) => B2 * vi + (1 - B2) * g[i] * g[i])
    const mHat = m.map((mi) => mi / (1 - B1 ** t))
    const vHat = v.map((vi) => vi / (1 - B2 ** t))
    p = p.map((x, i) => x - (LR * mHat[i]) / (Math.sqrt(vHat[i]) + EPS))
    out.push(p)
  })
  return [out[0], out[1]]
}

function expectNear(got: number[], want: number[]): void {
  got.forEach((g, i) => expect(Math.abs(g - want[i])).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(want[i]))))
}

describe('optim.Adam / optim.AdamW update rules', () => {
  it('Adam without weight decay: the first step moves each element by about lr against its gradient', () => {
    const [p1, p2] = run((p) => new optim.Adam([p], { lr: LR }))
    const [w1, w2] = reference(0, false)
    expectNear(p1, w1)
    expectNear(p2, w2)
    // m̂ = g and √v̂ = |g| on step 1: p − lr·g/(|g| + eps), e.g. 1 − 0.01·0.1/(0.1 + 1e-8)
    expect(p1[0]).toBeCloseTo(1 - (0.01 * 0.1) / (0.1 + 1e-8), 15)
  })

  it('Adam with weight decay adds wd·p to the gradient', () => {
    const [p1, p2] = run((p) => new optim.Adam([p], { lr: LR, weightDecay: 0.1 }))
    const [w1, w2] = reference(0.1, false)
    expectNear(p1, w1)
    expectNear(p2, w2)
  })

  it('AdamW decays the weights by (1 − lr·wd) instead', () => {
    const [p1, p2] = run((p) => new optim.AdamW([p], { lr: LR, weightDecay: 0.1 }))
    const [w1, w2] = reference(0.1, true)
    expectNear(p1, w1)
    expectNear(p2, w2)
    const [adam1] = reference(0.1, false)
    expect(p1).not.toEqual(adam1)
  })

  it('AdamW defaults to weightDecay 0.01, Adam to 0, both to lr 1e-3, betas [0.9, 0.999], eps 1e-8', () => {
    const w = new optim.AdamW([leaf([1])])
    expect(w.paramGroups[0]).toMatchObject({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0.01, decoupledWeightDecay: true })
    const a = new optim.Adam([leaf([1])])
    expect(a.paramGroups[0]).toMatchObject({ weightDecay: 0, decoupledWeightDecay: false })
    // Adam with decoupledWeightDecay is AdamW, as in PyTorch 2.
    const [p1] = run((p) => new optim.Adam([p], { lr: LR, weightDecay: 0.1, decoupledWeightDecay: true }))
    expectNear(p1, reference(0.1, true)[0])
  })

  it('counts steps per parameter: a parameter first updated on step 2 gets its bias correction of step 1', () => {
    const a = leaf([1])
    const b = leaf([1])
    const opt = new optim.Adam([a, b], { lr: LR })
    a.grad = tensor([0.1], { dtype: 'float64' })
    opt.step()
    b.grad = tensor([0.1], { dtype: 'float64' })
    opt.step()
    expect(opt.state.get(a)!.step).toBe(2)
    expect(opt.state.get(b)!.step).toBe(1)
    expect(b.data[0]).toBeCloseTo(1 - (0.01 * 0.1) / (0.1 + 1e-8), 15)
  })
})
