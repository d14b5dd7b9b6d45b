import { afterEach, describe, expect, test } from 'vitest'
import * as y from '../../src/index.js'
import { F, nn, optim, Tensor } from '../../src/index.js'
import { compileSwitch } from '../../src/compile/compile.js'
import { batch, expectSameAsEager, type DT } from './helpers.js'
import { trainingStep } from './setups.js'

/**
 * Ops whose work is a JavaScript loop (now a replayedStep, or a fill the recorder sees) replay
 * in a compiled training step: each made every step using it fall back to eager. One step per
 * op, on both replay paths and both float dtypes; 5 calls with new inputs, bit-identical to eager.
 */
afterEach(() => {
  compileSwitch.interpreter = true
})

type Loss = (h: Tensor, t: Tensor) => Tensor
const mse: Loss = (h, t) => F.mseLoss(h, t)

/** The op under test between a Linear(4, 3) and the loss: h [5, 3], t the targets [5, 3]. */
const CASES: [string, (h: Tensor) => Tensor, Loss][] = [
  ['max(dim), min(dim) (values and indices)', (h) => {
    const m = y.max(h, 1, { keepdim: true })
    return h.add(m.values).add(m.indices.to(h.dtype)).mul(y.min(h, 0).values)
  }, mse],
  ['prod along a dim and of everything', (h) => h.mul(y.prod(h.tanh().add(1), 1, { keepdim: true })).add(y.prod(h.sigmoid())), mse],
  ['cumsum, float and int32', (h) => y.cumsum(h, 1).add(y.cumsum(h.gt(0).int(), 0).to(h.dtype)), mse],
  ['l1Loss', (h) => h, (h, t) => F.l1Loss(h, t)],
  ['smoothL1Loss', (h) => h, (h, t) => F.smoothL1Loss(h, t, { beta: 0.5 })],
  ['huberLoss (reduction sum)', (h) => h, (h, t) => F.huberLoss(h, t, { delta: 0.7, reduction: 'sum' })],
  ['klDiv (batchmean; reduction none)', (h) => h, (h, t) => F.klDiv(y.logSoftmax(h, 1), y.softmax(t, 1), { reduction: 'batchmean' }).add(F.klDiv(y.logSoftmax(h, 1), y.softmax(t, 1), { reduction: 'none' }).sum())],
  ['hardtanh, relu6', (h) => F.hardtanh(h, { minVal: -0.4, maxVal: 0.6 }).add(F.relu6(h.mul(8))), mse],
  ['pow with a tensor exponent (both require grad)', (h) => h.abs().add(0.5).pow(h.tanh()), mse],
  ['F.pad constant and reflect', (h) => F.pad(h, [1, 1], { value: 0.5 }).narrow(1, 1, 3).add(F.pad(h.unsqueeze(1), [1, 1], { mode: 'reflect' }).squeeze(1).narrow(1, 0, 3)), mse],
  ['logicalAnd, logicalOr, logicalNot', (h) => y.where(y.logicalAnd(h.le(0.3), y.logicalNot(h.eq(0))), h, 3).maskedFill(y.logicalOr(h.gt(0.5), h.lt(-0.5)), -1), mse],
  ['any, all', (h) => h.add(y.any(h.gt(0.2)).to(h.dtype)).add(y.all(h.gt(-0.4), 1, { keepdim: true }).to(h.dtype)).add(y.all(h.lt(2)).to(h.dtype)), mse],
  ['fill_, zero_', (h) => h.add(h.detach().clone().fill_(0.5)).mul(h.detach().clone().zero_().add(2)), mse],
]

function build(dtype: DT, op: (h: Tensor) => Tensor, loss: Loss) {
  const model = new nn.Linear(4, 3, { dtype })
  return trainingStep(model, new optim.Adam(model.parameters(), { lr: 0.05 }), { forward: loss }, (x) => op(model.forward(x)))
}

describe.each(['wasm', 'js'] as const)('compile: ops computed in JavaScript loops replay (%s replay)', (path) => {
  describe.each(['float32', 'float64'] as const)('%s', (dtype) => {
    test.each(CASES)('%s: 5 calls bit-identical to eager, no fallback', (_name, op, loss) => {
      compileSwitch.interpreter = path === 'wasm'
      const step = expectSameAsEager(() => build(dtype, op, loss), (i) => batch(i, [5, 4], [5, 3], dtype), 5)
      expect(step.lastRun).toBe('replay')
      expect(step.fallbackReason).toBeNull()
    })
  })
})
