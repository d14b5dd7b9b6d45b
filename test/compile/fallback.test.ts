import { describe, expect, test } from 'vitest'
import * as yann from '../../src/index.js'
import { getBackend, nn, optim, setBackend, type Tensor } from '../../src/index.js'
import { batch, bits, expectSameAsEager, type Setup } from './helpers.js'

function small(): Setup {
  const model = new nn.Sequential(new nn.Linear(4, 6), new nn.Tanh(), new nn.Linear(6, 2))
  const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 })
  const step = (x: Tensor, y: Tensor): Tensor => {
    opt.zeroGrad()
    const loss = model.forward(x).sub(y).square().mean()
    loss.backward()
    opt.step()
    return loss
  }
  return { step, params: [...model.parameters()], model, opts: [opt] }
}

const inputs = (i: number): [Tensor, Tensor] => batch(i, [3, 4], [3, 2], 'float32')

describe('compile: what cannot be replayed runs eagerly, with the reason', () => {
  test('a result that is not a Tensor, a list of them or nothing', () => {
    const step = yann.compile((x: Tensor) => x.sum().add(1).data[0])
    expect(step(yann.tensor([1, 2]))).toBe(4)
    expect(step.fallbackReason).toMatch(/returned number/)
    expect(step(yann.tensor([1, 5]))).toBe(7)
    expect(step.lastRun).toBe('eager')
  })

  test('optimizer.step(closure)', () => {
    const model = new nn.Linear(4, 2)
    const opt = new optim.SGD(model.parameters(), { lr: 0.1 })
    const step = yann.compile((x: Tensor, y: Tensor) =>
      opt.step(() => {
        opt.zeroGrad()
        const loss = model.forward(x).sub(y).square().mean()
        loss.backward()
        return loss
      }),
    )
    const first = step(...inputs(0))!.item()
    expect(step.fallbackReason).toMatch(/step\(closure\)/)
    expect(step(...inputs(0))!.item()).toBeLessThan(first)
  })

  test('select/narrow with a 0-d tensor index read inside the function (its value picks the rows)', () => {
    const f = (x: Tensor) => x.select(0, x.sum(1).argmax()).mul(2)
    const step = yann.compile(f)
    const a = yann.tensor([[1, 2], [5, 6], [3, 4]])
    const b = yann.tensor([[9, 9], [5, 6], [3, 4]])
    expect(step(a).toArray()).toEqual([10, 12])
    expect(step.fallbackReason).toMatch(/item\(\)/)
    expect(step(b).toArray()).toEqual([18, 18]) // another row: not the recorded one
    expect(step.lastRun).toBe('eager')
  })

  test('a tensor made from JavaScript values inside the function', () => {
    const f = (x: Tensor): Tensor => x.mul(yann.tensor(Array.from(x.data, (v) => v * 2)))
    const step = yann.compile(f)
    for (let i = 0; i < 3; i++) {
      const x = yann.tensor([i, i + 1, i + 2])
      expect(bits(step(x))).toEqual(bits(f(x)))
    }
    expect(step.lastRun).toBe('eager')
    expect(step.fallbackReason).toMatch(/JavaScript computed/)
  })

  test('random numbers drawn inside the function (randn); BatchNorm in training with momentum null (1/numBatchesTracked read in JavaScript)', () => {
    const noisy = yann.compile((x: Tensor) => x.add(yann.randn([8])).sum())
    noisy(yann.ones([8]))
    expect(noisy.fallbackReason).toMatch(/JavaScript computed/)
    const norm = new nn.BatchNorm1d(2, { momentum: null })
    const normStep = yann.compile((x: Tensor) => norm.forward(x).sum())
    const x = yann.tensor([[1, 2], [3, 5], [4, 9]])
    normStep(x)
    expect(normStep.fallbackReason).toMatch(/momentum null reads numBatchesTracked/)
    const before = Array.from(norm.runningMean!.data)
    normStep(x.mul(2))
    expect(Array.from(norm.runningMean!.data)).not.toEqual(before) // eager: still updated at every call
    expect(norm.numBatchesTracked!.item()).toBe(2)
    norm.eval()
    const evalStep = yann.compile((t: Tensor) => norm.forward(t).sum())
    for (let i = 0; i < 3; i++) expect(evalStep(x).item()).toBe(norm.forward(x).sum().item())
    expect(evalStep.fallbackReason).toBeNull()
    expect(evalStep.lastRun).toBe('replay')
  })

  test('constants written in code (scalar operands, full, the seed of backward) replay as they are', () => {
    const f = (x: Tensor): Tensor => x.mul(3).add(yann.full([3], 0.5)).relu().sum()
    const step = yann.compile(f)
    for (let i = 0; i < 4; i++) {
      const x = yann.tensor([i - 2, i, -i])
      expect(step(x).item()).toBe(f(x).item())
    }
    expect(step.lastRun).toBe('replay')
  })

  test('a number passed as an argument selects the plan by value (a closed-over number would be baked in)', () => {
    const f = (x: Tensor, k: number): Tensor => x.mul(k).sum()
    const step = yann.compile(f)
    const x = yann.tensor([1, 2, 3])
    for (const k of [2, 2, 5, 2, 5]) expect(step(x, k).item()).toBe(f(x, k).item())
    expect(step.lastRun).toBe('replay')
    expect(step.recordings).toBe(2)
  })

  test('a list of tensors is returned as a list', () => {
    const step = yann.compile((x: Tensor) => [x.exp(), x, x.neg()])
    step(yann.tensor([0, 1]))
    const x = yann.tensor([2, 3])
    const [a, b, c] = step(x)
    expect(step.lastRun).toBe('replay')
    expect(b).toBe(x)
    expect(bits(a)).toEqual(bits(x.exp()))
    expect(bits(c)).toEqual([-2, -3])
  })

  test('wasm memory grown between calls: views of parameters are re-made, results stay exact', () => {
    let grown = false
    const grow = (i: number): void => {
      if (i !== 5 || grown) return
      grown = true
      const before = yann.memory().wasmBytes
      const was = getBackend()
      setBackend('wasm', { dispatchSmall: false })
      yann.ones([6_000_000]).exp() // stages 48 MB through wasm memory: it grows
      setBackend(was, was === 'wasm' ? { dispatchSmall: false } : {})
      expect(yann.memory().wasmBytes).toBeGreaterThan(before)
    }
    const step = expectSameAsEager(small, inputs, 10, grow)
    expect(step.lastRun).toBe('replay')
    expect(step.recordings).toBe(2)
  })
})
