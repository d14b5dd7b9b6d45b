import { describe, expect, test } from 'vitest'
import * as yann from '../../src/index.js'
import { Generator, nn, optim, type Tensor } from '../../src/index.js'
import { batch, bits, expectSameAsEager, type Setup } from './helpers.js'
import { trainingStep } from './setups.js'

/**
 * Dropout's mask is a kernel call (dropoutMask) drawing from its generator: a compiled step
 * replays it, drawing new numbers at every call, exactly as eager would.
 */
const path = process.env.YANN_BACKEND === 'wasm' ? 'wasm' : 'js'

describe.each(['float32', 'float64'] as const)('compile: dropout replays, a new mask at every call (%s)', (dtype) => {
  test('Dropout and Dropout2d with their own generators: 20 steps bit-identical to eager', () => {
    const build = (): Setup => {
      const model = new nn.Sequential(
        new nn.Conv2d(2, 4, 3, { padding: 1, dtype }), new nn.Dropout2d({ p: 0.3, generator: new Generator(5) }), new nn.ReLU(),
        new nn.Flatten(), new nn.Linear(64, 8, { dtype }), new nn.Dropout({ p: 0.5, generator: new Generator(6) }), new nn.Linear(8, 3, { dtype }),
      )
      return trainingStep(model, new optim.Adam(model.parameters(), { lr: 0.01 }))
    }
    const step = expectSameAsEager(build, (i) => batch(i, [5, 2, 4, 4], [5, 3], dtype), 20)
    expect(step.lastRun).toBe('replay')
    expect(step.fallbackReason).toBeNull()
    expect(step.replayPath).toBe(path)
  })

  test('the global generator: the compiled calls draw what eager calls draw after the same manualSeed', () => {
    const f = (x: Tensor): Tensor => yann.F.dropout(x, { p: 0.5 }).mul(1)
    const x = yann.ones([200], { dtype })
    yann.manualSeed(11)
    const eager = [0, 1, 2, 3].map(() => bits(f(x)))
    const step = yann.compile(f)
    yann.manualSeed(11)
    const compiled = [0, 1, 2, 3].map(() => bits(step(x)))
    expect(compiled).toEqual(eager)
    expect(step.lastRun).toBe('replay')
    expect(eager[3]).not.toEqual(eager[2]) // a new mask at every call
    expect(new Set(eager[3])).toEqual(new Set([0, 2]))
  })
})
