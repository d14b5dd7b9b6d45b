import { describe, expect, it } from 'vitest'
import { F, nn, noGrad, optim, relu, sigmoid, tensor, type Tensor } from '../../src/index.js'
import { expectClose, seedCases, type FloatDType, type SeedCase } from './oracle.js'

/**
 * The "seed" cases of the PyTorch oracle: the worked example of the seed document (3-3-2
 * network, ReLU then Sigmoid, BCE mean, one SGD step, lr 0.01), in float32 and float64, run
 * two ways: with plain tensors as in the seed's section 2, and with nn modules as in section 4.
 */

// The seed's numbers (its section 2).
const INPUT = [0.23, 0.82, 0.47]
const LABEL = [1, 0]
const W1 = [
  [0.1, 0.5, 0.3],
  [0.7, 0.2, 0.9],
  [0.4, 0.25, 0.75],
]
const W2 = [
  [0.9, 0.6, 0.4],
  [0.3, 0.8, 0.7],
]

interface SeedRun {
  a1: Tensor
  a2: Tensor
  loss: Tensor
  params: Record<'w1' | 'b1' | 'w2' | 'b2', Tensor>
  step: () => void
}

/** Section 2: tensors with requiresGrad, matmul, relu, sigmoid, F.binaryCrossEntropy, optim.SGD. */
function tensorStyle(dtype: FloatDType): SeedRun {
  const input = tensor(INPUT, { dtype })
  const label = tensor(LABEL, { dtype })
  const w1 = tensor(W1, { dtype, requiresGrad: true })
  const b1 = tensor([0, 0, 0], { dtype, requiresGrad: true })
  const w2 = tensor(W2, { dtype, requiresGrad: true })
  const b2 = tensor([0, 0], { dtype, requiresGrad: true })
  const a1 = relu(w1.matmul(input).add(b1))
  const optimiser = new optim.SGD([w1, b1, w2, b2], { lr: 0.01 })
  optimiser.zeroGrad()
  const a2 = sigmoid(w2.matmul(a1).add(b2))
  const loss = F.binaryCrossEntropy(a2, label, { weight: null, reduction: 'mean' })
  loss.backward()
  return { a1, a2, loss, params: { w1, b1, w2, b2 }, step: () => optimiser.step() }
}

/** Section 4: Linear, ReLU, Sigmoid and BCELoss modules, weights written in place. */
function moduleStyle(dtype: FloatDType): SeedRun {
  const hidden1 = new nn.Linear(3, 3, { dtype })
  const hidden2 = new nn.Linear(3, 2, { dtype })
  noGrad(() => {
    hidden1.weight.data.set(W1.flat())
    hidden1.bias!.data.set([0, 0, 0])
    hidden2.weight.data.set(W2.flat())
    hidden2.bias!.data.set([0, 0])
  })
  const a1 = new nn.ReLU().forward(hidden1.forward(tensor(INPUT, { dtype })))
  const a2 = new nn.Sigmoid().forward(hidden2.forward(a1))
  const loss = new nn.BCELoss({ reduction: 'mean' }).forward(a2, tensor(LABEL, { dtype }))
  const optimiser = new optim.SGD([...hidden1.parameters(), ...hidden2.parameters()], { lr: 0.01 })
  optimiser.zeroGrad()
  loss.backward()
  return {
    a1,
    a2,
    loss,
    params: { w1: hidden1.weight, b1: hidden1.bias!, w2: hidden2.weight, b2: hidden2.bias! },
    step: () => optimiser.step(),
  }
}

describe('PyTorch oracle: seed cases', () => {
  it('has both seed cases', () => {
    expect(seedCases.map((c) => c.dtype).sort()).toEqual(['float32', 'float64'])
  })

  const runs = { 'tensors (seed section 2)': tensorStyle, 'modules (seed section 4)': moduleStyle }
  const table = seedCases.flatMap((c) => Object.entries(runs).map(([style, run]) => [`${c.name}, ${style}`, c, run] as const))

  it.each(table)('%s', (_, c: SeedCase, run) => {
    const dtype = c.dtype
    const r = run(dtype)
    expectClose('a1', r.a1, c.a1, dtype)
    expectClose('a2', r.a2, c.a2, dtype)
    expectClose('loss', r.loss.item(), c.loss, dtype)
    for (const key of ['w1', 'b1', 'w2', 'b2'] as const) expectClose(`grad ${key}`, r.params[key].grad, c.grads[key], dtype)
    r.step()
    for (const key of ['w1', 'b1', 'w2', 'b2'] as const) expectClose(`${key} after the step`, r.params[key], c.params_after[key], dtype)
  })
})
