import { afterEach, describe, expect, it } from 'vitest'
import { wasmExports } from '../../src/backend/wasm/runtime.js'
import { setParameterMemoryBudget } from '../../src/parameter-memory.js'
import { F, manualSeed, memory, nn, optim, randn, tensor } from '../../src/index.js'

/**
 * Issue 11 §3.1: "no dispose needed". Models dropped without dispose() and without a garbage
 * collection must not fill the wasm memory: past a budget, the oldest parameter blocks move to
 * JS arrays, which the collector sees. The full 10 000-cycle run with the default budget is
 * test/runtimes/memory-churn.test.ts (once, on the packed package); here a small budget makes
 * the same mechanism act within a few hundred cycles.
 */
const BUDGET = 4 * 2 ** 20
let before = 0
afterEach(() => {
  if (before) setParameterMemoryBudget(before)
})

const x = randn([8, 784])
const y = tensor([0, 1, 2, 3, 4, 5, 6, 7], { dtype: 'int32' })

function mlp(): nn.Sequential {
  return new nn.Sequential(new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10))
}

function churn(cycles: number): void {
  for (let i = 0; i < cycles; i++) {
    const model = mlp()
    trainStep(model, new optim.SGD(model.parameters(), { lr: 0.1 }))
  }
}

function trainStep(model: nn.Module, opt: optim.Optimizer<object>): number {
  opt.zeroGrad()
  const loss = F.crossEntropy(model.forward(x), y)
  loss.backward()
  opt.step()
  return loss.item()
}

describe('parameter memory without dispose() (§3.1)', () => {
  it('300 create/train/drop cycles of a 784-128-10 MLP keep the wasm memory within the budget', () => {
    before = setParameterMemoryBudget(BUDGET)
    const start = memory().wasmBytes
    churn(300)
    // ~0.8 MB of values and gradients per cycle: 240 MB without eviction.
    expect(memory().wasmBytes - start).toBeLessThanOrEqual(4 * BUDGET)
    expect(wasmExports()).not.toBeNull()
  })

  it('a live model whose blocks were evicted trains on exactly as one that never was', () => {
    const run = (budget: number): number[] => {
      before = setParameterMemoryBudget(budget)
      manualSeed(3)
      const model = mlp()
      const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 })
      const losses: number[] = []
      let evicted = false
      for (let i = 0; i < 6; i++) {
        losses.push(trainStep(model, opt))
        // Churn in between: the live model's blocks are the oldest and get evicted.
        churn(4)
        evicted ||= model.parameters()[0].data.buffer !== wasmExports()!.memory.buffer
      }
      expect(evicted).toBe(budget === BUDGET)
      setParameterMemoryBudget(before)
      return [...losses, ...model.parameters().map((p) => Array.from(p.data).reduce((a, b) => a + Math.abs(b), 0))]
    }
    expect(run(BUDGET)).toEqual(run(2 ** 31))
  })

  it('a parameter larger than half the budget lives in JS memory and trains the same (how Linear(16384, 16384) fits)', () => {
    const run = (budget: number): number[] => {
      before = setParameterMemoryBudget(budget)
      manualSeed(4)
      const model = new nn.Linear(784, 512)
      const inWasm = model.weight.data.buffer === wasmExports()!.memory.buffer
      const opt = new optim.SGD(model.parameters(), { lr: 0.1 })
      const loss = trainStep(model, opt)
      setParameterMemoryBudget(before)
      return [Number(inWasm), loss, Array.from(model.weight.data).reduce((a, b) => a + Math.abs(b), 0)]
    }
    const small = run(2 ** 20) // the weight is 1.6 MB
    const large = run(2 ** 31)
    expect(small[0]).toBe(0)
    expect(large[0]).toBe(1)
    expect(small.slice(1)).toEqual(large.slice(1))
  })
})
