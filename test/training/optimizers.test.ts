import { describe, expect, it } from 'vitest'
import { nn, optim, Tensor } from '../../src/index.js'
import { mulberry32 } from '../rng.js'

/**
 * RMSprop and Adagrad against PyTorch's update rules written out op by op (torch/optim/rmsprop.py
 * and adagrad.py, single-tensor path), in float64. 259 elements: above the wasm backend's
 * small-size cut-off, so its SIMD kernels (and their scalar tails) run on the wasm project.
 */
const N = 259

function series(seed: number, n = N): number[] {
  const next = mulberry32(seed)
  return Array.from({ length: n }, () => 2 * next() - 1)
}

type Rule = (p: number[], g: number[], state: Record<string, number[]>, step: number) => void

function rmspropRule(lr: number, alpha: number, eps: number, wd: number, momentum: number, centered: boolean): Rule {
  return (p, grads, st, _step) => {
    st.s ??= p.map(() => 0)
    st.a ??= p.map(() => 0)
    st.b ??= p.map(() => 0)
    for (let i = 0; i < p.length; i++) {
      let g = grads[i]
      if (wd !== 0) g = g + wd * p[i]
      st.s[i] = st.s[i] * alpha + (1 - alpha) * g * g
      let avg: number
      if (centered) {
        st.a[i] = st.a[i] + (1 - alpha) * (g - st.a[i])
        avg = Math.sqrt(st.s[i] - st.a[i] * st.a[i]) + eps
      } else {
        avg = Math.sqrt(st.s[i]) + eps
      }
      if (momentum > 0) {
        st.b[i] = st.b[i] * momentum + g / avg
        p[i] = p[i] - lr * st.b[i]
      } else {
        p[i] = p[i] - (lr * g) / avg
      }
    }
  }
}

function adagradRule(lr: number, lrDecay: number, wd: number, eps: number, init: number): Rule {
  return (p, grads, st, step) => {
    st.sum ??= p.map(() => init)
    const clr = lr / (1 + (step - 1) * lrDecay)
    for (let i = 0; i < p.length; i++) {
      let g = grads[i]
      if (wd !== 0) g = g + wd * p[i]
      st.sum[i] += g * g
      p[i] = p[i] - (clr * g) / (Math.sqrt(st.sum[i]) + eps)
    }
  }
}

function run(dtype: 'float32' | 'float64', make: (ps: Tensor[]) => optim.Optimizer<any, any>, rule: Rule): void {
  const init = series(1)
  const p = new nn.Parameter(new Tensor(dtype === 'float64' ? Float64Array.from(init) : Float32Array.from(init), [N]))
  const opt = make([p])
  const want = [...init]
  const state: Record<string, number[]> = {}
  for (let step = 1; step <= 4; step++) {
    const g = series(100 + step)
    p.grad = new Tensor(dtype === 'float64' ? Float64Array.from(g) : Float32Array.from(g), [N])
    opt.step()
    rule(want, g, state, step)
    const tol = (w: number) => (dtype === 'float64' ? 1e-12 + 1e-10 * Math.abs(w) : 1e-5 + 1e-4 * Math.abs(w))
    const bad = Array.from(p.data as Float64Array).flatMap((v, i) => (Math.abs(v - want[i]) <= tol(want[i]) ? [] : [`step ${step} [${i}] ${v} vs ${want[i]}`]))
    expect(bad.slice(0, 3)).toEqual([])
  }
}

