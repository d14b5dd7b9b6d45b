import { describe, expect, it } from 'vitest'
import { binariesTable, groupRates, type BinaryRun } from '../../bench/binaries.js'

/**
 * bench/binaries.ts reports each binary against TF.js-wasm measured in the same child: the
 * table and the targets (bench/run.ts) take TF.js-wasm as the mean of the two children's rates.
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
  it('gives a group rate per binary and TF.js-wasm as the mean of both children', () => {
    expect(groupRates([plain, relaxed], 'GEMM n=256 A·B', 'yann-wasm kernel')).toEqual({ plain: 33e9, relaxed: 39.6e9, tf: 25e9 })
    expect(groupRates([plain, relaxed], 'MLP step batch 256', 'yann-wasm')).toBeUndefined()
  })

  it('writes one row per contestant and group, GEMM in GFLOP/s, steps in ms', () => {
    expect(binariesTable([plain, relaxed]).slice(2)).toEqual([
      '| GEMM n=256 A·B (public API) | 30.0 GFLOP/s | 36.0 GFLOP/s | 1.20× | 25.0 GFLOP/s | 1.20× | 1.44× |',
      '| GEMM n=256 A·B (kernel) | 33.0 GFLOP/s | 39.6 GFLOP/s | 1.20× | 25.0 GFLOP/s | 1.32× | 1.58× |',
      '| MLP step batch 32 | 1.250 ms | 1.000 ms | 1.25× | 8.000 ms | 6.40× | 8.00× |',
    ])
  })
})
