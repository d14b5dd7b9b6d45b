import { describe, expect, test } from 'vitest'
import * as yann from '../../src/index.js'
import { nn, optim, type Tensor } from '../../src/index.js'

/** Guards a reviewer found missing: each case compares with the eager run. */
describe('compile: signature and requiresGrad guards', () => {
  test('a new argument requiring grad is not taken for the previous one, whose requiresGrad changed meanwhile', () => {
    yann.manualSeed(3)
    const lin = new nn.Linear(4, 3)
    const f = yann.compile((x: Tensor) => {
      const l = lin.forward(x).square().sum()
      l.backward()
      return l
    })
    const x = yann.randn([5, 4])
    f(x)
    f(x)
    x.requiresGrad = true // the previous argument now requires grad, as does the new one
    const x2 = yann.randn([5, 4])
    x2.requiresGrad = true
    f(x2)
    expect(f.lastRun).toBe('record')
    const x3 = x2.detach().clone()
    x3.requiresGrad = true
    lin.forward(x3).square().sum().backward()
    expect(x2.grad).not.toBeNull()
    expect(Array.from(x2.grad!.data)).toEqual(Array.from(x3.grad!.data))
  })
})

/** A step that drives `model`'s outputs toward zero: zeroGrad, mean of squares, backward, step. */
function meanSquareStep(model: nn.Module, opt: optim.Optimizer<object>): (x: Tensor) => Tensor {
  return (x) => {
    model.zeroGrad()
    const l = (model.forward(x) as Tensor).square().mean()
    l.backward()
    opt.step()
    return l
  }
}

describe('compile: parameters frozen, or given a gradient, between calls', () => {
  const runFreeze = (compiled: boolean): { values: (number | null)[]; step: unknown } => {
    yann.manualSeed(1)
    const a = new nn.Linear(16, 32)
    const b = new nn.Linear(32, 4)
    const model = new nn.Sequential(a, new nn.ReLU(), b)
    const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.5 })
    const lossFn = new nn.MSELoss()
    const f = (x: Tensor, y: Tensor): Tensor => {
      opt.zeroGrad()
      const l = lossFn.forward(model.forward(x), y)
      l.backward()
      opt.step()
      return l
    }
    const step = compiled ? yann.compile(f) : f
    yann.manualSeed(2)
    const x = yann.randn([8, 16])
    const y = yann.randn([8, 4])
    const values: (number | null)[] = []
    for (let i = 0; i < 9; i++) {
      if (i === 3) for (const p of a.parameters()) p.requiresGrad = false
      if (i === 5) for (const p of a.parameters()) p.requiresGrad = true
      values.push(step(x, y).item())
      values.push(a.weight.grad === null ? null : a.weight.grad.data[0])
    }
    for (const p of model.parameters()) values.push(...Array.from(p.data))
    return { values, step }
  }

  test('freezing a layer mid-training (and unfreezing it) gives eager’s losses, weights and .grad', () => {
    const eager = runFreeze(false)
    const compiled = runFreeze(true)
    expect(compiled.values).toEqual(eager.values)
    expect((compiled.step as yann.CompiledFunction<[Tensor, Tensor], Tensor>).lastRun).toBe('replay')
  })

  test('a parameter only the optimiser reads, whose .grad is set between calls, is updated as in eager', () => {
    const runExtra = (compiled: boolean): number[] => {
      yann.manualSeed(4)
      const model = new nn.Linear(6, 3)
      const extra = new nn.Parameter(yann.zeros([3, 6]))
      const opt = new optim.SGD([...model.parameters(), extra], { lr: 0.1, momentum: 0.5 })
      const f = meanSquareStep(model, opt)
      const step = compiled ? yann.compile(f) : f
      yann.manualSeed(5)
      const x = yann.randn([5, 6])
      const values: number[] = []
      for (let i = 0; i < 6; i++) {
        if (i === 3) extra.grad = yann.full([3, 6], 0.25)
        values.push(step(x).item())
      }
      values.push(...Array.from(extra.data), ...Array.from(model.weight.data))
      return values
    }
    expect(runExtra(true)).toEqual(runExtra(false))
  })
})

describe('compile: an optimiser’s new param group', () => {
  test('addParamGroup mid-training (Adam: step counts per parameter) gives eager’s numbers', () => {
    const run = (compiled: boolean): number[] => {
      yann.manualSeed(8)
      const a = new nn.Linear(6, 8)
      const b = new nn.Linear(8, 2)
      const model = new nn.Sequential(a, new nn.Tanh(), b)
      const opt = new optim.Adam(a.parameters(), { lr: 0.01 })
      const f = meanSquareStep(model, opt)
      const step = compiled ? yann.compile(f) : f
      yann.manualSeed(9)
      const x = yann.randn([5, 6])
      const values: number[] = []
      for (let i = 0; i < 8; i++) {
        if (i === 4) opt.addParamGroup({ params: [...b.parameters()], lr: 0.02 })
        values.push(step(x).item())
      }
      for (const p of model.parameters()) values.push(...Array.from(p.data))
      return values
    }
    expect(run(true)).toEqual(run(false))
  })
})

describe('compile: the optimiser changes its calls in a way no guard sees', () => {
  /** SGD that skips one parameter while `skip.on` (a JS branch the recording baked in). */
  class SkippingSGD extends optim.SGD {
    constructor(params: Tensor[], readonly skip: { on: boolean; p: Tensor | null }) {
      super(params, { lr: 0.1, momentum: 0.5 })
    }
    protected override updateParameter(...a: Parameters<optim.SGD['updateParameter']>): void {
      if (this.skip.on && a[0] === this.skip.p) return
      super.updateParameter(...a)
    }
  }
  const run = (compiled: boolean): number[] => {
    yann.manualSeed(6)
    const model = new nn.Sequential(new nn.Linear(6, 8), new nn.ReLU(), new nn.Linear(8, 2))
    const skip = { on: false, p: null as Tensor | null }
    const params = [...model.parameters()]
    skip.p = params[params.length - 1]
    const opt = new SkippingSGD(params, skip)
    const f = (x: Tensor): Tensor => {
      opt.zeroGrad()
      const l = model.forward(x).square().mean()
      l.backward()
      opt.step()
      return l
    }
    const step = compiled ? yann.compile(f) : f
    yann.manualSeed(7)
    const x = yann.randn([5, 6])
    const values: number[] = []
    for (let i = 0; i < 8; i++) {
      skip.on = i >= 4 && i < 6
      values.push(step(x).item())
    }
    for (const p of params) values.push(...Array.from(p.data))
    return values
  }

  test('the plan is dropped and recorded anew, with eager’s numbers (no error)', () => {
    expect(run(true)).toEqual(run(false))
  })
})
