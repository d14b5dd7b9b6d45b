import { describe, expect, test } from 'vitest'
import { backendInfo } from '../../src/index.js'
import { batch, expectSameAsEager } from '../compile/helpers.js'
import { everyOptimizer, seed } from '../compile/setups.js'

// The wasm plan interpreter's small gemm (assembly/plan.ts) takes its products through the same
// madd as gemm.ts: with relaxed_madd too, a compiled step matches eager bit for bit.
describe.each(['float32', 'float64'] as const)('compile on yann-relaxed.wasm (%s)', (dtype) => {
  test('the seed network and every optimiser replay in the interpreter, bit-identical to eager', () => {
    expect(backendInfo().relaxedSimd).toBe(true)
    const a = expectSameAsEager(() => seed(dtype), (i) => batch(i, [3], [2], dtype), 100)
    const b = expectSameAsEager(() => everyOptimizer(dtype), (i) => batch(i, [6, 4], [6, 2], dtype), 100)
    expect([a.replayPath, b.replayPath]).toEqual(['wasm', 'wasm'])
  })
})
