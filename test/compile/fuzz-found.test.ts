import { afterEach, describe, expect, test } from 'vitest'
import { compile, F, full, manualSeed, nn, noGrad, optim, tensor, Tensor, zerosLike } from '../../src/index.js'
import { compileSwitch } from '../../src/compile/compile.js'
import { bits } from './helpers.js'

/**
 * Silent wrong replays that test/compile/fuzz.test.ts found, each as the smallest step that
 * showed it. Both replay paths (on the ts backend both are the JS replay).
 */
const onWasm = process.env.YANN_BACKEND === 'wasm'

afterEach(() => {
  compileSwitch.interpreter = true
})

/** A 2×2 weight trained by SGD on mean((x·w)²), with zeroGrad(false) first or no zeroGrad() at all. */
function squareStep(zero: boolean): { w: nn.Parameter; step: (x: Tensor) => Tensor } {
  const w = new nn.Parameter(tensor([[0.1, 0.2], [0.3, 0.4]]))
  const opt = new optim.SGD([w], { lr: 0.1 })
  const step = (x: Tensor): Tensor => {
    if (zero) opt.zeroGrad(false)
    const loss = x.matmul(w).square().mean()
    loss.backward()
    opt.step()
    return loss
  }
  return { w, step }
}

describe.each(['wasm', 'js'] as const)('compile: bugs the fuzz found (%s replay)', (path) => {
  test('embedding with paddingIdx: the padding row\'s gradient is zeroed at every replay, as eager', () => {
    // The zeroing was a plain fill on the weight's .grad: replays left the row's gradient in it.
    compileSwitch.interpreter = path === 'wasm'
    const idx = new Tensor(Int32Array.from([1, 0, 1, 2]), [4])
    const build = () => {
      manualSeed(3)
      const emb = new nn.Embedding(3, 2, { paddingIdx: 1 })
      const opt = new optim.SGD(emb.parameters(), { lr: 0.1 })
      const step = (x: Tensor): Tensor => {
        opt.zeroGrad()
        const loss = emb.forward(idx).mul(x).sum()
        loss.backward()
        opt.step()
        return loss
      }
      return { emb, step }
    }
    const eager = build()
    const twin = build()
    const step = compile(twin.step)
    for (let i = 0; i < 4; i++) {
      const x = tensor([[1, 2], [3, 4], [5, 6], [7, 8 + i]])
      expect(bits(step(x))).toEqual(bits(eager.step(x)))
      expect(bits(twin.emb.weight)).toEqual(bits(eager.emb.weight))
    }
    expect(step.lastRun).toBe('replay')
  })

  test('binaryCrossEntropy checks each call\'s input is in [0, 1], as eager', () => {
    // The check ran in JavaScript at recording only: a replay returned a loss of a NaN input.
    compileSwitch.interpreter = path === 'wasm'
    const t = tensor([0, 1, 1, 0])
    const f = (x: Tensor, target: Tensor): Tensor => F.binaryCrossEntropy(x.mul(0.5), target)
    const step = compile(f)
    for (const v of [0.2, 0.4, 0.6]) expect(bits(step(tensor([v, 0.5, 1, 2]), t))).toEqual(bits(f(tensor([v, 0.5, 1, 2]), t)))
    expect(step.lastRun).toBe('replay')
    // On wasm the check is an op of the interpreter (the step stays one call into wasm).
    expect(step.replayPath).toBe(onWasm && path === 'wasm' ? 'wasm' : 'js')
    const bad = tensor([0.2, 3, 1, 2])
    expect(() => f(bad, t)).toThrow('binaryCrossEntropy: all elements of input should be between 0 and 1, but element 1 is 1.5')
    expect(() => step(bad, t)).toThrow('binaryCrossEntropy: all elements of input should be between 0 and 1, but element 1 is 1.5')
    const good = tensor([0.3, 0.5, 1, 2])
    expect(bits(step(good, t))).toEqual(bits(f(good, t)))
  })

  test('.grad assigned a new tensor between calls: the gradients accumulate into it, as eager', () => {
    // With no zeroGrad() in the step, backward adds into the .grad from before the call: the
    // replay's kernels added into the old tensor's memory while the optimiser read the new one.
    compileSwitch.interpreter = path === 'wasm'
    const eager = squareStep(false)
    const twin = squareStep(false)
    const step = compile(twin.step)
    for (let i = 0; i < 6; i++) {
      if (i >= 3) {
        eager.w.grad = zerosLike(eager.w)
        twin.w.grad = zerosLike(twin.w)
      }
      const x = tensor([[i, 1], [2, 3]])
      expect(bits(step(x))).toEqual(bits(eager.step(x)))
      expect(bits(twin.w)).toEqual(bits(eager.w))
      expect(bits(twin.w.grad!)).toEqual(bits(eager.w.grad!))
    }
  })

  test('inputs that were views of one buffer at recording but are not at the next call: each output over its own input', () => {
    // The recorder matched a view of the second input to the first input's buffer (the first with the same buffer).
    compileSwitch.interpreter = path === 'wasm'
    const f = (x: Tensor, t: Tensor): Tensor[] => [x.mul(2), t.reshape([4])]
    const step = compile(f)
    const shared = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8])
    step(new Tensor(shared.subarray(0, 4), [4]), new Tensor(shared.subarray(4), [2, 2]))
    const [x, t] = [tensor([9, 8, 7, 6]), tensor([[1, 3], [5, 7]])]
    const [a, b] = step(x, t)
    expect(step.lastRun).toBe('replay')
    expect(bits(a)).toEqual([18, 16, 14, 12])
    expect(bits(b)).toEqual([1, 3, 5, 7])
  })

  test('a .grad of the caller\'s in JS memory, zeroed with zeroGrad(false) in the step: the optimiser reads its values of this call', () => {
    // On wasm the interpreter worked on a copy of that .grad, written back only after the call,
    // while the optimiser step, run live in between, read the stale JS array.
    compileSwitch.interpreter = path === 'wasm'
    const build = () => {
      const s = squareStep(true)
      s.w.grad = zerosLike(s.w)
      return s
    }
    const eager = build()
    const twin = build()
    const step = compile(twin.step)
    for (let i = 0; i < 5; i++) {
      const x = tensor([[i, 1], [2, 3]])
      expect(bits(step(x))).toEqual(bits(eager.step(x)))
      expect(bits(twin.w)).toEqual(bits(eager.w))
    }
    expect(step.lastRun).toBe('replay')
  })

  test('an input requiring grad keeps its own .grad after the next call, as eager', () => {
    // Every replay assigned the plan's one gradient tensor to its input: an earlier input's
    // .grad then showed the latest call's gradient.
    compileSwitch.interpreter = path === 'wasm'
    const f = (x: Tensor): Tensor => {
      const loss = x.square().sum()
      loss.backward()
      return loss
    }
    const step = compile(f)
    const xs = [0, 1, 2, 3].map((i) => {
      const x = tensor([i, 1])
      x.requiresGrad = true
      step(x)
      return x
    })
    expect(step.lastRun).toBe('replay')
    expect(xs.map((x) => bits(x.grad!))).toEqual([[0, 2], [2, 2], [4, 2], [6, 2]])
  })

  test('a bool mask with no true element at recording: the step falls back rather than replay an empty selection', () => {
    // The mask's positions are made in JavaScript; the check that a kernel reads no such array skipped empty ones.
    compileSwitch.interpreter = path === 'wasm'
    const f = (x: Tensor): Tensor => x.index(x.gt(0)).mul(2).sum()
    const step = compile(f)
    for (const v of [[-1, -2, -3, -4], [1, -2, 3, -4], [1, 2, 3, 4]]) expect(step(tensor(v)).item()).toBe(f(tensor(v)).item())
    expect(step.fallbackReason).toMatch(/JavaScript computed/)
  })

  test('an in-place op on a tensor the step made from constants: the step falls back rather than replay from the last call\'s values', () => {
    // The plan keeps one array for zerosLike(x) or full(): add_ into it accumulated over replays.
    compileSwitch.interpreter = path === 'wasm'
    const fns = [
      (x: Tensor): Tensor => { const z = zerosLike(x); noGrad(() => z.add_(x)); return z.mul(2) },
      (x: Tensor): Tensor => { const z = full([4], 1); noGrad(() => z.mul_(x)); return z.add(1) },
    ]
    for (const f of fns) {
      const step = compile(f)
      for (let i = 0; i < 4; i++) expect(bits(step(tensor([i, 1, 2, 3])))).toEqual(bits(f(tensor([i, 1, 2, 3]))))
      expect(step.fallbackReason).toMatch(/made from constants/)
    }
  })
})
