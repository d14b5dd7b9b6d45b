import { beforeAll, describe, expect, it } from 'vitest'
import { tsBackend as ts } from '../../src/backend/ts/index.js'
import { wasmLoader, wasmOnlyBackend as wasm } from '../../src/backend/wasm/index.js'
import { mulberry32 } from '../rng.js'

/** The flatIndex kernel (index() with several index tensors): wasm against ts, forced through wasm, and by hand. */

beforeAll(() => {
  expect(wasmLoader.loadSync()).not.toBeNull()
})

describe('flatIndex kernel (advanced indexing): wasm = ts', () => {
  const flat = (be: typeof ts, index: Int32Array, shape: number[], strides: number[], scale: number, start: number[] | null): number[] => {
    const out = start ? Int32Array.from(start) : new Int32Array(shape.reduce((a, b) => a * b, 1)).fill(99)
    be.flatIndex(index, out, shape, strides, scale, start !== null)
    return Array.from(out)
  }

  it('broadcast along any dim, overwrite or add, 0-d', () => {
    const r = mulberry32(9)
    const cases: [number[], number[]][] = [[[200], [1]], [[10, 30], [30, 1]], [[10, 30], [0, 1]], [[10, 30], [1, 0]], [[4, 5, 7], [35, 0, 1]], [[], []], [[3, 0], [0, 1]]]
    for (const [shape, strides] of cases) {
      const reach = shape.reduce((a, s, d) => a + (s - 1) * strides[d], 0) + 1
      const index = Int32Array.from({ length: Math.max(reach, 1) }, () => Math.floor(r() * 50))
      const n = shape.reduce((a, b) => a * b, 1)
      const start = Array.from({ length: n }, () => Math.floor(r() * 1000))
      for (const s of [1, 7]) {
        for (const from of [null, start]) expect(flat(wasm, index, shape, strides, s, from)).toEqual(flat(ts, index, shape, strides, s, from))
      }
    }
  })

  it('by hand: [2, 3] from a column [2, 1] and a row [3]', () => {
    for (const be of [ts, wasm]) {
      const rows = flat(be, Int32Array.from([1, 2]), [2, 3], [1, 0], 4, null)
      expect(rows).toEqual([4, 4, 4, 8, 8, 8])
      expect(flat(be, Int32Array.from([0, 3, 1]), [2, 3], [0, 1], 1, rows)).toEqual([4, 7, 5, 8, 11, 9])
    }
  })
})
