import { beforeAll, describe, expect, it } from 'vitest'
import type { FloatArray, FloatDType } from '../../src/dtype.js'
import { BINARY_NAMES } from '../../src/backend/optable-binary.js'
import { UNARY_NAMES, unaryEntry } from '../../src/backend/optable.js'
import { tsBackend as ts } from '../../src/backend/ts/index.js'
import { sameBits } from '../../src/backend/wasm/twins.js'
import { wasmLoader, wasmOnlyBackend as wasm } from '../../src/backend/wasm/index.js'
import { dtypes, make, rng } from './helpers.js'

/**
 * The kernels src/backend/wasm/twins.ts marks as twins: their ts and wasm forms must give the
 * same values, −0 and NaN included, for every input (compile() replays the wasm one where eager
 * ran the ts one). The optimiser kernels are compared in wasm-optim-kernels.test.ts. Inputs
 * spread over 120 binary orders of magnitude, so a sum in another order rounds differently.
 */

beforeAll(() => {
  expect(wasmLoader.loadSync()).not.toBeNull()
})

const SPECIAL = [0, -0, 0.5, -0.5, 1.5, -2.5, 3, Infinity, -Infinity, NaN, 1e30, -1e-40, 2 ** 24 + 1]
const sizes = [1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 63, 64, 65, 127, 255]

/** n values of mixed magnitude; with `special`, the special ones mixed in. */
function values(dtype: FloatDType, n: number, r: () => number, special = false): FloatArray {
  const a = make(dtype, n)
  for (let i = 0; i < n; i++) a[i] = special && r() < 0.25 ? SPECIAL[Math.floor(r() * SPECIAL.length)] : (r() - 0.5) * 2 ** Math.floor(r() * 120 - 60)
  return a
}

/** Values as vitest compares them apart: −0 and NaN by name. */
function keys(a: FloatArray): (number | string)[] {
  return Array.from(a, (v) => (Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? '-0' : v))
}

function expectTwins(got: FloatArray, ref: FloatArray, what: string): void {
  expect(keys(got), what).toEqual(keys(ref))
}

describe.each(dtypes)('twin kernels, ts and wasm give the same values: %s', (dtype) => {
  const r = rng(dtype === 'float32' ? 11 : 12)

  it('the marks: exact elementwise ops are twins, transcendental ones are not', () => {
    expect(UNARY_NAMES.filter((op) => sameBits('unary', [op]))).toEqual(['neg', 'abs', 'relu', 'sign', 'floor', 'round'])
    expect(UNARY_NAMES.filter((op) => unaryEntry(op).transcendental && sameBits('unary', [op]))).toEqual([])
    expect(BINARY_NAMES.filter((op) => sameBits('binary', [op]))).toEqual(['add', 'sub', 'mul', 'div', 'maximum', 'gt', 'eq'])
    expect(sameBits('softmax', [])).toBe(false)
  })

  it('unary and unaryBackward, every twin op', () => {
    for (const op of UNARY_NAMES.filter((o) => sameBits('unary', [o]))) {
      for (const n of sizes) {
        const x = values(dtype, n, r, true)
        const dy = values(dtype, n, r, true)
        const [y, yRef, dx, dxRef] = [make(dtype, n), make(dtype, n), make(dtype, n), make(dtype, n)]
        ts.unary(op, x, yRef)
        wasm.unary(op, x, y)
        expectTwins(y, yRef, `${op} n=${n}`)
        ts.unaryBackward(op, x, yRef, dy, dxRef)
        wasm.unaryBackward(op, x, yRef, dy, dx)
        expectTwins(dx, dxRef, `${op} backward n=${n}`)
      }
    }
  })

  it('binary, every twin op, same shapes and broadcast', () => {
    for (const op of BINARY_NAMES.filter((o) => sameBits('binary', [o]))) {
      for (const n of sizes) {
        const [a, b] = [values(dtype, n, r, true), values(dtype, n, r, true)]
        const [out, ref] = [make(dtype, n), make(dtype, n)]
        ts.binary(op, a, b, out, [n], [1], [1])
        wasm.binary(op, a, b, ref, [n], [1], [1])
        expectTwins(out, ref, `${op} n=${n}`)
        // [n, 3] ⊙ [3] and a scalar ⊙ [n, 3]
        const [m, row, s] = [values(dtype, 3 * n, r, true), values(dtype, 3, r), values(dtype, 1, r)]
        const [o2, r2] = [make(dtype, 3 * n), make(dtype, 3 * n)]
        ts.binary(op, m, row, o2, [n, 3], [3, 1], [0, 1])
        wasm.binary(op, m, row, r2, [n, 3], [3, 1], [0, 1])
        expectTwins(o2, r2, `${op} [${n}, 3] by a row`)
        ts.binary(op, s, m, o2, [n, 3], [0, 0], [3, 1])
        wasm.binary(op, s, m, r2, [n, 3], [0, 0], [3, 1])
        expectTwins(o2, r2, `${op} a scalar by [${n}, 3]`)
      }
    }
  })

  it('stridedCopy: a transpose and a strided window', () => {
    for (const n of sizes) {
      const x = values(dtype, 4 * n, r, true)
      const [out, ref] = [make(dtype, 4 * n), make(dtype, 4 * n)]
      ts.stridedCopy(x, out, [4, n], [1, 4], 0)
      wasm.stridedCopy(x, ref, [4, n], [1, 4], 0)
      expectTwins(out, ref, `transpose n=${n}`)
      const [w, wRef] = [make(dtype, n), make(dtype, n)]
      ts.stridedCopy(x, w, [n], [3], 1)
      wasm.stridedCopy(x, wRef, [n], [3], 1)
      expectTwins(w, wRef, `every third n=${n}`)
    }
  })

  it('sumAxis: rows (four partial sums), columns, chunks of 256 columns, scaled', () => {
    const shapes = [[1, 1, 1], [1, 3, 1], [1, 64, 1], [8, 10, 1], [16, 14, 1], [3, 255, 1], [2, 1000, 1], [1, 8, 10], [4, 9, 5], [2, 64, 300], [3, 5, 7]]
    for (const [outer, n, inner] of shapes) {
      for (const scale of [1, 1 / n]) {
        for (const special of [false, true]) {
          const x = values(dtype, outer * n * inner, r, special)
          const [out, ref] = [make(dtype, outer * inner), make(dtype, outer * inner)]
          ts.sumAxis(x, out, outer, n, inner, scale)
          wasm.sumAxis(x, ref, outer, n, inner, scale)
          expectTwins(out, ref, `[${outer}, ${n}, ${inner}] scale ${scale}${special ? ', special values' : ''}`)
        }
      }
    }
    // 2⁶⁰ + 1 rounds to 2⁶⁰: in order the row sums to 1, in wasm's partial sums to 2.
    const x = make(dtype, 9).map((_, i) => [2 ** 60, 1, -(2 ** 60), 1][i % 4])
    for (const n of [4, 8, 9]) {
      const [out, ref] = [make(dtype, 1), make(dtype, 1)]
      ts.sumAxis(x, out, 1, n, 1, 1)
      wasm.sumAxis(x, ref, 1, n, 1, 1)
      expectTwins(out, ref, `2⁶⁰, 1, −2⁶⁰, 1, … n=${n}`)
    }
  })
})
