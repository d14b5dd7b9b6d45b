import { afterEach, describe, expect, test } from 'vitest'
import { compile, nn, optim, randn, setBackend, tensor, type Tensor } from '../../src/index.js'
import { wasmExports } from '../../src/backend/wasm/runtime.js'
import { setInvokeTap } from '../../src/backend/wasm/invoke.js'
import { interpreterStats } from '../../src/compile/wasm-replay.js'
import { batch, expectSameAsEager, type DT, type Setup } from './helpers.js'
import { mlp, mnistExample, seed, trainingStep } from './setups.js'

/**
 * The wasm plan interpreter (assembly/plan.ts): on the wasm backend a replay is one call into
 * wasm when every kernel is one it knows; a kernel it does not know runs from JavaScript
 * between segments. On the ts backend plans replay in JS.
 */
const onWasm = process.env.YANN_BACKEND === 'wasm'

/** Counts kernel calls that go through invoke (wasm calls outside the interpreter) while `fn` runs. */
function countInvokes(fn: () => void): number {
  let n = 0
  const before = setInvokeTap({ before: () => void n++, after: () => {} })
  try {
    fn()
  } finally {
    setInvokeTap(before)
  }
  return n
}

/** x·W (B not transposed, no bias), a Linear (B transposed, with bias), a sigmoid: every small gemm shape the interpreter runs without packing. */
class MatmulNet extends nn.Module {
  readonly w: nn.Parameter
  readonly lin: nn.Linear
  constructor(dtype: DT) {
    super()
    this.w = this.registerParameter('w', new nn.Parameter(randn([4, 3], { dtype })))
    this.lin = this.registerModule('lin', new nn.Linear(3, 5, { dtype }))
  }
  forward(x: Tensor): Tensor {
    return this.lin.forward(x.matmul(this.w)).sigmoid()
  }
}

/** A step with a gather along a dim, whose kernels (gatherAxis, scatterAddAxis) the interpreter does not run. */
function withGather(dtype: DT): Setup {
  const [first, second] = [new nn.Linear(4, 8, { dtype }), new nn.Linear(8, 2, { dtype })]
  const model = new nn.Sequential(first, second)
  const order = tensor(Array.from({ length: 40 }, (_, k) => (k * 3 + 1) % 8), { dtype: 'int32' }).reshape([5, 8])
  const forward = (x: Tensor): Tensor => second.forward(first.forward(x).gather(1, order))
  return trainingStep(model, new optim.Adam(model.parameters(), { lr: 0.01 }), new nn.MSELoss(), forward)
}

afterEach(() => setBackend(onWasm ? 'wasm' : 'ts', onWasm ? { dispatchSmall: false } : {}))

test('an input that lives in wasm memory (a parameter) replays in JS, reading its current values', () => {
  const w = new nn.Linear(3, 2).weight
  const f = compile((t: Tensor) => t.mul(2).sum())
  for (let i = 0; i < 4; i++) {
    w.data[0] = i
    expect(f(w).item()).toBe(w.mul(2).sum().item())
  }
  expect(f.replayPath).toBe('js')
  if (onWasm) expect(f.interpreterReason).toMatch(/wasm memory/)
})

