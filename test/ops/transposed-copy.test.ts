import { describe, expect, it } from 'vitest'
import { gradcheck, Tensor } from '../../src/index.js'
import { tsBackend } from '../../src/backend/ts/index.js'
import { wasmOnlyBackend } from '../../src/backend/wasm/index.js'
import type { FloatArray, FloatDType } from '../../src/dtype.js'
import { mulberry32 } from '../rng.js'

/**
 * Transposed copies (.T, transpose, permute) bit for bit against the index formula
 * y[idx] = x[Σ idx[d]·stride(x, axes[d])], on this project's backend (ts, or wasm forced at every
 * size). The wasm kernel copies transposed rows in bands of 8 by v128 tiles (assembly/strided-copy.ts):
 * the shapes put ragged bands, tails shorter than a v128, one row and one column at the edges.
 */

const dtypes: FloatDType[] = ['float32', 'float64']
const specials = [0, -0, Infinity, -Infinity, NaN, 1e-40, -3.5e38]

function input(dtype: FloatDType, shape: number[], seed: number, withSpecials = true): Tensor {
  const next = mulberry32(seed)
  const n = shape.reduce((a, b) => a * b, 1)
  const data = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n)
  for (let i = 0; i < n; i++) data[i] = withSpecials && i % 11 === 5 ? specials[(i / 11) % specials.length | 0] : next() * 2 - 1
  return new Tensor(data, shape)
}

/** The words of x permuted by `axes`, copied word by word in plain loops: the expected bits. */
function expectedBits(x: FloatArray, shape: number[], axes: number[]): Uint32Array {
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1))
  const outShape = axes.map((d) => shape[d])
  const words = x.BYTES_PER_ELEMENT / 4
  const src = new Uint32Array(x.buffer, x.byteOffset, x.length * words)
  const out = new Uint32Array(x.length * words)
  for (let i = 0; i < x.length; i++) {
    let rest = i
    let at = 0
    for (let d = outShape.length - 1; d >= 0; d--) {
      at += (rest % outShape[d]) * strides[axes[d]]
      rest = Math.floor(rest / outShape[d])
    }
    for (let w = 0; w < words; w++) out[i * words + w] = src[at * words + w]
  }
  return out
}

const bits = (a: FloatArray): Uint32Array => new Uint32Array(a.buffer, a.byteOffset, (a.length * a.BYTES_PER_ELEMENT) / 4)

const reversed = (n: number): number[] => [...Array(n).keys()].reverse()

// [shape, axes]: .T of matrices around every band and tile edge, then 3-D and 4-D permutes.
const cases: [number[], number[]][] = [
  ...[1, 2, 3, 4, 5, 7, 8, 9, 12, 17, 33].flatMap((r) => [1, 3, 4, 8, 9, 16, 19].map((c): [number[], number[]] => [[r, c], [1, 0]])),
  [[130, 67], [1, 0]],
  [[64, 256], [1, 0]],
  [[8, 40, 12], [0, 2, 1]], // bands of 8 then 4 in each batch
  [[3, 9, 10], [0, 2, 1]],
  [[2, 5, 9], [2, 1, 0]], // the dim above the row is not the source's contiguous dim
  [[4, 6, 5], [1, 0, 2]], // contiguous rows, permuted in the middle
  [[2, 3, 5, 7], [0, 3, 1, 2]],
  [[2, 3, 5, 7], [3, 2, 1, 0]],
  [[2, 3, 5, 7], [0, 2, 3, 1]],
  [[3, 4, 10, 9], [0, 1, 3, 2]],
  [[5, 1, 12, 6], [2, 3, 1, 0]],
]

describe('transposed copies, bit for bit', () => {
  for (const dtype of dtypes) {
    it(`permute ${dtype}`, () => {
      cases.forEach(([shape, axes], k) => {
        const x = input(dtype, shape, k + 1)
        const y = x.permute(axes)
        expect(y.shape, `${shape} ${axes}`).toEqual(axes.map((d) => shape[d]))
        expect(bits(y.data as FloatArray), `permute ${JSON.stringify([shape, axes])} ${dtype}`).toEqual(expectedBits(x.data as FloatArray, shape, axes))
      })
    })

    it(`.T and transpose ${dtype}`, () => {
      for (const shape of [[9, 17], [1, 21], [21, 1], [3, 8, 13], [2, 3, 9, 10]]) {
        const x = input(dtype, shape, shape.length)
        expect(bits(x.T.data as FloatArray), `.T ${shape}`).toEqual(expectedBits(x.data as FloatArray, shape, reversed(shape.length)))
        const axes = shape.map((_, i) => i)
        ;[axes[0], axes[shape.length - 1]] = [axes[shape.length - 1], axes[0]]
        const t = x.transpose(0, -1)
        expect(bits(t.data as FloatArray), `transpose(0, -1) ${shape}`).toEqual(expectedBits(x.data as FloatArray, shape, axes))
      }
    })
  }

  it('both kernels: negative strides and an offset (a flipped window, transposed)', () => {
    // out[i][j] = x[40 + i - 8j] of x = arange(48): rows start at adjacent elements walking x backwards.
    for (const dtype of dtypes) {
      const x = dtype === 'float32' ? new Float32Array(48) : new Float64Array(48)
      x.forEach((_, i) => (x[i] = i))
      const ref = Array.from({ length: 8 * 6 }, (_, q) => 40 + Math.floor(q / 6) - 8 * (q % 6))
      for (const kernels of [tsBackend, wasmOnlyBackend]) {
        const out = dtype === 'float32' ? new Float32Array(48) : new Float64Array(48)
        kernels.stridedCopy(x, out, [8, 6], [1, -8], 40)
        expect(Array.from(out), `${kernels === tsBackend ? 'ts' : 'wasm'} ${dtype}`).toEqual(ref)
      }
    }
  })

  it('gradient through a banded permute (float64 finite differences)', () => {
    const x = input('float64', [3, 9, 10], 7, false)
    x.requiresGrad = true
    const w = input('float64', [3, 10, 9], 8, false)
    expect(gradcheck((t) => t.permute(0, 2, 1).mul(w), [x])).toBe(true)
  })
})
