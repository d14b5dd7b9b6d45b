import { describe, expect, it } from 'vitest'
import { main as classify } from '../../examples/classify-blobs.js'

describe('classify-blobs: DataLoader, CrossEntropyLoss, RMSprop + StepLR, clipGradNorm, accuracy by argmax + eq + mean', () => {
  it('trains to a high accuracy on held-out points, the loss falling', () => {
    const lines: string[] = []
    const { losses, trainAccuracy, testAccuracy } = classify((line) => lines.push(String(line)), 6)
    expect(lines[5]).toMatch(/^epoch 6: loss \d\.\d{4}, lr 0\.005$/)
    expect(losses[5]).toBeLessThan(0.6 * losses[0])
    // Three blobs 2–4 standard deviations apart: a few points overlap, nearly all separate.
    expect(trainAccuracy).toBeGreaterThan(0.95)
    expect(testAccuracy).toBeGreaterThan(0.95)
  })
})
