import { describe, expect, it } from 'vitest'
import { manualSeed, randn, tensor } from '../../src/index.js'
import * as keras from '../../src/keras.js'

/** Issue 11 §2.11 (fit on 0 samples, a second fit while one runs) and §4 (fit's messages in the user's terms). */
function model(units: number, loss: keras.LossName): keras.Sequential {
  manualSeed(1)
  const m = keras.sequential({ layers: [keras.layers.dense({ units, inputShape: [3] })] })
  m.compile({ optimizer: 'sgd', loss })
  return m
}

describe('fit errors', () => {
  it('fit on 0 samples is an error, not loss [NaN]', async () => {
    await expect(model(1, 'meanSquaredError').fit(randn([0, 3]), randn([0, 1]), { verbose: 0 })).rejects.toThrow('fit: x has no samples (shape [0, 3]); there is nothing to train on')
  })

  it('a second fit while one is running is refused; after it ends, fit works again', async () => {
    const m = model(1, 'meanSquaredError')
    const first = m.fit(randn([64, 3]), randn([64, 1]), { verbose: 0, epochs: 2 })
    await expect(m.fit(randn([8, 3]), randn([8, 1]), { verbose: 0 })).rejects.toThrow('fit: this model is already fitting; await the running fit() before starting another')
    await first
    const h = await m.fit(randn([8, 3]), randn([8, 1]), { verbose: 0 })
    expect(h.epoch).toEqual([0])
  })

  it("an out-of-range sparse label is reported at its index in the user's y, not in a shuffled batch", async () => {
    const y = tensor(Array.from({ length: 64 }, (_, i) => (i === 50 ? 7 : i % 3)), { dtype: 'int32' })
    await expect(model(3, 'sparseCategoricalCrossentropy').fit(randn([64, 3]), y, { verbose: 0 })).rejects.toThrow('fit: y[50] is 7, not a class index in [0, 2] (the model outputs 3 classes)')
  })

  it("y of shape [64] against an output [64, 1] names the data's shapes, not a batch's", async () => {
    await expect(model(1, 'meanSquaredError').fit(randn([64, 3]), randn([64]), { verbose: 0 })).rejects.toThrow(
      "fit: y has shape [64] but the model's output for it is [64, 1]; the loss meanSquaredError needs equal shapes. Reshape y to [64, 1].",
    )
  })

  it('validationData without y says what it must be', async () => {
    await expect(model(1, 'meanSquaredError').fit(randn([8, 3]), randn([8, 1]), { verbose: 0, validationData: [randn([2, 3])] as never })).rejects.toThrow(
      'fit: validationData must be [x, y] (inputs and targets), got an array of length 1',
    )
  })
})
