import { describe, expect, it } from 'vitest'
import { binariesTable, groupRates, type BinaryRun } from '../../bench/binaries.js'

/**
 * bench/binaries.ts reports each binary against TF.js-wasm measured beside it in the same child
 * process (the table and the targets of bench/run.ts).
 */
const plain: BinaryRun = {
  relaxedSimd: false,
  groups: [
    { key: 'GEMM n=256 A·B', rates: { 'yann-wasm': 30e9, 'yann-wasm kernel': 33e9, 'tfjs-wasm': 24e9 } },
    { key: 'MLP step batch 32', rates: { 'yann-wasm': 800, 'tfjs-wasm': 100 } },
  ],
}
const relaxed: BinaryRun = {
  relaxedSimd: true,
  groups: [
    { key: 'GEMM n=256 A·B', rates: { 'yann-wasm': 36e9, 'yann-wasm kernel': 39.6e9, 'tfjs-wasm': 26e9 } },
    { key: 'MLP step batch 32', rates: { 'yann-wasm': 1000, 'tfjs-wasm': 150 } },
  ],
}

describe('bench/binaries.ts', () => {
  it("gives a group's rate on each binary with TF.js-wasm's beside it", () => {
    expect(groupRates([plain, relaxed], 'GEMM n=256 A·B', 'yann-wasm kernel')).toEqual({ plain: 33e9, relaxed: 39.6e9, tfPlain: 24e9, tfRelaxed: 26e9 })
    expect(groupRates([plain, relaxed], 'MLP step batch 256', 'yann-wasm')).toBeUndefined()
  })

  it('writes one row per contestant and group, GEMM in GFLOP/s, steps in ms', () => {
    expect(binariesTable([plain, relaxed]).slice(2)).toEqual([
      '| GEMM n=256 A·B (public API) | 30.0 GFLOP/s | 36.0 GFLOP/s | 1.20× | 24.0 / 26.0 GFLOP/s | 1.25× | 1.38× |',
      '| GEMM n=256 A·B (kernel) | 33.0 GFLOP/s | 39.6 GFLOP/s | 1.20× | 24.0 / 26.0 GFLOP/s | 1.38× | 1.52× |',
      '| MLP step batch 32 | 1.250 ms | 1.000 ms | 1.25× | 10.000 / 6.667 ms | 8.00× | 6.67× |',
    ])
  })
})
