import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createModel, evaluate, main, parseArgs, predict, train, trainMnistCommand } from '../examples/mnist.js'
import { CLASSES, PIXELS, decodeAsset, encodeAsset, loadDigits, loadMnist, pixelValue, splitDigits } from '../examples/mnist/data.js'
import { getBackend, loadSafetensors, manualSeed } from '../src/index.js'
import { save } from '../src/node.js'

/** Samples per digit in the mnist package (1.1.0): 10 000 in all. */
const PER_DIGIT = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]

const tmp = mkdtempSync(join(tmpdir(), 'yann-mnist-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

/** Same elements, bit for bit (vitest's toEqual walks millions of elements slowly). */
function sameBits(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0 && a.constructor === b.constructor
}

const row = (a: Float32Array, n: number, width = PIXELS): Float32Array => a.subarray(n * width, (n + 1) * width)

describe('MNIST data (examples/mnist/data.ts)', () => {
  const digits = loadDigits()
  const data = loadMnist()

  it('reads the package\'s 10 000 digits, values in [0, 1]', () => {
    expect(digits.map((d) => d.length / PIXELS)).toEqual(PER_DIGIT)
    for (const d of digits) {
      expect(Math.min(...d.subarray(0, 20000))).toBe(0)
      expect(d.every((v) => v >= 0 && v <= 1)).toBe(true)
    }
  })

  it('splits 8 000 / 2 000: 800 of each digit to train, the rest to test', () => {
    expect(data.train.count).toBe(8000)
    expect(data.test.count).toBe(2000)
    const count = (labels: Uint8Array) => Array.from({ length: CLASSES }, (_, d) => labels.filter((l) => l === d).length)
    expect(count(data.train.labels)).toEqual(Array(10).fill(800))
    expect(count(data.test.labels)).toEqual(PER_DIGIT.map((n) => n - 800))
    expect(data.train.inputs.length).toBe(8000 * PIXELS)
    expect(data.test.targets.length).toBe(2000 * CLASSES)
  })

  it('interleaves training samples: sample 0 of digits 0..9, then sample 1, ...', () => {
    for (let n = 0; n < 8000; n++) {
      expect(data.train.labels[n]).toBe(n % 10)
      expect(data.train.indices[n]).toBe(Math.floor(n / 10))
    }
    for (const n of [0, 1, 9, 10, 4321, 7999]) {
      const d = n % 10
      const i = Math.floor(n / 10)
      expect(sameBits(row(data.train.inputs, n), row(digits[d], i))).toBe(true)
    }
  })

  it('interleaves test samples from 800 on; a digit drops out of the rotation when it runs out', () => {
    expect([...data.test.labels.subarray(0, 10)]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect([...data.test.indices.subarray(0, 10)]).toEqual(Array(10).fill(800))
    // Digit 5 has the fewest (863): from sample 863 on, rounds have 9 digits, and so on.
    const round863 = [...data.test.labels.keys()].filter((n) => data.test.indices[n] === 863).map((n) => data.test.labels[n])
    expect(round863).toEqual([0, 1, 2, 3, 4, 6, 7, 8, 9])
    // The last samples are digit 1's (1 127 samples, the most).
    expect(data.test.labels[1999]).toBe(1)
    expect(data.test.indices[1999]).toBe(1126)
    for (let n = 1; n < 2000; n++) {
      const [a, b] = [data.test.indices[n - 1], data.test.indices[n]]
      expect(b > a || (b === a && data.test.labels[n] > data.test.labels[n - 1])).toBe(true)
    }
    expect(sameBits(row(data.test.inputs, 1999), row(digits[1], 1126))).toBe(true)
  })

  it('one-hot targets match the labels', () => {
    for (const split of [data.train, data.test]) {
      for (let n = 0; n < split.count; n++) {
        const t = row(split.targets, n, CLASSES)
        expect(t.reduce((a, b) => a + b, 0)).toBe(1)
        expect(t[split.labels[n]]).toBe(1)
      }
    }
  })

  it('is deterministic: the same arrays on every call', () => {
    const again = splitDigits(loadDigits())
    for (const side of ['train', 'test'] as const) {
      for (const field of ['inputs', 'targets', 'labels', 'indices'] as const) expect(sameBits(again[side][field], data[side][field]), `${side}.${field}`).toBe(true)
    }
  })

  it('splits small made-up digits the same way', () => {
    const fake = [3, 1, 2].map((n, d) => Float32Array.from({ length: n * PIXELS }, (_, i) => d * 10 + Math.floor(i / PIXELS)))
    const s = splitDigits(fake, 1)
    expect([...s.train.labels]).toEqual([0, 1, 2])
    expect([...s.test.labels]).toEqual([0, 2, 0])
    expect([...s.test.indices]).toEqual([1, 1, 2])
    expect([0, 1, 2].map((n) => s.test.inputs[n * PIXELS])).toEqual([1, 21, 2])
    expect(() => splitDigits(fake, 2)).toThrow(/only 1/)
  })

  it('the browser asset holds every pixel exactly in a byte', () => {
    expect(pixelValue(253)).toBe(0.992)
    const bytes = encodeAsset(data)
    expect(bytes.length).toBe(11 + 8 + 10000 * (PIXELS + 1))
    const back = decodeAsset(bytes)
    for (const side of ['train', 'test'] as const) {
      expect(back[side].count).toBe(data[side].count)
      for (const field of ['inputs', 'targets', 'labels'] as const) expect(sameBits(back[side][field], data[side][field]), `${side}.${field}`).toBe(true)
    }
    expect(() => decodeAsset(bytes.subarray(0, 1000))).toThrow(/expected/)
  })
})

describe('MNIST example (examples/mnist.ts)', () => {
  const data = loadMnist()

  it('parses its arguments', () => {
    expect(parseArgs([])).toEqual({ backends: ['wasm', 'ts'], epochs: 3, save: null, seed: 0 })
    expect(parseArgs(['--backend', 'ts', '--epochs=2', '--save', 'm.safetensors', '--seed', '7'])).toEqual({ backends: ['ts'], epochs: 2, save: 'm.safetensors', seed: 7 })
    expect(() => parseArgs(['--backend', 'gpu'])).toThrow(/wasm, ts or both/)
    expect(() => parseArgs(['--epochs', '0'])).toThrow(/whole number/)
    expect(() => parseArgs(['--lr', '1'])).toThrow(/unknown option/)
    expect(() => parseArgs(['--save'])).toThrow(/needs a value/)
  })

  it('bad arguments print the usage and return 2', async () => {
    const out: string[] = []
    expect(await main(['--epochs', 'x'], (...p) => out.push(p.join(' ')))).toBe(2)
    expect(out.join('\n')).toMatch(/--epochs must be a whole number[\s\S]*Usage: yann train-mnist/)
  })

  it('yann train-mnist: bad arguments go to stderr with the usage, exit 2', async () => {
    const out: string[] = []
    const err: string[] = []
    const code = await trainMnistCommand.run(['--backend', 'gpu'], { stdout: (t) => out.push(t), stderr: (t) => err.push(t) })
    expect(code).toBe(2)
    expect(out).toEqual([])
    expect(err.join('')).toMatch(/^yann train-mnist: --backend must be wasm, ts or both, got 'gpu'\n\nUsage: yann train-mnist/)
  })

  it(
    'reaches ≥ 90% test accuracy after 3 epochs (batch 64, SGD lr 0.5 momentum 0.9), and the saved weights give the same predictions',
    async () => {
      manualSeed(0)
      const model = createModel()
      const losses: number[] = []
      const start = performance.now()
      const results = train(model, data, { progress: false, onBatch: (_, l) => losses.push(l) })
      const seconds = (performance.now() - start) / 1000
      console.log(
        `[mnist] ${getBackend()} backend: ${results.map((r) => `epoch ${r.epoch} ${(r.accuracy * 100).toFixed(2)}% ${r.seconds.toFixed(2)} s`).join(', ')}; ` +
          `${seconds.toFixed(1)} s with evaluation`,
      )
      expect(losses).toHaveLength(3 * 125)
      const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length
      expect(mean(losses.slice(-125))).toBeLessThan(mean(losses.slice(0, 125)))
      expect(results.map((r) => r.epoch)).toEqual([1, 2, 3])
      expect(results[2].accuracy).toBeGreaterThanOrEqual(0.9)
      expect(results[2].correct).toBe(Math.round(results[2].accuracy * 2000))

      const file = join(tmp, 'direct.safetensors')
      await save(file, model.stateDict())
      const bytes = readFileSync(file)
      const loaded = createModel()
      loaded.loadStateDict(loadSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)).tensors)
      expect(sameBits(predict(loaded, data.test.inputs), predict(model, data.test.inputs))).toBe(true)
      expect(evaluate(loaded, data.test)).toEqual({ accuracy: results[2].accuracy, correct: results[2].correct })
      model.dispose()
      loaded.dispose()
    },
    300_000,
  )

  it(
    'main --save writes safetensors that load back into the model (one epoch, current backend)',
    async () => {
      const backend = getBackend()
      const file = join(tmp, 'main.safetensors')
      const lines: string[] = []
      let bar = ''
      const code = await main(['--backend', backend, '--epochs', '1', '--save', file], (...p) => lines.push(p.join(' ')), { write: (t) => void (bar += t) })
      expect(code).toBe(0)
      expect(getBackend()).toBe(backend)
      expect(bar).toMatch(/^Epoch 1\/1\n125\/125 \[=+\] - .* - loss: 0\.\d{4}\n$/)
      const text = lines.join('\n')
      expect(text).toMatch(new RegExp(`epoch 1: test accuracy \\d+\\.\\d\\d% \\(\\d+/2000\\), \\d+\\.\\d\\d s training \\(${backend}\\)`))
      expect(text).toContain(`saved the weights to ${file}`)

      const bytes = readFileSync(file)
      const { tensors, metadata } = loadSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength))
      expect(Object.keys(tensors).sort()).toEqual(['0.bias', '0.weight', '2.bias', '2.weight'])
      expect(tensors['0.weight'].shape).toEqual([128, 784])
      const model = createModel()
      model.loadStateDict(tensors)
      const { accuracy, correct } = evaluate(model, data.test)
      expect(String(accuracy)).toBe(metadata.testAccuracy)
      expect(text).toContain(`(${correct}/2000)`)
      model.dispose()
    },
    300_000,
  )
})
