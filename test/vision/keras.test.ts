import { describe, expect, it } from 'vitest'
import { F, randn } from '../../src/index.js'
import * as keras from '../../src/keras.js'
import { permute } from '../../src/ops/shape.js'

describe('Keras-style conv layers (channelsLast mapped onto NCHW)', () => {
  it('summary() shows conv2d, maxPooling2d, flatten with TF.js output shapes and parameter counts', () => {
    const m = keras.sequential({
      name: 'cnn',
      layers: [
        keras.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', name: 'c1' }),
        keras.layers.maxPooling2d({ poolSize: 2, name: 'p1' }),
        keras.layers.conv2d({ filters: 16, kernelSize: 3, name: 'c2' }),
        keras.layers.averagePooling2d({ name: 'p2' }),
        keras.layers.flatten({ name: 'f' }),
        keras.layers.dense({ units: 10, name: 'out' }),
      ],
    })
    const lines: string[] = []
    m.summary(undefined, undefined, (l) => lines.push(l))
    const rows = lines.filter((l) => /^\w+ \(/.test(l) && !l.startsWith('Layer (type)')).map((l) => l.replace(/\s+/g, ' ').trim())
    expect(rows).toEqual([
      'c1 (Conv2D) (None, 28, 28, 8) 80',
      'p1 (MaxPooling2D) (None, 14, 14, 8) 0',
      'c2 (Conv2D) (None, 12, 12, 16) 1168',
      'p2 (AveragePooling2D) (None, 6, 6, 16) 0',
      'f (Flatten) (None, 576) 0',
      'out (Dense) (None, 10) 5770',
    ])
    expect(m.predict(randn([2, 28, 28, 1])).shape).toEqual([2, 10])
  })

  it('conv2d channelsLast equals F.conv2d on the permuted input and kernel', () => {
    const layer = keras.layers.conv2d({ filters: 3, kernelSize: [2, 3], strides: 2 })
    const x = randn([2, 7, 8, 4])
    const y = layer.apply(x)
    expect(y.shape).toEqual([2, 3, 3, 3])
    const want = permute(F.conv2d(permute(x, [0, 3, 1, 2]), permute(layer.kernel!, [3, 2, 0, 1]), layer.bias, { stride: 2 }), [0, 2, 3, 1])
    Array.from(y.data).forEach((v, i) => expect(v).toBeCloseTo(want.data[i], 5))
  })
})

describe('Keras-style dropout and batchNormalization: active only while fit() trains', () => {
  it('fit updates the moving statistics; predict is deterministic; summary counts them as non-trainable', async () => {
    const m = keras.sequential({
      layers: [
        keras.layers.conv2d({ inputShape: [6, 6, 1], filters: 2, kernelSize: 3, name: 'c' }),
        keras.layers.batchNormalization({ name: 'bn' }),
        keras.layers.flatten({ name: 'f' }),
        keras.layers.dropout({ rate: 0.5, name: 'd' }),
        keras.layers.dense({ units: 2, activation: 'softmax', name: 'out' }),
      ],
    })
    const lines: string[] = []
    m.summary(undefined, undefined, (l) => lines.push(l))
    expect(lines.find((l) => l.startsWith('bn '))!.replace(/\s+/g, ' ').trim()).toBe('bn (BatchNormalization) (None, 4, 4, 2) 8')
    expect(lines.at(-2)).toBe('Non-trainable params: 4')
    const x = randn([8, 6, 6, 1])
    const a = Array.from(m.predict(x).data)
    expect(Array.from(m.predict(x).data)).toEqual(a)
    const bn = m.layers[1] as keras.layers.BatchNormalization
    expect(Array.from(bn.movingMean!.data)).toEqual([0, 0])
    m.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' })
    await m.fit(x, F.softmax(randn([8, 2]), 1), { epochs: 1, batchSize: 4, verbose: 0 })
    expect(Array.from(bn.movingMean!.data).some((v) => v !== 0)).toBe(true)
    expect(Array.from(bn.movingVariance!.data).every((v) => v !== 1)).toBe(true)
  })
})
