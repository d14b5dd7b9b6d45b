import { describe, expect, test } from 'vitest'
import { wasmExports } from '../../src/backend/wasm/runtime.js'
import { batch, expectSameAsEager, type DT } from './helpers.js'
import { block, cnn } from './setups.js'

/**
 * Kernels that write several arrays (pooling's values and indices, attention's output and
 * log-sum-exp, layer norm's mean and rstd, GELU's saved Φ): a step using them replays, bit-identical
 * to eager, instead of falling back because a later kernel reads one of those outputs.
 */
describe.each<DT>(['float32', 'float64'])('compile: kernels with several outputs (%s)', (dtype) => {
  test('a CNN (conv2d, maxPool2d, avgPool2d) with Adam replays bit-identically', () => {
    const step = expectSameAsEager(() => cnn(dtype), (i) => batch(i, [2, 1, 8, 8], [2, 3], dtype), 20)
    expect(step.fallbackReason).toBeNull()
  })

  test('the CNN still replays bit-identically when wasm memory grows between steps (the conv bias travels in an options object)', () => {
    // memory.grow detaches every view of wasm memory, the parameters' included.
    const grow = (i: number): void => void (i % 5 === 3 && wasmExports()?.memory.grow(1))
    const step = expectSameAsEager(() => cnn(dtype), (i) => batch(i, [2, 1, 8, 8], [2, 3], dtype), 20, grow)
    expect(step.fallbackReason).toBeNull()
  })

  test('a transformer block (layerNorm, attention, GELU) with AdamW replays bit-identically', () => {
    const step = expectSameAsEager(() => block(dtype), (i) => batch(i, [2, 5, 8], [2, 5, 8], dtype), 20)
    expect(step.fallbackReason).toBeNull()
  })
})
