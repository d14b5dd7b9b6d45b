import { afterEach, describe, expect, test } from 'vitest'
import { compile, F, nn, optim, tensor, Tensor } from '../../src/index.js'
import { compileSwitch } from '../../src/compile/compile.js'
import { batch, bits, expectSameAsEager } from './helpers.js'

/**
 * where (and maskedFill, softplus, which select with it) replays each call's choice, beyond
 * test/compile/integers.test.ts's cases: a broadcast condition, maskedFill on float32 and int32,
 * softplus, and nn.Softplus in a training step. Both replay paths.
 */
afterEach(() => {
  compileSwitch.interpreter = true
})

describe.each(['wasm', 'js'] as const)('compile: where selects from each call\'s values (%s replay)', (path) => {
  test('where with a broadcast condition, maskedFill on float32 and int32, softplus: 4 calls equal to eager, no fallback', () => {
    compileSwitch.interpreter = path === 'wasm'
    const fns: ((x: Tensor) => Tensor)[] = [
      (x) => x.where(x.gt(0), 0).mul(2),
      (x) => x.where(x.sum(0, true).gt(0), x.neg()),
      (x) => x.maskedFill(x.lt(-0.5), -9).add(1),
      (x) => x.int().maskedFill(x.gt(0.5), 7),
      (x) => F.softplus(x, { threshold: 0.5 }).mul(1),
    ]
    for (const f of fns) {
      const step = compile(f)
      for (let i = 0; i < 4; i++) {
        const x = tensor(Array.from({ length: 12 }, (_, k) => Math.sin(1.7 * k + 2.9 * i))).reshape(3, 4)
        expect(bits(step(x) as Tensor)).toEqual(bits(f(x)))
      }
      expect(step.lastRun).toBe('replay')
      expect(step.fallbackReason).toBeNull()
    }
  })

  test('nn.Softplus in a training step: 6 steps bit-identical to eager', () => {
    compileSwitch.interpreter = path === 'wasm'
    const build = () => {
      const model = new nn.Sequential(new nn.Linear(4, 4), new nn.Softplus({ threshold: 1 }), new nn.Linear(4, 2))
      const opt = new optim.SGD(model.parameters(), { lr: 0.1 })
      const step = (x: Tensor, y: Tensor): Tensor => {
        opt.zeroGrad()
        const loss = F.mseLoss(model.forward(x), y)
        loss.backward()
        opt.step()
        return loss
      }
      return { step, params: [...model.parameters()], model, opts: [opt] }
    }
    expectSameAsEager(build, (i) => batch(i, [5, 4], [5, 2], 'float32'), 6)
  })
})
