import { describe, expect, test } from 'vitest'
import * as yann from '../../src/index.js'
import { nn, optim, Tensor } from '../../src/index.js'
import { batch, bits, expectSameAsEager, type Setup } from './helpers.js'

/** A small net whose step is configurable per test. */
function net(body?: (x: Tensor, y: Tensor, s: { model: nn.Sequential; opt: optim.SGD }) => Tensor): () => Setup {
  return () => {
    const model = new nn.Sequential(new nn.Linear(4, 3), new nn.ReLU(), new nn.Linear(3, 2))
    const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.5 })
    const lossFn = new nn.MSELoss()
    const plain = (x: Tensor, y: Tensor): Tensor => {
      opt.zeroGrad()
      const loss = lossFn.forward(model.forward(x), y)
      loss.backward()
      opt.step()
      return loss
    }
    const step = body ? (x: Tensor, y: Tensor) => body(x, y, { model, opt }) : plain
    return { step, params: [...model.parameters()], model, opts: [opt] }
  }
}

const inputs = (i: number): [Tensor, Tensor] => batch(i, [5, 4], [5, 2], 'float32')

describe('compile: guards re-record or fall back, never replay a stale plan', () => {
  test('a new input shape gets its own plan; the old shape replays its own again', () => {
    const shapes = (i: number): [Tensor, Tensor] => (i % 3 === 2 ? batch(i, [2, 4], [2, 2], 'float32') : inputs(i))
    const step = expectSameAsEager(net(), shapes, 30)
    expect(step.recordings).toBe(3) // the first shape twice (.grad null, then set), the second once (.grad already set)
    expect(step.lastRun).toBe('replay')
  })

  test('a new input dtype gets its own plan', () => {
    const f = (x: Tensor, y: Tensor): Tensor => x.mul(y).sum().sqrt()
    const step = yann.compile(f)
    for (let i = 0; i < 6; i++) {
      const [x, y] = batch(i, [5, 4], [5, 4], i < 3 ? 'float32' : 'float64')
      const out = step(x, y)
      expect(out.dtype).toBe(x.dtype)
      expect(bits(out)).toEqual(bits(f(x, y)))
    }
    expect(step.recordings).toBe(2)
    expect(step.lastRun).toBe('replay')
  })

  test('the same input tensor, passed again after its requiresGrad was set, gets its own plan', () => {
    yann.manualSeed(3)
    const eager = net()()
    yann.manualSeed(3)
    const twin = net()()
    const step = yann.compile(twin.step)
    const [x, y] = inputs(0)
    const [x2, y2] = inputs(0)
    for (let i = 0; i < 8; i++) {
      if (i === 3) x.requiresGrad = x2.requiresGrad = true
      expect(step(x2, y2).item()).toBe(eager.step(x, y).item())
    }
    expect(bits(x2.grad!)).toEqual(bits(x.grad!)) // summed over the five steps with requiresGrad, as eager
    expect(step.lastRun).toBe('replay')
  })

  test('an input that now requires grad gets its own plan, and its .grad is the eager one', () => {
    const withGrad = (i: number): [Tensor, Tensor] => {
      const [x, y] = inputs(i)
      x.requiresGrad = i >= 3
      return [x, y]
    }
    yann.manualSeed(3)
    const eager = net()()
    yann.manualSeed(3)
    const twin = net()()
    const step = yann.compile(twin.step)
    for (let i = 0; i < 8; i++) {
      const [x, y] = withGrad(i)
      const [x2, y2] = withGrad(i)
      expect(step(x2, y2).item()).toBe(eager.step(x, y).item())
      if (i >= 3) expect(bits(x2.grad!)).toEqual(bits(x.grad!))
      if (i === 3) expect(step.lastRun).toBe('record')
    }
    expect(step.lastRun).toBe('replay')
    expect(step.recordings).toBe(3)
  })

  test('a parameter replaced or added, train()/eval(): the plan is recorded again', () => {
    const change = (i: number, s: Setup): void => {
      const first = s.model.children()[0] as nn.Linear
      if (i === 10) {
        yann.manualSeed(99)
        first.registerParameter('bias', new nn.Parameter(yann.randn([3])))
      }
      if (i === 20) s.model.eval()
      if (i === 25) s.model.train()
    }
    // The optimiser still holds the old bias: the new one gets gradients but no updates, alike in both.
    const step = expectSameAsEager(net(), inputs, 30, change)
    expect(step.recordings).toBe(2 + 2 + 1 + 1) // the new bias: with .grad null, then set; eval; train
    expect(step.lastRun).toBe('replay')
  })

  test('an lr scheduler stepped inside the compiled function advances at every call, as eager', () => {
    const scheduled = (): Setup => {
      const model = new nn.Sequential(new nn.Linear(4, 3), new nn.ReLU(), new nn.Linear(3, 2))
      const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.5 })
      const sched = new optim.lrScheduler.StepLR(opt, { stepSize: 2, gamma: 0.5 })
      const step = (x: Tensor, y: Tensor): Tensor => {
        opt.zeroGrad()
        const loss = model.forward(x).sub(y).square().mean()
        loss.backward()
        opt.step()
        sched.step()
        return loss
      }
      return { step, params: [...model.parameters()], model, opts: [opt] }
    }
    const step = expectSameAsEager(scheduled, inputs, 12)
    expect(step.lastRun).toBe('replay')
  })

  test('gradients accumulated across calls (no zeroGrad in the step): the plan with .grad set is recorded separately', () => {
    const accumulate = net((x, y, { model, opt }) => {
      const loss = model.forward(x).sub(y).square().mean()
      loss.backward()
      opt.step()
      return loss
    })
    const step = expectSameAsEager(accumulate, inputs, 12)
    expect(step.recordings).toBe(2)
  })

  test('zeroGrad(false) zeroes the gradient buffers in the replay too', () => {
    const zeroing = net((x, y, { model, opt }) => {
      opt.zeroGrad(false)
      const loss = model.forward(x).sub(y).square().mean()
      loss.backward()
      opt.step()
      return loss
    })
    expectSameAsEager(zeroing, inputs, 12)
  })

  test('a branch on a value read with item() falls back to eager, saying why', () => {
    const branching = net((x, y, { model, opt }) => {
      opt.zeroGrad()
      const out = model.forward(x)
      const loss = out.sum().item() > 0 ? out.sub(y).square().mean() : out.sub(y).abs().mean()
      loss.backward()
      opt.step()
      return loss
    })
    const step = expectSameAsEager(branching, inputs, 20)
    expect(step.lastRun).toBe('eager')
    expect(step.fallbackReason).toMatch(/item\(\)/)
  })

  test('an array computed by JavaScript (index()\'s positions, read from an input bool mask) falls back to eager', () => {
    const x = yann.randn([4, 4])
    const step = yann.compile((m: Tensor) => x.index(m).sum())
    const mask = (k: number): Tensor => new Tensor(Uint8Array.from({ length: 16 }, (_, i) => (i % 4 === k || i % 5 === 0 ? 1 : 0)), [4, 4])
    const first = step(mask(0)).item()
    expect(step.fallbackReason).toMatch(/JavaScript computed/)
    step(mask(1))
    const second = step(mask(2)).item()
    expect(step.lastRun).toBe('eager')
    expect(step.fallbackReason).toMatch(/JavaScript computed/)
    expect(second).toBe(x.index(mask(2)).sum().item())
    expect(second).not.toBe(first)
  })

  test('returned tensors are the plan\'s: valid until the next call, which overwrites them', () => {
    yann.manualSeed(1)
    const s = net()()
    const step = yann.compile(s.step)
    for (let i = 0; i < 3; i++) step(...inputs(i))
    const a = step(...inputs(3))
    const kept = a.clone()
    const before = a.item()
    const b = step(...inputs(4))
    expect(b).toBe(a)
    expect(a.item()).not.toBe(before)
    expect(bits(kept)).toEqual([before])
  })
})
