import { describe, expect, it } from 'vitest'
import * as keras from '../../src/keras.js'

describe('summary()', () => {
  it("prints Keras's table: names, (None, n) shapes, parameter counts and totals", () => {
    const m = keras.sequential({
      name: 'seed',
      layers: [keras.layers.dense({ units: 3, inputShape: [3], activation: 'relu', name: 'hidden' }), keras.layers.dense({ units: 2, activation: 'sigmoid', name: 'out' })],
    })
    const lines: string[] = []
    const text = m.summary(undefined, undefined, (l) => lines.push(l))
    expect(text).toBe(lines.join('\n'))
    expect(lines).toEqual([
      'Model: "seed"',
      '_________________________________________________________________',
      'Layer (type)                 Output Shape              Param #   ',
      '=================================================================',
      'hidden (Dense)               (None, 3)                 12        ',
      '_________________________________________________________________',
      'out (Dense)                  (None, 2)                 8         ',
      '=================================================================',
      'Total params: 20',
      'Trainable params: 20',
      'Non-trainable params: 0',
      '_________________________________________________________________',
    ])
  })

  it('counts kernel in·out plus bias out, without a bias when useBias is false, and frozen layers as non-trainable', () => {
    const big = keras.layers.dense({ units: 1000, inputShape: [784] })
    const noBias = keras.layers.dense({ units: 10, useBias: false })
    const m = keras.sequential({ layers: [big, noBias] })
    expect(big.countParams()).toBe(785000)
    expect(noBias.countParams()).toBe(10000)
    noBias.trainable = false
    const lines: string[] = []
    m.summary(undefined, undefined, (l) => lines.push(l))
    expect(lines.slice(-4, -1)).toEqual(['Total params: 795,000', 'Trainable params: 785,000', 'Non-trainable params: 10,000'])
    expect(m.countParams()).toBe(795000)
    expect(m.trainableWeights.map((w) => w.name)).toEqual([`${big.name}/kernel`, `${big.name}/bias`])
  })

  it('names layers dense, dense_1, ... and shows an unbuilt model as "multiple" with 0 parameters', () => {
    keras.clearSession()
    const m = keras.sequential({ layers: [keras.layers.dense({ units: 4 }), keras.layers.dense({ units: 1 })] })
    const lines: string[] = []
    m.summary(70, [30, 60, 70], (l) => lines.push(l))
    expect(lines[0]).toBe('Model: "sequential"')
    expect(lines[4]).toBe('dense (Dense)                 multiple                      0         ')
    expect(lines[6]).toBe('dense_1 (Dense)               multiple                      0         ')
    expect(lines[1]).toBe('_'.repeat(70))
  })
})
