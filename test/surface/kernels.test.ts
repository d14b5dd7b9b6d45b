import { beforeAll, describe, expect, it } from 'vitest'
import { tsBackend as ts } from '../../src/backend/ts/index.js'
import type { CompareOp } from '../../src/backend/types.js'
import { wasmLoader, wasmOnlyBackend as wasm } from '../../src/backend/wasm/index.js'
import { broadcastStrides } from '../../src/shape.js'
import { mulberry32 } from '../rng.js'

/**
 * The surface's wasm kernels (compare, maxAxis, logsumexp) against the ts reference, forced
 * through wasm at every size: SIMD blocks, tails, broadcasts, NaN, ±inf, ties, −0.
 */

beforeAll(() => {
  expect(wasmLoader.loadSync()).not.toBeNull()
})

const dtypes = ['float32', 'float64'] as const
const sizes = [1, 3, 4, 15, 16, 17, 33, 100]
const specials = [NaN, Infinity, -Infinity, 0, -0, 1, 1]

function data(dtype: (typeof dtypes)[number], n: number, seed: number, special = true): Float32Array | Float64Array {
  const r = mulberry32(seed)
  const a = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n)
  // Few distinct values, so ties and equalities happen; some special values.
  for (let i = 0; i < n; i++) a[i] = special && r() < 0.15 ? specials[Math.floor(r() * specials.length)] : Math.round(r() * 8 - 4) / 2
  return a
}

describe('wasm compare kernel = ts', () => {
  const ops: CompareOp[] = ['gt', 'lt', 'ge', 'le', 'eq', 'ne']
  for (const dtype of dtypes) {
    for (const op of ops) {
      it(`${op} ${dtype}: same shape, scalar b, broadcast rows`, () => {
        for (const n of sizes) {
          const a = data(dtype, n, n)
          const b = data(dtype, n, n + 1)
          const run = (be: typeof ts, x: typeof a, y: typeof a, shape: number[], xs: number[], ys: number[]) => {
            const out = new Uint8Array(shape.reduce((p, q) => p * q, 1))
            be.compare(op, x, y, out, shape, xs, ys)
            return Array.from(out)
          }
          expect(run(wasm, a, b, [n], [1], [1])).toEqual(run(ts, a, b, [n], [1], [1]))
          const s = b.subarray(0, 1)
          expect(run(wasm, a, s, [n], [1], [0])).toEqual(run(ts, a, s, [n], [1], [0]))
          // [3, n] against a [n] row and a [3, 1] column.
          const m = data(dtype, 3 * n, 7 * n)
          const col = data(dtype, 3, n + 5)
          const shape = [3, n]
          expect(run(wasm, m, b, shape, [n, 1], broadcastStrides([n], shape))).toEqual(run(ts, m, b, shape, [n, 1], broadcastStrides([n], shape)))
          expect(run(wasm, col, b, shape, broadcastStrides([3, 1], shape), broadcastStrides([n], shape))).toEqual(
            run(ts, col, b, shape, broadcastStrides([3, 1], shape), broadcastStrides([n], shape)),
          )
        }
      })
    }
  }
})

describe('wasm maxAxis and logsumexp kernels = ts', () => {
  const layouts: [number, number, number][] = [
    [1, 1, 1],
    [2, 3, 1],
    [5, 16, 1],
    [3, 37, 1],
    [4, 10, 1],
    [2, 5, 3],
    [3, 9, 17],
  ]
  for (const dtype of dtypes) {
    for (const min of [false, true]) {
      it(`${min ? 'min' : 'max'} ${dtype} with indices`, () => {
        for (const [outer, n, inner] of layouts) {
          const x = data(dtype, outer * n * inner, outer * 100 + n + inner)
          const run = (be: typeof ts) => {
            const values = dtype === 'float32' ? new Float32Array(outer * inner) : new Float64Array(outer * inner)
            const indices = new Int32Array(outer * inner)
            be.maxAxis(x, values, indices, outer, n, inner, min)
            return [Array.from(values).map((v) => (Object.is(v, -0) ? '-0' : v)), Array.from(indices)]
          }
          expect(run(wasm)).toEqual(run(ts))
        }
      })
    }
    it(`logsumexp ${dtype}`, () => {
      for (const [outer, n, inner] of layouts) {
        for (const special of [false, true]) {
          const x = data(dtype, outer * n * inner, outer + n * 7 + inner, special)
          const run = (be: typeof ts) => {
            const out = dtype === 'float32' ? new Float32Array(outer * inner) : new Float64Array(outer * inner)
            be.logsumexp(x, out, outer, n, inner)
            return Array.from(out)
          }
          const [got, want] = [run(wasm), run(ts)]
          got.forEach((g, i) => {
            if (!Number.isFinite(want[i])) expect(g).toBe(want[i])
            else expect(Math.abs(g - want[i])).toBeLessThanOrEqual((dtype === 'float32' ? 1e-6 : 1e-14) * Math.max(1, Math.abs(want[i])))
          })
        }
      }
    })
  }
})

describe('wasm indexSelect and indexAdd kernels = ts', () => {
  for (const dtype of dtypes) {
    it(`${dtype}, repeats and every layout`, () => {
      for (const [outer, n, inner] of [[1, 5, 1], [3, 4, 7], [2, 9, 16], [1, 40, 33]] as const) {
        const r = mulberry32(outer * n + inner)
        const index = Int32Array.from({ length: n + 3 }, () => Math.floor(r() * n))
        const x = data(dtype, outer * n * inner, n)
        const g = data(dtype, outer * index.length * inner, inner, false)
        const run = (be: typeof ts) => {
          const out = dtype === 'float32' ? new Float32Array(outer * index.length * inner) : new Float64Array(outer * index.length * inner)
          const back = dtype === 'float32' ? new Float32Array(outer * n * inner).fill(5) : new Float64Array(outer * n * inner).fill(5)
          be.indexSelect(x, index, out, outer, n, inner)
          be.indexAdd(g, index, back, outer, n, inner)
          return [Array.from(out), Array.from(back)]
        }
        expect(run(wasm)).toEqual(run(ts))
      }
    })
  }
})

describe('wasm gatherAxis and scatterAddAxis kernels = ts', () => {
  for (const dtype of dtypes) {
    it(`${dtype}, repeats and every layout`, () => {
      for (const [outer, n, k, inner] of [[1, 5, 1, 1], [3, 4, 6, 7], [2, 9, 2, 16], [40, 10, 1, 1]] as const) {
        const r = mulberry32(outer * n + inner + k)
        const index = Int32Array.from({ length: outer * k * inner }, () => Math.floor(r() * n))
        const x = data(dtype, outer * n * inner, n)
        const run = (be: typeof ts) => {
          const out = dtype === 'float32' ? new Float32Array(index.length) : new Float64Array(index.length)
          const acc = dtype === 'float32' ? new Float32Array(x.length).fill(0.5) : new Float64Array(x.length).fill(0.5)
          be.gatherAxis(x, index, out, outer, n, inner)
          be.scatterAddAxis(out, index, acc, outer, n, inner)
          return [Array.from(out), Array.from(acc)]
        }
        expect(run(wasm)).toEqual(run(ts))
      }
    })
  }
})
