import { describe, expect, it } from 'vitest'
import { manualSeed, randn, tensor, type Tensor } from '../../src/index.js'
import * as keras from '../../src/keras.js'

/**
 * Wrong inputs to the Keras-style API (layer configs, compile, fit, evaluate, predict): each is
 * an Error whose message starts with the method or layer that refused it, never a result, a raw
 * TypeError from inside yann or a wasm trap.
 */

function denseModel(): keras.Sequential {
  manualSeed(1)
  const m = keras.sequential({ layers: [keras.layers.dense({ units: 4, inputShape: [3], activation: 'relu' }), keras.layers.dense({ units: 2, activation: 'softmax' })] })
  m.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['accuracy'] })
  return m
}

function convModel(): keras.Sequential {
  manualSeed(1)
  const m = keras.sequential({
    layers: [keras.layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [6, 6, 1] }), keras.layers.maxPooling2d({}), keras.layers.flatten(), keras.layers.dense({ units: 3 })],
  })
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' })
  return m
}

const x = (): Tensor => randn([8, 3])
const y = (): Tensor => tensor(Array.from({ length: 8 }, (_, i) => [i % 2, 1 - (i % 2)]))

/** [what, op the message must start with, the call] */
const LAYER_CASES: [string, string, () => unknown][] = [
  ['dense units 0', 'Dense', () => keras.layers.dense({ units: 0 })],
  ['dense units 1.5', 'Dense', () => keras.layers.dense({ units: 1.5 })],
  ['dense units as a string', 'Dense', () => keras.layers.dense({ units: '4' as never })],
  ['dense without units', 'Dense', () => keras.layers.dense({} as never)],
  ['dense unknown activation', 'Dense', () => keras.layers.dense({ units: 2, activation: 'swishy' as never })],
  ['dense unknown key', 'dense', () => keras.layers.dense({ units: 2, unitz: 3 } as never)],
  ['dense inputShape with 0', 'Dense', () => keras.layers.dense({ units: 2, inputShape: [0] })],
  ['conv2d kernelSize 0', 'Conv2D', () => keras.layers.conv2d({ filters: 2, kernelSize: 0 })],
  ['conv2d filters -1', 'Conv2D', () => keras.layers.conv2d({ filters: -1, kernelSize: 3 })],
  ['conv2d strides 0', 'Conv2D', () => keras.layers.conv2d({ filters: 2, kernelSize: 3, strides: 0 })],
  ['conv2d padding bogus', 'Conv2D', () => keras.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'bogus' as never })],
  ['conv2d dataFormat bogus', 'Conv2D', () => keras.layers.conv2d({ filters: 2, kernelSize: 3, dataFormat: 'nhwc' as never })],
  ['conv2d kernelSize of three', 'Conv2D', () => keras.layers.conv2d({ filters: 2, kernelSize: [3, 3, 3] as never })],
  ['maxPooling2d poolSize 0', 'MaxPooling2D', () => keras.layers.maxPooling2d({ poolSize: 0 })],
  ['averagePooling2d strides 1.5', 'AveragePooling2D', () => keras.layers.averagePooling2d({ strides: 1.5 })],
  ['dropout rate 1.5', 'Dropout', () => keras.layers.dropout({ rate: 1.5 })],
  ['dropout rate as a string', 'Dropout', () => keras.layers.dropout({ rate: '0.5' as never })],
  ['batchNormalization momentum as a string', 'BatchNormalization', () => keras.layers.batchNormalization({ momentum: 'x' as never })],
  ['batchNormalization epsilon 0', 'BatchNormalization', () => keras.layers.batchNormalization({ epsilon: 0 })],
]

