import { afterEach, describe, expect, test } from 'vitest'
import { compile, nn, optim, randn, Tensor } from '../../src/index.js'
import { compileSwitch } from '../../src/compile/compile.js'
import { bits } from './helpers.js'

/**
 * int32 indices that come from an input are range-checked at every replay, with eager's
 * error, before a kernel reads them (a replay used to trap in wasm or return a wrong number),
 * and the replay reads each call's own indices. Both replay paths: the wasm plan interpreter
 * (on the wasm backend) and the JS replay.
 */
const onWasm = process.env.YANN_BACKEND === 'wasm'
const ints = (v: number[], shape = [v.length]): Tensor => new Tensor(Int32Array.from(v), shape)

/** The error eager throws for these arguments. */
function eagerError(f: (...a: Tensor[]) => Tensor, args: Tensor[]): string {
  try {
    f(...args)
  } catch (e) {
    return (e as Error).message
  }
  throw new Error('eager did not throw')
}

/** Records with `good[0]`, replays every other good call (same values as eager), then each bad call (eager's error), then a good one again. */
function expectChecked(f: (...a: Tensor[]) => Tensor, good: Tensor[][], bad: Tensor[][], path: 'wasm' | 'js'): void {
  const step = compile(f)
  for (const args of good) expect(bits(step(...args))).toEqual(bits(f(...args)))
  expect(step.lastRun).toBe('replay')
  expect(step.replayPath).toBe(path === 'wasm' && onWasm ? 'wasm' : 'js')
  for (const args of bad) expect(() => step(...args)).toThrow(eagerError(f, args))
  expect(bits(step(...good[1]))).toEqual(bits(f(...good[1])))
  expect(step.lastRun).toBe('replay')
}

afterEach(() => {
  compileSwitch.interpreter = true
})

describe.each(['wasm', 'js'] as const)('compile: int32 indices checked at every replay (%s replay)', (path) => {
  const setPath = (): void => void (compileSwitch.interpreter = path === 'wasm')

  test('nn.Embedding: 1000000 and −5 at replay give eager\'s error, not a trap or a wrong number', () => {
    setPath()
    const emb = new nn.Embedding(10, 4)
    const f = (x: Tensor): Tensor => {
      const y = emb.forward(x).sum()
      y.backward()
      return y
    }
    const good = [0, 1, 2, 3, 9].map((i) => [ints([1, 2, i])])
    expectChecked(f, good, [[ints([1, 2, 1000000])], [ints([1, 2, -5])], [ints([10, 0, 0])]], path)
    expect(() => compile(f)(ints([1, 2, -5]))).toThrow('embedding: index -5 (at flat position 2 of indices [3]) is out of range for weight [10, 4]')
  })

  test('the check runs before any kernel of the step: a bad call leaves the weights and their gradients as they were', () => {
    setPath()
    const emb = new nn.Embedding(10, 4)
    const opt = new optim.SGD(emb.parameters(), { lr: 0.1 })
    const step = compile((x: Tensor): Tensor => {
      opt.zeroGrad(false)
      const y = emb.forward(x).square().sum()
      y.backward()
      opt.step()
      return y
    })
    for (let i = 0; i < 3; i++) step(ints([1, 2, i]))
    expect(step.lastRun).toBe('replay')
    const weight = bits(emb.weight)
    const grad = bits(emb.weight.grad!)
    expect(() => step(ints([1, 2, 10]))).toThrow(/embedding: index 10/)
    expect(bits(emb.weight)).toEqual(weight)
    expect(bits(emb.weight.grad!)).toEqual(grad)
  })

  test('indexSelect: each call\'s indices, out of range (negative, as PyTorch) an error', () => {
    setPath()
    const w = new nn.Parameter(randn([10, 4])) // (in wasm memory: closure tensors in JS memory keep a plan off the interpreter)
    const f = (i: Tensor): Tensor => w.indexSelect(0, i).mul(2)
    const good = [[1, 2, 3], [4, 9, 0], [9, 9, 0]].map((v) => [ints(v)])
    expectChecked(f, good, [[ints([1, 2, 10])], [ints([1, -1, 0])]], path)
    expect(eagerError(f, [ints([1, 2, 10])])).toMatch(/^indexSelect: index 10 is out of range for dim 0 of size 10/)
  })

  test('gather and scatterAdd along an axis, and index() with a tensor', () => {
    setPath()
    const x = new nn.Parameter(randn([5, 3]))
    const src = new nn.Parameter(randn([5, 3]))
    const gather = (i: Tensor): Tensor => x.gather(1, i).mul(1)
    const scatter = (i: Tensor): Tensor => x.scatterAdd(0, i, src).mul(1)
    const index = (i: Tensor): Tensor => x.index(i).mul(1)
    const idx = (k: number): Tensor => ints(Array.from({ length: 15 }, (_, j) => (j * 7 + k) % 3), [5, 3])
    expectChecked(gather, [[idx(0)], [idx(1)], [idx(2)]], [[ints([...Array(14).fill(0), 3], [5, 3])], [ints([...Array(14).fill(0), -4], [5, 3])]], path)
    const rows = (k: number): Tensor => ints(Array.from({ length: 15 }, (_, j) => (j + k) % 5), [5, 3])
    expectChecked(scatter, [[rows(0)], [rows(1)], [rows(3)]], [[ints([...Array(14).fill(0), 5], [5, 3])], [ints([...Array(14).fill(0), -1], [5, 3])]], path)
    expectChecked(index, [[ints([0, 4])], [ints([3, -1])], [ints([2, 2])]], [[ints([0, 5])], [ints([-6, 0])]], path)
  })
})
