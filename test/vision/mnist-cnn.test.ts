import { describe, expect, it } from 'vitest'
import { manualSeed } from '../../src/index.js'
import { main as cli } from '../../src/cli.js'
import { createCnn, evaluate, parseCnnArgs, trainCnn } from '../../examples/mnist-cnn.js'
import { loadFullMnist, parseIdx } from '../../examples/mnist-cnn/idx.js'

/** A short run of the MNIST CNN example (the 3-epoch run is `yann train-cnn`, not a test). */

describe('MNIST CNN (examples/mnist-cnn.ts)', () => {
  it('parseIdx reads the header and refuses a wrong magic number or length', () => {
    const bytes = Uint8Array.from([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6])
    const idx = parseIdx(bytes)
    expect(idx.shape).toEqual([2, 3])
    expect(Array.from(idx.data)).toEqual([1, 2, 3, 4, 5, 6])
    expect(() => parseIdx(Uint8Array.from([0, 0, 13, 1, 0, 0, 0, 1, 0]), 'x.idx')).toThrow('x.idx: not an IDX file of unsigned bytes (magic 00000d01')
    expect(() => parseIdx(bytes.subarray(0, 15), 'y.idx')).toThrow('y.idx: shape [2,3] needs 18 bytes, the file has 15')
  })

  it('trains on all of MNIST: 60 000 + 10 000 digits; 160 steps of a narrow version make the loss fall and reach > 70% on 500 test digits', () => {
    const data = loadFullMnist()
    expect([data.train.count, data.test.count]).toEqual([60000, 10000])
    expect(Array.from(data.test.labels.subarray(0, 5))).toEqual([7, 2, 1, 0, 4])
    manualSeed(0)
    const model = createCnn({ c1: 4, c2: 8, hidden: 32, dropout: 0 })
    const losses: number[] = []
    const [r] = trainCnn(model, { train: data.train, test: { ...data.test, count: 500 } }, { epochs: 1, maxSteps: 160, batchSize: 16, progress: false, onBatch: (_, l) => losses.push(l) })
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length
    expect(losses).toHaveLength(160)
    const first = mean(losses.slice(0, 10))
    expect(first).toBeGreaterThan(1.5) // ≈ ln 10 untrained
    expect(mean(losses.slice(-40))).toBeLessThan(0.5 * first)
    expect(r.accuracy).toBeGreaterThan(0.7)
    expect(evaluate(model, { ...data.test, count: 500 }).correct).toBe(r.correct)
    model.dispose()
  }, 120_000) // a shared 2-core machine under load

  it('yann train-cnn: bad arguments go to stderr with the usage, exit 2', async () => {
    expect(() => parseCnnArgs(['--epochs', '0'])).toThrow("--epochs must be a whole number ≥ 1, got '0'")
    const err: string[] = []
    const code = await cli(['train-cnn', '--backend', 'gpu'], { stdout: () => {}, stderr: (t) => void err.push(t), readFile: () => '' })
    expect(code).toBe(2)
    expect(err.join('')).toMatch(/^yann train-cnn: --backend must be wasm or ts, got 'gpu'\n\nUsage: yann train-cnn/)
  })
})