const MODEL_CASES: [string, string, () => unknown][] = [
  ['compile unknown loss', 'compile', () => denseModel().compile({ optimizer: 'sgd', loss: 'hinge' as never })],
  ['compile unknown optimizer', 'compile', () => denseModel().compile({ optimizer: 'lbfgs' as never, loss: 'meanSquaredError' })],
  ['compile unknown metric', 'compile', () => denseModel().compile({ optimizer: 'sgd', loss: 'meanSquaredError', metrics: ['f1'] as never })],
  ['compile without loss', 'compile', () => denseModel().compile({ optimizer: 'sgd' } as never)],
  ['predict wrong features', 'predict', () => denseModel().predict(randn([2, 4]))],
  ['predict rank 1', 'predict', () => denseModel().predict(randn([3]))],
  ['predict batchSize 0', 'predict', () => denseModel().predict(x(), { batchSize: 0 })],
  ['predict conv wrong channels', 'predict', () => convModel().predict(randn([2, 6, 6, 3]))],
  ['predict conv too small', 'predict', () => convModel().predict(randn([2, 2, 2, 1]))],
  ['evaluate wrong y shape', 'evaluate', () => denseModel().evaluate(x(), randn([8, 3]))],
  ['evaluate mismatched samples', 'evaluate', () => denseModel().evaluate(x(), randn([7, 2]))],
  ['evaluate unknown option', 'evaluate', () => denseModel().evaluate(x(), y(), { batchsize: 2 } as never)],
  ['evaluate sparse label out of range', 'evaluate', () => convModel().evaluate(randn([2, 6, 6, 1]), tensor([0, 5], { dtype: 'int32' }))],
  ['evaluate sparse float label', 'evaluate', () => convModel().evaluate(randn([2, 6, 6, 1]), tensor([0.5, 1]))],
]

const FIT_CASES: [string, () => Promise<unknown>][] = [
  ['batchSize 0', () => denseModel().fit(x(), y(), { verbose: 0, batchSize: 0 })],
  ['batchSize 1.5', () => denseModel().fit(x(), y(), { verbose: 0, batchSize: 1.5 })],
  ['batchSize as a string', () => denseModel().fit(x(), y(), { verbose: 0, batchSize: '4' as never })],
  ['epochs -1', () => denseModel().fit(x(), y(), { verbose: 0, epochs: -1 })],
  ['epochs NaN', () => denseModel().fit(x(), y(), { verbose: 0, epochs: NaN })],
  ['validationSplit 1.5', () => denseModel().fit(x(), y(), { verbose: 0, validationSplit: 1.5 })],
  ['validationSplit 1', () => denseModel().fit(x(), y(), { verbose: 0, validationSplit: 1 })],
  ['shuffle as a string', () => denseModel().fit(x(), y(), { verbose: 0, shuffle: 'yes' as never })],
  ['unknown option', () => denseModel().fit(x(), y(), { verbose: 0, epoch: 3 } as never)],
  ['verbose 3', () => denseModel().fit(x(), y(), { verbose: 3 as never })],
  ['yieldEvery bogus', () => denseModel().fit(x(), y(), { verbose: 0, yieldEvery: 'step' as never })],
  ['initialEpoch -1', () => denseModel().fit(x(), y(), { verbose: 0, initialEpoch: -1 })],
  ['x with NaN features', () => denseModel().fit(randn([8, 4]), y(), { verbose: 0 })],
  ['y of the wrong width', () => denseModel().fit(x(), randn([8, 3]), { verbose: 0 })],
  ['y a string', () => denseModel().fit(x(), 'labels' as never, { verbose: 0 })],
  ['x null', () => denseModel().fit(null as never, y(), { verbose: 0 })],
  ['validationData of the wrong width', () => denseModel().fit(x(), y(), { verbose: 0, validationData: [randn([2, 3]), randn([2, 5])] })],
  ['a callback that is not one', () => denseModel().fit(x(), y(), { verbose: 0, callbacks: [42] as never })],
]

function message(e: unknown): string {
  expect(e, 'an Error').toBeInstanceOf(Error)
  expect((e as Error).constructor.name).not.toBe('RuntimeError')
  return (e as Error).message
}

describe('the Keras-style API refuses wrong inputs, naming the method or layer', () => {
  for (const [what, op, call] of [...LAYER_CASES, ...MODEL_CASES]) {
    it(`${what}: ${op}`, () => {
      let thrown: unknown = null
      try {
        call()
      } catch (e) {
        thrown = e
      }
      expect(message(thrown)).toMatch(new RegExp(`^${op}\\b`))
    })
  }
  for (const [what, call] of FIT_CASES) {
    it(`fit, ${what}`, async () => {
      let thrown: unknown = null
      try {
        await call()
      } catch (e) {
        thrown = e
      }
      expect(message(thrown)).toMatch(/^fit\b/)
    })
  }
})
