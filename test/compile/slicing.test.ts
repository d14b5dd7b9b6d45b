import { afterEach, describe, expect, test } from 'vitest'
import { arange, cat, compile, eye, linspace, nn, optim, tensor, Tensor } from '../../src/index.js'
import { compileSwitch } from '../../src/compile/compile.js'
import { batch, bits, expectSameAsEager, type DT } from './helpers.js'
import { trainingStep } from './setups.js'

/**
 * cat (its copies into the joined array) and strided windows (narrow, slice with a step: their
 * gradient is put back in JavaScript) replay in a compiled training step: they used to make
 * every such step fall back to eager. Both replay paths.
 */
afterEach(() => {
  compileSwitch.interpreter = true
})

function sliced(dtype: DT) {
  const first = new nn.Linear(4, 6, { dtype })
  const last = new nn.Linear(4, 2, { dtype })
  const model = new nn.ModuleList([first, last])
  const forward = (x: Tensor): Tensor => {
    const h = first.forward(x).tanh()
    return last.forward(cat([h.narrow(1, 0, 2).mul(2), h.slice(1, 2, 6, 2)], 1))
  }
  return trainingStep(model, new optim.Adam(model.parameters(), { lr: 0.01 }), new nn.MSELoss(), forward)
}

describe.each(['wasm', 'js'] as const)('compile: cat, narrow and slice replay (%s replay)', (path) => {
  test.each(['float32', 'float64'] as const)('a step through them: 6 steps bit-identical to eager, no fallback (%s)', (dtype) => {
    compileSwitch.interpreter = path === 'wasm'
    const step = expectSameAsEager(() => sliced(dtype), (i) => batch(i, [5, 4], [5, 2], dtype), 6)
    expect(step.lastRun).toBe('replay')
    expect(step.fallbackReason).toBeNull()
  })
})

describe.each(['wasm', 'js'] as const)('compile: made inside the step (%s replay)', (path) => {
  test('int32 windows of an input (select, narrow) index each call\'s rows; eye, arange, linspace replay as constants', () => {
    compileSwitch.interpreter = path === 'wasm'
    const f = (x: Tensor, rows: Tensor): Tensor =>
      x.indexSelect(0, rows.select(0, 1).narrow(0, 0, 2)).add(eye(2, 3)).mul(arange(3)).div(linspace(1, 2, 3))
    const step = compile(f)
    const x = tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    for (let i = 0; i < 4; i++) {
      const rows = new Tensor(Int32Array.from([0, 1, (i + 1) % 3, i % 3]), [2, 2])
      expect(bits(step(x, rows))).toEqual(bits(f(x, rows)))
    }
    expect(step.lastRun).toBe('replay')
    expect(step.fallbackReason).toBeNull()
  })
})
