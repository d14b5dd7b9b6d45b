import { describe, expect, test } from 'vitest'
import * as yann from '../../src/index.js'
import { nn, optim, type Tensor } from '../../src/index.js'

/** Gradient clipping inside a compiled step: every loss and parameter as eager's. */
function run(clip: (ps: Tensor[]) => void, compiled: boolean): { values: number[]; step: (x: Tensor, y: Tensor) => Tensor } {
  yann.manualSeed(1)
  const model = new nn.Sequential(new nn.Linear(16, 32), new nn.ReLU(), new nn.Linear(32, 4))
  const opt = new optim.SGD(model.parameters(), { lr: 0.1 })
  const lossFn = new nn.MSELoss()
  const f = (x: Tensor, y: Tensor): Tensor => {
    opt.zeroGrad()
    const l = lossFn.forward(model.forward(x), y)
    l.backward()
    clip([...model.parameters()])
    opt.step()
    return l
  }
  const step = compiled ? yann.compile(f) : f
  yann.manualSeed(2)
  const x = yann.randn([8, 16])
  const y = yann.randn([8, 4]).mul(10)
  const values: number[] = []
  for (let i = 0; i < 6; i++) values.push(step(x, y).item())
  for (const p of model.parameters()) values.push(...Array.from(p.data))
  return { values, step }
}

describe('compile: gradient clipping inside the step', () => {
  const cases: [string, (ps: Tensor[]) => void][] = [
    ['clipGradNorm', (ps) => void nn.utils.clipGradNorm(ps, 0.01)],
    ['clipGradNorm (normType 1)', (ps) => void nn.utils.clipGradNorm(ps, 0.05, { normType: 1 })],
    ['clipGradValue', (ps) => nn.utils.clipGradValue(ps, 0.001)],
  ]
  for (const [name, clip] of cases) {
    test(`${name}: every loss and parameter as eager`, () => {
      const eager = run(clip, false)
      const compiled = run(clip, true)
      expect(compiled.values).toEqual(eager.values)
      const c = compiled.step as yann.CompiledFunction<[Tensor, Tensor], Tensor>
      if (name === 'clipGradValue') {
        expect(c.lastRun).toBe('replay') // runs live inside the replay
      } else {
        expect(c.lastRun).toBe('eager')
        expect(c.fallbackReason).toMatch(/clipGradNorm/)
      }
    })
  }
})