describe.each(['float64', 'float32'] as const)('RMSprop and Adagrad against PyTorch formulas (%s)', (dtype) => {
  it.each([
    ['defaults', {}, rmspropRule(1e-2, 0.99, 1e-8, 0, 0, false)],
    ['momentum + weightDecay', { lr: 0.05, momentum: 0.9, weightDecay: 0.1 }, rmspropRule(0.05, 0.99, 1e-8, 0.1, 0.9, false)],
    ['centered', { lr: 0.01, alpha: 0.9, centered: true, eps: 1e-6 }, rmspropRule(0.01, 0.9, 1e-6, 0, 0, true)],
    ['centered + momentum', { centered: true, momentum: 0.5 }, rmspropRule(1e-2, 0.99, 1e-8, 0, 0.5, true)],
  ] as const)('RMSprop %s', (_, options, rule) => run(dtype, (ps) => new optim.RMSprop(ps, options), rule))

  it.each([
    ['defaults', {}, adagradRule(1e-2, 0, 0, 1e-10, 0)],
    ['lrDecay + weightDecay', { lr: 0.1, lrDecay: 0.5, weightDecay: 0.01 }, adagradRule(0.1, 0.5, 0.01, 1e-10, 0)],
    ['initialAccumulatorValue, eps', { initialAccumulatorValue: 0.1, eps: 1e-3 }, adagradRule(1e-2, 0, 0, 1e-3, 0.1)],
  ] as const)('Adagrad %s', (_, options, rule) => run(dtype, (ps) => new optim.Adagrad(ps, options), rule))
})

describe('RMSprop and Adagrad', () => {
  it('one RMSprop step by hand: s = 0.01·0.25, p = 1 − 0.01·0.5/(0.05 + 1e-8)', () => {
    const p = new nn.Parameter(new Tensor(Float64Array.of(1), [1]))
    const opt = new optim.RMSprop([p])
    p.grad = new Tensor(Float64Array.of(0.5), [1])
    opt.step()
    expect(p.data[0]).toBeCloseTo(1 - 0.005 / (0.05 + 1e-8), 14)
    expect(opt.state.get(p)!.squareAvg!.data[0]).toBeCloseTo(0.0025, 15)
  })
  it('one Adagrad step by hand: p = 1 − 0.01·0.5/(0.5 + 1e-10)', () => {
    const p = new nn.Parameter(new Tensor(Float64Array.of(1), [1]))
    const opt = new optim.Adagrad([p])
    p.grad = new Tensor(Float64Array.of(0.5), [1])
    opt.step()
    expect(p.data[0]).toBeCloseTo(1 - 0.005 / (0.5 + 1e-10), 15)
  })
  it('param groups with their own options; stateDict round-trip', () => {
    const a = new nn.Parameter(new Tensor(Float64Array.from(series(3, 5)), [5]))
    const b = new nn.Parameter(new Tensor(Float64Array.from(series(4, 3)), [3]))
    const opt = new optim.RMSprop([{ params: [a] }, { params: [b], lr: 0.1, centered: true }], { lr: 0.01 })
    expect(opt.paramGroups.map((g) => [g.lr, g.centered])).toEqual([[0.01, false], [0.1, true]])
    a.grad = new Tensor(Float64Array.from(series(5, 5)), [5])
    b.grad = new Tensor(Float64Array.from(series(6, 3)), [3])
    opt.step()
    const copy = new optim.RMSprop([{ params: [a] }, { params: [b] }])
    copy.loadStateDict(opt.stateDict())
    expect(copy.paramGroups[1].centered).toBe(true)
    expect(Array.from(copy.state.get(b)!.gradAvg!.data)).toEqual(Array.from(opt.state.get(b)!.gradAvg!.data))
  })
  it('options are checked', () => {
    const p = [new nn.Parameter(new Tensor(Float64Array.of(1), [1]))]
    expect(() => new optim.RMSprop(p, { weight_decay: 0.1 } as never)).toThrow(/did you mean weightDecay/)
    expect(() => new optim.Adagrad(p, { lr_decay: 0.1 } as never)).toThrow(/did you mean lrDecay/)
    expect(() => new optim.Adagrad(p, { lr: -1 })).toThrow(/Adagrad: invalid learning rate: -1/)
    expect(() => new optim.RMSprop(p, { alpha: -0.5 })).toThrow(/RMSprop: invalid alpha value: -0.5/)
  })
})
