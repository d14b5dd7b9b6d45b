import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { optim, tensor } from '../../src/index.js'

interface SchedulerCase {
  name: string
  scheduler: string
  kwargs: Record<string, unknown>
  optimizer: { type: 'sgd'; lr: number; momentum?: number }
  lrs?: number[]
  momentums?: number[]
  losses?: number[]
  lrs_after_each_step?: number[]
}

const cases = (JSON.parse(readFileSync(new URL('../fixtures/pytorch-schedulers.json', import.meta.url), 'utf8')) as { cases: SchedulerCase[] }).cases

/** PyTorch's keyword names to yann's (step_size → stepSize, T_max → TMax, T_0 → T0). */
function camel(kwargs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(kwargs)) out[k.replace(/_([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase())] = v
  return out
}

function close(got: number, want: number): boolean {
  return Math.abs(got - want) <= 1e-9 + 1e-7 * Math.abs(want)
}

const S = optim.lrScheduler as unknown as Record<string, new (opt: unknown, o: unknown) => { step(m?: number): void; getLastLr(): number[] }>

describe('PyTorch scheduler cases (pytorch-schedulers.json)', () => {
  it('has 12 cases', () => expect(cases.length).toBe(12))
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const p = tensor([1, 2], { requiresGrad: true })
    const opt = new optim.SGD([p], { lr: c.optimizer.lr, momentum: c.optimizer.momentum ?? 0 })
    const options = camel(c.kwargs)
    // The fixture's lambda, 'min(1, (epoch + 1) / 4)', as a function.
    if (c.scheduler === 'LambdaLR') options.lrLambda = (epoch: number) => Math.min(1, (epoch + 1) / 4)
    const sched = new S[c.scheduler](opt, options)
    const group = opt.paramGroups[0]
    if (c.scheduler === 'ReduceLROnPlateau') {
      const after = c.losses!.map((loss) => {
        sched.step(loss)
        return group.lr
      })
      expect(after).toEqual(c.lrs_after_each_step)
      return
    }
    const lrs: number[] = []
    const momenta: number[] = []
    for (let i = 0; i < c.lrs!.length; i++) {
      lrs.push(group.lr)
      momenta.push(group.momentum)
      expect(sched.getLastLr()).toEqual([group.lr])
      p.grad = tensor([0.1, -0.2])
      opt.step()
      sched.step()
    }
    const bad = lrs.flatMap((lr, i) => (close(lr, c.lrs![i]) ? [] : [`lr[${i}] ${lr} vs ${c.lrs![i]}`]))
    bad.push(...momenta.flatMap((m, i) => (close(m, c.momentums![i]) ? [] : [`momentum[${i}] ${m} vs ${c.momentums![i]}`])))
    expect(bad).toEqual([])
  })
})

describe('schedulers', () => {
  const sgd = (lr = 0.1) => new optim.SGD([tensor([1], { requiresGrad: true })], { lr, momentum: 0.9 })
  it('stateDict round-trips into a fresh scheduler, which then continues identically', () => {
    const a = sgd()
    const sa = new optim.lrScheduler.CosineAnnealingWarmRestarts(a, { T0: 3, TMult: 2 })
    for (let i = 0; i < 4; i++) sa.step()
    const b = sgd(a.paramGroups[0].lr)
    const sb = new optim.lrScheduler.CosineAnnealingWarmRestarts(b, { T0: 3, TMult: 2 })
    sb.loadStateDict(sa.stateDict())
    sa.step()
    sb.step()
    expect(sb.getLastLr()).toEqual(sa.getLastLr())
    expect(sa.stateDict()).toMatchObject({ lastEpoch: 5, Tcur: 2, Ti: 6 })
  })
  it('LambdaLR leaves its functions out of the state; ReduceLROnPlateau keeps its counters', () => {
    const s = new optim.lrScheduler.LambdaLR(sgd(), { lrLambda: (e) => 0.5 ** e })
    expect(Object.values(s.stateDict()).some((v) => typeof v === 'function' || (Array.isArray(v) && typeof v[0] === 'function'))).toBe(false)
    const r = new optim.lrScheduler.ReduceLROnPlateau(sgd(), { patience: 0, mode: 'max' })
    r.step(1)
    r.step(tensor(0.5))
    expect(r.getLastLr()).toEqual([expect.closeTo(0.01, 15)])
    expect(r.stateDict()).toMatchObject({ best: 1, numBadEpochs: 0, lastEpoch: 2 })
  })
  it("OneCycleLR cycles Adam's beta1 and refuses a step past totalSteps", () => {
    const opt = new optim.Adam([tensor([1], { requiresGrad: true })], { lr: 0.1 })
    const s = new optim.lrScheduler.OneCycleLR(opt, { maxLr: 1, totalSteps: 10 })
    expect(opt.paramGroups[0].betas).toEqual([0.95, 0.999])
    // The peak of the rate (step pctStart·10 − 1 = 2) is the trough of β1.
    s.step()
    s.step()
    expect(opt.paramGroups[0].betas[0]).toBeCloseTo(0.85, 12)
    expect(opt.paramGroups[0].lr).toBeCloseTo(1, 12)
    for (let i = 2; i < 10; i++) s.step()
    expect(() => s.step()).toThrow(/tried to step 11 times; the total number of steps is 10/)
  })
  it('options are checked', () => {
    expect(() => new optim.lrScheduler.StepLR(sgd(), { step_size: 3 } as never)).toThrow(/did you mean stepSize/)
    expect(() => new optim.lrScheduler.StepLR(sgd(), { stepSize: 0 })).toThrow(/StepLR: stepSize must be an integer > 0, got 0/)
    expect(() => new optim.lrScheduler.ReduceLROnPlateau(sgd(), { factor: 1 })).toThrow(/factor must be a number < 1/)
    expect(() => new optim.lrScheduler.ExponentialLR({} as never, { gamma: 0.5 })).toThrow(/the first argument must be an optimiser/)
  })
})
