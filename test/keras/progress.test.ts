import { describe, expect, it } from 'vitest'
import { tensor } from '../../src/index.js'
import * as keras from '../../src/keras.js'
import { formatValue } from '../../src/keras/progress.js'

/** A stream that keeps what is written, and a clock the test moves by hand (milliseconds). */
function fakes(isTTY: boolean) {
  const out = { text: '', isTTY, write: (s: string) => void (out.text += s) }
  const clock = { t: 0, now: () => clock.t }
  return { out, clock }
}

describe("ProgressBar: Keras's format", () => {
  it('draws the bar, ETA and running values, then the final line with time per step', () => {
    const { out, clock } = fakes(true)
    const bar = new keras.ProgressBar(10, { output: out, now: clock.now })
    clock.t = 1500
    bar.update(3, [['loss', 0.69314718], ['accuracy', 0.5]])
    expect(out.text).toBe('\r 3/10 [========>.....................] - ETA: 3s - loss: 0.6931 - accuracy: 0.5000')
    out.text = ''
    clock.t = 4000
    bar.update(10, [['loss', 0.61], ['accuracy', 0.75]])
    const final = '10/10 [==============================] - 4s 400ms/step - loss: 0.6100 - accuracy: 0.7500'
    expect(out.text).toBe(`\r${final}\n`)
  })

  it('pads over a longer previous line, and redraws at most every 0.05 s', () => {
    const { out, clock } = fakes(true)
    const bar = new keras.ProgressBar(4, { output: out, now: clock.now })
    clock.t = 100
    bar.update(1, [['loss', 123.456789], ['accuracy', 0.25]])
    const first = out.text
    out.text = ''
    clock.t = 120 // 20 ms later: skipped
    bar.update(2, [['loss', 1]])
    expect(out.text).toBe('')
    clock.t = 200
    bar.update(2, [['loss', 1]])
    const line = '2/4 [==============>...............] - ETA: 0s - loss: 1.0000'
    expect(out.text).toBe(`\r${line}${' '.repeat(first.length - 1 - line.length)}`)
  })

  it('writes only the final line to a stream that is not a terminal', () => {
    const { out, clock } = fakes(false)
    const bar = new keras.ProgressBar(2, { output: out, now: clock.now })
    clock.t = 10
    bar.update(1, [['loss', 0.5]])
    expect(out.text).toBe('')
    clock.t = 3
    bar.update(2, [['loss', 0.25]])
    expect(out.text).toBe('2/2 [==============================] - 0s 2ms/step - loss: 0.2500\n')
  })

  it('formats ETAs over a minute and an hour, and per-step times in s, ms and us', () => {
    const eta = (seconds: number): string => {
      const { out, clock } = fakes(true)
      const bar = new keras.ProgressBar(100, { output: out, now: clock.now })
      clock.t = seconds * 1000 // one step took `seconds`: 99 remain
      bar.update(1, [])
      return out.text.split('ETA: ')[1]
    }
    expect(eta(1)).toBe('1:39')
    expect(eta(40)).toBe('1:06:00')
    expect(eta(0.5)).toBe('49s')
    const perStep = (ms: number): string => {
      const { out, clock } = fakes(false)
      const bar = new keras.ProgressBar(1, { output: out, now: clock.now })
      clock.t = ms
      bar.update(1, [])
      return out.text.trim().split(' - ')[1]
    }
    expect(perStep(2000)).toBe('2s 2s/step')
    expect(perStep(12)).toBe('0s 12ms/step')
    expect(perStep(0.4)).toBe('0s 400us/step')
    expect(perStep(0)).toBe('0s 0s/step')
  })

  it("formats values as Keras: 4 decimals, scientific at or below 1e-3", () => {
    expect(formatValue(0.69314718)).toBe('0.6931')
    expect(formatValue(12.5)).toBe('12.5000')
    expect(formatValue(0.00012345)).toBe('1.2345e-04')
    expect(formatValue(0)).toBe('0.0000e+00')
    expect(formatValue(-2.5e-12)).toBe('-2.5000e-12')
  })
})

describe('fit with verbose 1 and 2', () => {
  async function fitOutput(verbose: 1 | 2): Promise<[string, Record<string, number[]>]> {
    const { out, clock } = fakes(false)
    const m = keras.sequential({ layers: [keras.layers.dense({ units: 1, inputShape: [2], activation: 'sigmoid', kernelInitializer: keras.initializers.constant([0.5, -0.5]) })] })
    m.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', metrics: ['accuracy'] })
    const h = await m.fit(tensor([[1, 0], [0, 1], [1, 1], [0, 0]]), tensor([[1], [0], [1], [0]]), {
      epochs: 2,
      batchSize: 2,
      shuffle: false,
      verbose,
      progress: { output: out, now: clock.now },
    })
    return [out.text, h.history]
  }

  it('verbose 1: "Epoch i/n", then the final bar with the epoch\'s loss and metrics', async () => {
    const [text, h] = await fitOutput(1)
    const v = (k: string, e: number) => h[k][e].toFixed(4)
    expect(text).toBe(
      'Epoch 1/2\n' +
        `2/2 [==============================] - 0s 0s/step - loss: ${v('loss', 0)} - accuracy: ${v('accuracy', 0)}\n` +
        'Epoch 2/2\n' +
        `2/2 [==============================] - 0s 0s/step - loss: ${v('loss', 1)} - accuracy: ${v('accuracy', 1)}\n`,
    )
  })

  it('verbose 2: one line per epoch', async () => {
    const [text, h] = await fitOutput(2)
    expect(text).toBe(`Epoch 1/2\n2/2 - 0s - loss: ${h.loss[0].toFixed(4)} - accuracy: ${h.accuracy[0].toFixed(4)}\nEpoch 2/2\n2/2 - 0s - loss: ${h.loss[1].toFixed(4)} - accuracy: ${h.accuracy[1].toFixed(4)}\n`)
  })
})
