import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { encodeDelta } from '../../scripts/wasm-delta.mjs'
import { decodeBase64 } from '../../src/backend/wasm/base64.js'
import { relaxedWasmBytes } from '../../src/backend/wasm/binary-sizes.generated.js'
import { relaxedWasmDeltaBase64, wasmBase64 } from '../../src/backend/wasm/binary.generated.js'
import { applyDelta } from '../../src/backend/wasm/delta.js'

/** The relaxed binary ships as a delta from the plain one (scripts/wasm-delta.mjs, src/backend/wasm/delta.ts). */
describe('wasm binary delta', () => {
  it('rebuilds the embedded relaxed binary byte for byte as build/yann-relaxed.wasm', () => {
    const rebuilt = applyDelta(decodeBase64(wasmBase64), decodeBase64(relaxedWasmDeltaBase64), relaxedWasmBytes)
    expect(Buffer.from(rebuilt).equals(readFileSync('build/yann-relaxed.wasm'))).toBe(true)
  })

  it('round-trips edited, shifted, grown and shrunk byte strings, and empty ones', () => {
    const base = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7919) % 251)
    const cases = [
      base,
      new Uint8Array(0),
      Uint8Array.from([1, 2, 3]),
      Uint8Array.from([...base.subarray(0, 1000), 9, 9, 9, ...base.subarray(1000)]), // insertion (offsets ≥ 128: two-byte numbers)
      Uint8Array.from([...base.subarray(2000), ...base.subarray(0, 500)]), // blocks moved
      Uint8Array.from([...base.subarray(0, 10), ...base.subarray(400, 2990), 255]), // shrunk, literal at the end
    ]
    for (const target of cases) {
      const delta = encodeDelta(base, target)
      expect(Array.from(applyDelta(base, delta, target.length))).toEqual(Array.from(target))
    }
    expect(() => applyDelta(base, encodeDelta(base, base), 5000)).toThrow(/rebuilt 3000 bytes, expected 5000/)
    expect(() => applyDelta(base, encodeDelta(base, base), 10)).toThrow() // more than `size`: RangeError
  })
})
