import { describe, expect, test } from 'vitest'
import * as yann from '../../src/index.js'
import * as keras from '../../src/keras.js'
import { compileSwitch } from '../../src/compile/compile.js'
import { bits } from './helpers.js'

function model(optimizer: keras.OptimizerIdentifier): keras.Sequential {
  const m = keras.sequential({
    layers: [
      keras.layers.dense({ units: 6, inputShape: [3], activation: 'relu', kernelInitializer: keras.initializers.glorotUniform({ seed: 1 }) }),
      keras.layers.dense({ units: 2, activation: 'sigmoid', kernelInitializer: keras.initializers.glorotUniform({ seed: 2 }) }),
    ],
  })
  m.compile({ optimizer, loss: 'binaryCrossentropy', metrics: ['accuracy'] })
  return m
}

async function train(optimizer: () => keras.OptimizerIdentifier, compiled: boolean): Promise<[number[], number[][]]> {
  const x = yann.tensor(Array.from({ length: 30 }, (_, i) => [Math.sin(i), Math.cos(2 * i), (i % 5) / 5]))
  const y = yann.tensor(Array.from({ length: 30 }, (_, i) => [i % 2, i % 3 === 0 ? 1 : 0]))
  const m = model(optimizer())
  compileSwitch.enabled = compiled
  try {
    // batch 8: three full batches and a short one of 6 per epoch (its own plan).
    const h = await m.fit(x, y, { epochs: 5, batchSize: 8, shuffle: false, verbose: 0 })
    return [h.history.loss, m.weights.map((w) => bits(w.read()))]
  } finally {
    compileSwitch.enabled = true
  }
}

describe('keras fit trains through compile()', () => {
  test.each([
    ['sgd', () => 'sgd' as const],
    ['adam (its bias-corrected eps is JS state, updated live)', () => keras.optimizers.adam({ learningRate: 0.05 })],
  ])('bit-identical to eager fit, short last batch included: %s', async (_, optimizer) => {
    const eager = await train(optimizer, false)
    const before = compileSwitch.replays
    const compiled = await train(optimizer, true)
    expect(compileSwitch.replays - before).toBeGreaterThan(10) // most batches replayed
    expect(compiled[0]).toEqual(eager[0])
    expect(compiled[1]).toEqual(eager[1])
  })
})
