import { afterEach, describe, expect, test } from 'vitest'
import { cat, nn, optim, Tensor } from '../../src/index.js'
import { compileSwitch } from '../../src/compile/compile.js'
import { batch, expectSameAsEager, type DT } from './helpers.js'
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
