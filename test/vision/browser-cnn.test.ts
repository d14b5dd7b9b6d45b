import { describe, expect, it } from 'vitest'
import * as yann from '../../src/index.js'
// @ts-expect-error plain ESM without types (the page's own module)
import { train } from '../../examples/browser/train.js'

/** The browser demo's CNN mode (?cnn): its training loop, run here on a few hundred synthetic digits. */
describe('browser demo, CNN mode (examples/browser/train.js)', () => {
  it('trains the reference CNN with cross-entropy, posting every step and epoch', async () => {
    // Two classes the CNN tells apart at once: a bright left half (0) or a bright right half (1).
    const split = (count: number) => {
      const inputs = new Float32Array(count * 784)
      const labels = new Uint8Array(count)
      for (let n = 0; n < count; n++) {
        labels[n] = n % 2
        for (let r = 0; r < 28; r++) for (let c = 0; c < 28; c++) inputs[n * 784 + r * 28 + c] = (c < 14) === (n % 2 === 0) ? 1 : 0
      }
      return { count, inputs, labels, bytes: new Uint8Array(count * 784), targets: new Float32Array(count * 10) }
    }
    const messages: { type: string; loss?: number; accuracy?: number }[] = []
    await train(yann, { train: split(128), test: split(20) }, { model: 'cnn', epochs: 2, batchSize: 16, sampleCount: 4, post: (m: never) => messages.push(m) })
    const losses = messages.filter((m) => m.type === 'batch').map((m) => m.loss!)
    expect(losses).toHaveLength(16)
    expect(losses[15]).toBeLessThan(losses[0])
    const epochs = messages.filter((m) => m.type === 'epoch')
    expect(epochs.at(-1)!.accuracy).toBe(1)
    expect(messages.at(-1)!.type).toBe('done')
  })
})
