import { beforeAll, describe, expect, it } from 'vitest'
import type { FloatArray } from '../../src/dtype.js'
import { tsBackend as ts } from '../../src/backend/ts/index.js'
import type { Backend } from '../../src/backend/types.js'
import { wasmBackend, wasmLoader, wasmOnlyBackend } from '../../src/backend/wasm/index.js'
import { dtypes, expectClose, make, random, rng } from './helpers.js'

/**
 * The batchNorm kernel pair: wasm (forced at every size, and the default dispatch above its
 * threshold) against the ts kernel, both float types, training and eval, with and without
 * weight and bias, row lengths s on both sides of the SIMD width; the batch statistics against
 * a float64 mean and biased variance computed here.
 */

beforeAll(() => {
  expect(wasmLoader.loadSync()).not.toBeNull()
})

// [N, C, S]: S = 1 ([N, C]), odd tails, one SIMD row, a CNN-sized plane.
const shapes = [[300, 5, 1], [3, 4, 35], [2, 3, 8], [6, 2, 196], [1, 3, 2]]

function run(be: Backend, dtype: 'float32' | 'float64', [n, c, s]: number[], training: boolean, affine: boolean, seed: number): FloatArray[] {
  const r = rng(seed)
  const x = random(dtype, n * c * s, r, -3, 5)
  const [w, b] = affine ? [random(dtype, c, r), random(dtype, c, r)] : [null, null]
  const [rm, rv] = training ? [null, null] : [random(dtype, c, r), random(dtype, c, r, 0.2, 2)]
  const [out, mean, variance] = [make(dtype, x.length), make(dtype, c), make(dtype, c)]
  be.batchNorm(x, w, b, rm, rv, out, mean, variance, s, 1e-5)
  const g = random(dtype, x.length, r)
  const [dx, dw, db] = [make(dtype, x.length).fill(7), affine ? make(dtype, c).fill(7) : null, affine ? make(dtype, c).fill(7) : null]
  be.batchNormBackward(x, w, mean, variance, g, dx, dw, db, s, 1e-5, training)
  return [out, mean, variance, dx, ...(dw && db ? [dw, db] : [])]
}

describe('batchNorm kernels: wasm = ts', () => {
  for (const dtype of dtypes) {
    it(`${dtype}: training and eval, with and without weight and bias`, () => {
      for (const shape of shapes) {
        for (const training of [true, false]) {
          for (const affine of [true, false]) {
            const want = run(ts, dtype, shape, training, affine, 11)
            const what = `${dtype} [${shape}] ${training ? 'training' : 'eval'}${affine ? ' affine' : ''}`
            for (const [name, be] of [['forced', wasmOnlyBackend], ['dispatching', wasmBackend]] as const) {
              run(be, dtype, shape, training, affine, 11).forEach((got, i) => expectClose(got, want[i], `${what} ${name} #${i}`, { rel64: 1e-12, floor64: 1e-12 }))
            }
          }
        }
      }
    })
  }

  it('training statistics: the mean and biased variance of each channel over N and S', () => {
    const [n, c, s] = [6, 2, 196]
    for (const dtype of dtypes) {
      for (const be of [ts, wasmOnlyBackend]) {
        const [out, mean, variance] = run(be, dtype, [n, c, s], true, false, 11)
        const x = random('float64', n * c * s, rng(11), -3, 5)
        for (let ch = 0; ch < c; ch++) {
          const values: number[] = []
          for (let i = 0; i < n; i++) for (let j = 0; j < s; j++) values.push(x[(i * c + ch) * s + j])
          const m = values.reduce((a, v) => a + v, 0) / values.length
          const v = values.reduce((a, u) => a + (u - m) ** 2, 0) / values.length
          const tol = dtype === 'float32' ? 1e-6 : 1e-14
          expect(Math.abs(mean[ch] - m), `${be.name} ${dtype} mean`).toBeLessThan(tol * 4)
          expect(Math.abs(variance[ch] - v) / v, `${be.name} ${dtype} variance`).toBeLessThan(tol)
          const first = ch * s
          expect(out[first]).toBeCloseTo((x[first] - m) / Math.sqrt(v + 1e-5), 5)
        }
      }
    }
  })
})
