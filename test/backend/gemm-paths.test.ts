import { beforeAll, expect, it } from 'vitest'
import { wasmLoader, wasmOnlyBackend as wasm } from '../../src/backend/wasm/index.js'
import { random, rng } from './helpers.js'

/**
 * The float32 GEMM's paths that skip packing (assembly/gemm-unpacked.ts: fewer than 4 rows;
 * gemm-b-in-place.ts: 8-64 rows, B transposed) give the packed path's bits: each C[i, j] is the
 * same chain of multiply-adds. Rows of C are independent, so the first m rows of a 65-row
 * product (packed) must equal the m-row product of the same rows, bit for bit, on either binary.
 */

beforeAll(() => {
  expect(wasmLoader.loadSync()).not.toBeNull()
})

it('float32 gemm: the unpacked paths give the packed path bit for bit', () => {
  const r = rng(17)
  const M = 65
  for (const [n, k] of [[4, 5], [11, 33], [33, 600], [41, 37]]) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const opA = random('float32', M * k, r) as Float32Array // op(A), [M, k] row-major
        const b = random('float32', k * n, r)
        for (const bias of [null, random('float32', n, r)]) {
          const full = new Float32Array(M * n)
          wasm.gemm(layout(opA, M, k, transA), b, full, { m: M, n, k, transA, transB, bias })
          for (const m of [1, 3, 8, 21, 64]) {
            const part = new Float32Array(m * n)
            wasm.gemm(layout(opA.subarray(0, m * k), m, k, transA), b, part, { m, n, k, transA, transB, bias })
            const what = JSON.stringify({ m, n, k, transA, transB, bias: bias !== null })
            expect(Array.from(part), what).toEqual(Array.from(full.subarray(0, m * n)))
          }
        }
      }
    }
  }
})

/** A for a row-major op(A) [m, k]: itself, or stored transposed ([k, m]) when transA. */
function layout(opA: Float32Array, m: number, k: number, transA: boolean): Float32Array {
  if (!transA) return opA
  const a = new Float32Array(m * k)
  for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) a[p * m + i] = opA[i * k + p]
  return a
}
