import { beforeAll, describe, expect, it } from 'vitest'
import { tsBackend as ts } from '../../src/backend/ts/index.js'
import { wasmLoader, wasmOnlyBackend as wasm } from '../../src/backend/wasm/index.js'
import { mulberry32 } from '../rng.js'

/** The additiveMask kernel (attention's bool attnMask): wasm against ts, forced through wasm, and by hand. */

beforeAll(() => {
  expect(wasmLoader.loadSync()).not.toBeNull()
})

const numel = (shape: number[]) => shape.reduce((a, b) => a * b, 1)

function additive(be: typeof ts, mask: Uint8Array, shape: number[], strides: number[], f64: boolean): number[] {
  const out = (f64 ? new Float64Array(numel(shape)) : new Float32Array(numel(shape))).fill(99)
  be.additiveMask(mask, out, shape, strides)
  return Array.from(out)
}

describe('additiveMask kernel: wasm = ts', () => {
  it('broadcast along any dim, both float types, 0-d, empty', () => {
    const r = mulberry32(5)
    const cases: [number[], number[]][] = [
      [[200], [1]], [[10, 30], [30, 1]], [[10, 30], [0, 1]], [[10, 30], [1, 0]], [[4, 5, 7], [35, 0, 1]], [[2, 3, 4, 5], [0, 20, 5, 1]], [[], []], [[3, 0], [0, 1]],
    ]
    for (const [shape, strides] of cases) {
      const reach = shape.reduce((a, s, d) => a + Math.max(s - 1, 0) * strides[d], 0) + 1
      const mask = Uint8Array.from({ length: reach }, () => (r() < 0.5 ? 1 : 0))
      for (const f64 of [false, true]) {
        const got = additive(wasm, mask, shape, strides, f64)
        expect(got).toEqual(additive(ts, mask, shape, strides, f64))
        expect(got.every((x) => x === 0 || x === -Infinity)).toBe(true)
      }
    }
  })

  it('by hand: a column [2, 1] and a row [3] broadcast to [2, 3]; a mask whose buffer ends mid-word', () => {
    for (const be of [ts, wasm]) {
      for (const f64 of [false, true]) {
        expect(additive(be, Uint8Array.from([1, 0]), [2, 3], [1, 0], f64)).toEqual([0, 0, 0, -Infinity, -Infinity, -Infinity])
        expect(additive(be, Uint8Array.from([0, 1, 1]), [2, 3], [0, 1], f64)).toEqual([-Infinity, 0, 0, -Infinity, 0, 0])
        // Five bytes in a buffer of five: no float32 view of it (the wasm binding runs ts).
        expect(additive(be, Uint8Array.from([1, 0, 0, 1, 1]), [5], [1], f64)).toEqual([0, -Infinity, -Infinity, 0, 0])
      }
    }
  })
})