describe.each(['float32', 'float64'] as const)('compile: the wasm plan interpreter (%s)', (dtype) => {
  test('a replay of the seed step is exactly one call into wasm, optimiser included', () => {
    const step = expectSameAsEager(() => seed(dtype), (i) => batch(i, [3], [2], dtype), 10)
    const [x, y] = batch(11, [3], [2], dtype)
    const calls = interpreterStats.calls
    const invokes = countInvokes(() => {
      for (let i = 0; i < 5; i++) step(x, y).item()
    })
    expect(step.lastRun).toBe('replay')
    expect(invokes).toBe(0)
    expect(interpreterStats.calls - calls).toBe(onWasm ? 5 : 0)
    expect(step.replayPath).toBe(onWasm ? 'wasm' : 'js')
  })

  test('small matrix products, A or B transposed or not, with and without bias (no packing): bit-identical', () => {
    for (const rows of [1, 2, 5]) {
      const build = (): Setup => {
        const model = new MatmulNet(dtype)
        return trainingStep(model, new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.5 }), new nn.BCELoss())
      }
      const step = expectSameAsEager(build, (i) => batch(i, [rows, 4], [rows, 5], dtype), 20)
      expect(step.replayPath).toBe(onWasm ? 'wasm' : 'js')
    }
  })

  test('a kernel the interpreter does not know (gather) runs between segments, still bit-identical', () => {
    const step = expectSameAsEager(() => withGather(dtype), (i) => batch(i, [5, 4], [5, 2], dtype), 100)
    expect(step.replayPath).toBe(onWasm ? 'wasm' : 'js')
    const [x, y] = batch(0, [5, 4], [5, 2], dtype)
    const calls = interpreterStats.calls
    const invokes = countInvokes(() => step(x, y))
    expect(invokes).toBe(onWasm ? 2 : 0) // gather forward and backward, through the wasm backend
    expect(interpreterStats.calls - calls).toBe(onWasm ? 3 : 0) // the kernels before, between and after them
  })

  test("the MNIST example's step with its 10-element bias on the ts SGD kernel in eager: 100 steps bit-identical, a replay one call into wasm", () => {
    // Its update runs on the wasm kernel in the plan (the two kernels give the same bits): no live step() between calls.
    // On the wasm backend in the ts project too: there the ts-backend run was compile.test.ts's MNIST test again.
    setBackend('wasm')
    const step = expectSameAsEager(() => mnistExample(dtype), (i) => batch(i, [64, 784], [64, 10], dtype, true), 100)
    const [x, y] = batch(100, [64, 784], [64, 10], dtype, true)
    const calls = interpreterStats.calls
    const invokes = countInvokes(() => {
      for (let i = 0; i < 3; i++) step(x, y)
    })
    expect(step.lastRun).toBe('replay')
    expect(invokes).toBe(0)
    expect(interpreterStats.calls - calls).toBe(3)
  })

  test.each([
    ['SGD nesterov', (ps: nn.Parameter[]) => new optim.SGD(ps, { lr: 0.1, momentum: 0.8, nesterov: true, weightDecay: 0.01 })],
    ['Adam', (ps: nn.Parameter[]) => new optim.Adam(ps, { lr: 0.01, weightDecay: 0.02 })],
    ['AdamW', (ps: nn.Parameter[]) => new optim.AdamW(ps, { lr: 0.01, weightDecay: 0.1 })],
    ['RMSprop centred, momentum', (ps: nn.Parameter[]) => new optim.RMSprop(ps, { lr: 0.01, momentum: 0.5, centered: true })],
    ['Adagrad', (ps: nn.Parameter[]) => new optim.Adagrad(ps, { lr: 0.05, weightDecay: 0.01 })],
  ])('%s with a 3-element bias on the ts kernel in eager: bit-identical, a replay one call into wasm', (_name, make) => {
    if (onWasm) setBackend('wasm') // small-size dispatch on
    const build = (): Setup => {
      const model = new nn.Sequential(new nn.Linear(40, 130, { dtype }), new nn.Tanh(), new nn.Linear(130, 3, { dtype }))
      return trainingStep(model, make([...model.parameters()]) as optim.SGD)
    }
    const inputs = (i: number): [Tensor, Tensor] => batch(i, [128, 40], [128, 3], dtype)
    const step = expectSameAsEager(build, inputs, 30)
    const calls = interpreterStats.calls
    const invokes = countInvokes(() => {
      for (let i = 30; i < 33; i++) step(...inputs(i))
    })
    expect(step.lastRun).toBe('replay')
    expect(invokes).toBe(0)
    expect(interpreterStats.calls - calls).toBe(onWasm ? 3 : 0)
  })

  test('the MNIST MLP at batch 64 on the wasm backend with small arrays on the ts kernels: 20 steps bit-identical, a replay one call into wasm', () => {
    // Small-size dispatch on: eager runs the bias updates and the loss's mean over the batch on the ts kernels, the plan their wasm twins.
    if (onWasm) setBackend('wasm')
    const step = expectSameAsEager(() => mlp(dtype), (i) => batch(i, [64, 784], [64, 10], dtype, true), 20)
    expect(step.replayPath).toBe(onWasm ? 'wasm' : 'js')
    const calls = interpreterStats.calls
    const invokes = countInvokes(() => void step(...batch(20, [64, 784], [64, 10], dtype, true)))
    expect(invokes).toBe(0)
    expect(interpreterStats.calls - calls).toBe(onWasm ? 1 : 0)
  })

  test('memory.grow between replays (views of wasm memory detached) changes nothing', () => {
    const bytes = onWasm ? wasmExports()!.memory.buffer.byteLength : 0
    const step = expectSameAsEager(
      () => seed(dtype),
      (i) => batch(i, [3], [2], dtype),
      30,
      (i) => {
        if (onWasm && i % 10 === 5) wasmExports()!.memory.grow(1) // every view of the memory is detached
      },
    )
    expect(step.lastRun).toBe('replay')
    if (onWasm) expect(wasmExports()!.memory.buffer.byteLength).toBe(bytes + 6 * 65536)
  })

  test('memory.grow during the recording (gradients copied into buffers made after it): the plan lowers, bit-identical', () => {
    const grown = (): Setup => {
      const model = new nn.Linear(3, 2, { dtype })
      // Used twice: each gradient is copied into (then added to) the parameter's gradient buffer, made after the grow.
      const twice = (x: Tensor): Tensor => {
        if (onWasm) wasmExports()!.memory.grow(1) // every view made next is over a new buffer
        return model.forward(x).add(model.forward(x.mul(2)))
      }
      return trainingStep(model, new optim.SGD(model.parameters(), { lr: 0.1 }), new nn.MSELoss(), twice)
    }
    const step = expectSameAsEager(grown, (i) => batch(i, [3], [2], dtype), 10)
    expect(step.lastRun).toBe('replay')
    expect(step.replayPath).toBe(onWasm ? 'wasm' : 'js')
  })
})
