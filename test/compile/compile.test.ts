import { describe, expect, test } from 'vitest'
import { nn, optim, type Tensor } from '../../src/index.js'
import { batch, expectSameAsEager, type DT, type Setup } from './helpers.js'

/** The wasm project forces every kernel into wasm: there the plan interpreter replays each step in one wasm call. */
const path = process.env.YANN_BACKEND === 'wasm' ? 'wasm' : 'js'

/** The seed network: 3-3-2, ReLU, sigmoid, BCE, plain SGD. */
function seed(dtype: DT): Setup {
  const model = new nn.Sequential(new nn.Linear(3, 3, { dtype }), new nn.ReLU(), new nn.Linear(3, 2, { dtype }), new nn.Sigmoid())
  const lossFn = new nn.BCELoss()
  const opt = new optim.SGD(model.parameters(), { lr: 0.5 })
  const step = (x: Tensor, y: Tensor): Tensor => {
    opt.zeroGrad()
    const loss = lossFn.forward(model.forward(x), y)
    loss.backward()
    opt.step()
    return loss
  }
  return { step, params: [...model.parameters()], model, opts: [opt] }
}

/** The MNIST MLP's shape (784-256-10, cross-entropy on one-hot targets), SGD with momentum. */
function mlp(dtype: DT): Setup {
  const model = new nn.Sequential(new nn.Linear(784, 256, { dtype }), new nn.ReLU(), new nn.Linear(256, 10, { dtype }))
  const lossFn = new nn.CrossEntropyLoss()
  const opt = new optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 })
  const step = (x: Tensor, y: Tensor): Tensor => {
    opt.zeroGrad()
    const loss = lossFn.forward(model.forward(x), y)
    loss.backward()
    opt.step()
    return loss
  }
  return { step, params: [...model.parameters()], model, opts: [opt] }
}

/** One model per optimiser (SGD nesterov + weight decay, Adam with weight decay, AdamW, RMSprop, Adagrad), one summed loss. */
function everyOptimizer(dtype: DT): Setup {
  const heads = [0, 1, 2, 3, 4].map(() => new nn.Sequential(new nn.Linear(4, 5, { dtype }), new nn.Tanh(), new nn.Linear(5, 2, { dtype })))
  const model = new nn.Sequential(...heads)
  const opts = [
    new optim.SGD(heads[0].parameters(), { lr: 0.1, momentum: 0.8, nesterov: true, weightDecay: 0.01 }),
    new optim.Adam(heads[1].parameters(), { lr: 0.01, weightDecay: 0.02 }),
    new optim.AdamW(heads[2].parameters(), { lr: 0.01, weightDecay: 0.1 }),
    new optim.RMSprop(heads[3].parameters(), { lr: 0.01, momentum: 0.5 }),
    new optim.Adagrad(heads[4].parameters(), { lr: 0.05 }),
  ]
  const lossFn = new nn.MSELoss()
  const step = (x: Tensor, y: Tensor): Tensor => {
    for (const o of opts) o.zeroGrad()
    const loss = heads.map((h) => lossFn.forward(h.forward(x), y)).reduce((a, b) => a.add(b))
    loss.backward()
    for (const o of opts) o.step()
    return loss
  }
  return { step, params: [...model.parameters()], model, opts }
}

describe.each(['float32', 'float64'] as const)('compile: bit-identical to eager over 100 steps (%s)', (dtype) => {
  test('the seed network (SGD)', () => {
    const step = expectSameAsEager(() => seed(dtype), (i) => batch(i, [3], [2], dtype), 100)
    expect(step.lastRun).toBe('replay')
    expect(step.fallbackReason).toBeNull()
    expect(step.recordings).toBe(2) // the first call with every .grad null, the second with them set
    expect(step.replayPath).toBe(path)
  })

  test('the MNIST MLP shape, batch 2 (SGD momentum, cross-entropy)', () => {
    const step = expectSameAsEager(() => mlp(dtype), (i) => batch(i, [2, 784], [2, 10], dtype, true), 100)
    expect(step.lastRun).toBe('replay')
    expect(step.fallbackReason).toBeNull()
    expect(step.replayPath).toBe(path)
  })

  test('every optimiser (SGD nesterov, Adam, AdamW, RMSprop, Adagrad), learning rates scheduled mid-run', () => {
    // The optimisers' updates run live in the replay: a changed lr or momentum is honoured without re-recording.
    const schedule = (i: number, s: Setup): void => {
      if (i === 40) for (const o of s.opts) o.paramGroups[0].lr *= 0.5
      if (i === 70) s.opts[0].paramGroups[0].momentum = 0.5
    }
    const step = expectSameAsEager(() => everyOptimizer(dtype), (i) => batch(i, [6, 4], [6, 2], dtype), 100, schedule)
    expect(step.lastRun).toBe('replay')
    expect(step.recordings).toBe(2) // the first call with every .grad null, the second with them set
    expect(step.replayPath).toBe(path)
  })
})
