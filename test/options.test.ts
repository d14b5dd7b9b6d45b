import { describe, expect, it } from 'vitest'
import { gradcheck, nn, tensor } from '../src/index.js'
import { explain, formatExplanation, seedExample } from '../src/explain.js'
import * as keras from '../src/keras.js'
import { GradientTape } from '../src/keras.js'

/**
 * Issue 11 §2.4: every options object rejects unknown keys, naming the key and the known ones
 * (optimisers and loss modules did already; losses' F.* options are the training engineer's).
 */
function model(): keras.Sequential {
  const m = keras.sequential({ layers: [keras.layers.dense({ units: 1, inputShape: [2] })] })
  m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' })
  return m
}

describe('options objects reject unknown keys', () => {
  const x = tensor([[1, 2]])
  const y = tensor([[1]])

  it.each([
    ['nn.Linear', () => new nn.Linear(2, 3, { baias: false } as never), "Linear: unknown option 'baias'; known options are bias, dtype"],
    ['nn.init.kaimingUniform_', () => nn.init.kaimingUniform_(new nn.Linear(2, 3).weight, { mod: 'fanOut' } as never), "kaimingUniform_: unknown option 'mod'; known options are a, mode, nonlinearity"],
    ['gradcheck', () => gradcheck((t) => t.sum(), tensor([1], { dtype: 'float64', requiresGrad: true }), { epsilon: 1e-3 } as never), "gradcheck: unknown option 'epsilon'; known options are eps, atol, rtol"],
    ['explain', () => { const s = seedExample(); explain(s.model, s.input, s.target, 'bce', { learningRate: 1 } as never) }, "explain: unknown option 'learningRate'; known options are lr"],
    ['formatExplanation', () => { const s = seedExample(); formatExplanation(explain(s.model, s.input, s.target, 'bce'), { digits: 3 } as never) }, "formatExplanation: unknown option 'digits'; known options are format, decimals, maxSize"],
    ['GradientTape', () => new GradientTape({ persistant: true } as never), "GradientTape: unknown option 'persistant'; known options are persistent"],
    ['keras.sequential', () => keras.sequential({ layer: [] } as never), "sequential: unknown option 'layer'; known options are layers, name"],
    ['keras.layers.dense', () => keras.layers.dense({ units: 1, activaton: 'relu' } as never), "dense: unknown option 'activaton'"],
    ['compile', () => keras.sequential({ layers: [keras.layers.dense({ units: 1, inputShape: [2] })] }).compile({ optimizer: 'sgd', loss: 'meanSquaredError', metric: ['accuracy'] } as never), "compile: unknown option 'metric'; known options are optimizer, loss, metrics"],
    ['evaluate', () => model().evaluate(x, y, { batch_size: 1 } as never), "evaluate: unknown option 'batch_size'; did you mean batchSize?"],
    ['predict', () => model().predict(x, { bs: 1 } as never), "predict: unknown option 'bs'; known options are batchSize"],
    ['keras.optimizers.sgd', () => keras.optimizers.sgd({ lr: 0.1 } as never), "sgd: unknown option 'lr'; known options are learningRate, momentum, nesterov"],
    ['keras.optimizers.adam', () => keras.optimizers.adam({ beta_1: 0.9 } as never), "adam: unknown option 'beta_1'"],
    ['keras.initializers.glorotUniform', () => keras.initializers.glorotUniform({ sed: 1 } as never), "glorotUniform: unknown option 'sed'; known options are seed"],
    ['keras.initializers.randomNormal', () => keras.initializers.randomNormal({ std: 1 } as never), "randomNormal: unknown option 'std'; known options are mean, stddev, seed"],
  ])('%s', (_, fn, message) => {
    expect(fn).toThrow(message)
  })

  it('fit: its arguments, a plain callback object and the progress options', async () => {
    await expect(model().fit(x, y, { epoch: 2 } as never)).rejects.toThrow("fit: unknown option 'epoch'; known options are batchSize, epochs")
    await expect(model().fit(x, y, { verbose: 0, callbacks: { onEpochEnds: () => {} } as never })).rejects.toThrow("fit: callback 0: unknown option 'onEpochEnds'")
    await expect(model().fit(x, y, { progress: { widht: 10 } } as never)).rejects.toThrow("fit: progress: unknown option 'widht'; known options are output, now, width, interval")
  })

  it('a custom Callback sees the model typed, and can stop training without a cast', async () => {
    class StopAfterOne extends keras.Callback {
      override onEpochEnd(): void {
        this.model!.stopTraining = true
      }
    }
    const history = await model().fit(x, y, { epochs: 5, verbose: 0, callbacks: new StopAfterOne() })
    expect(history.epoch).toEqual([0])
  })
})
