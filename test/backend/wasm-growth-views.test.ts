import { beforeAll, describe, expect, it } from 'vitest'
import { tsBackend as ts } from '../../src/backend/ts/index.js'
import { allocFloat, wasmLoader, wasmOnlyBackend as wasm } from '../../src/backend/wasm/index.js'
import { wasmExports } from '../../src/backend/wasm/runtime.js'
import { expectClose, make, random, rng } from './helpers.js'

/**
 * A kernel given a view of wasm memory (a parameter) with a scalar: when staging the JS output
 * grows the memory, the view is detached mid-call (its length reads 0). The kernel must still see
 * its whole length; it used to take the parameter as a broadcast scalar (`w.mul(2)` gave 2·w[0]
 * everywhere).
 */

beforeAll(() => {
  expect(wasmLoader.loadSync()).not.toBeNull()
})

const r = rng(41)
const memoryBytes = (): number => wasmExports()!.memory.buffer.byteLength

/**
 * A parameter-like block of wasm memory, and its values: `times` the memory's size in bytes, so
 * that once it is placed the free memory cannot hold the kernel's staged output.
 */
function bigParameter(times: number): { view: () => Float32Array; free: () => void; values: Float32Array } {
  const n = Math.ceil((memoryBytes() * times) / 4) + 1024
  const values = random('float32', n, r) as Float32Array
  const block = allocFloat('float32', n)
  block.view().set(values)
  return { view: () => block.view() as Float32Array, free: () => block.free(), values }
}

/** Runs `call`, which must grow wasm memory while it runs. */
function grows(call: () => void): void {
  const before = memoryBytes()
  call()
  expect(memoryBytes()).toBeGreaterThan(before)
}

describe('a view of wasm memory detached by growth while a kernel stages its output', () => {
  it('binary: w * 2 multiplies every element', () => {
    const { view, free, values } = bigParameter(2)
    const n = values.length
    const ref = make('float32', n)
    ts.binary('mul', values, Float32Array.of(2), ref, [n], [1], [0])
    const out = make('float32', n)
    grows(() => wasm.binary('mul', view(), Float32Array.of(2), out, [n], [1], [0]))
    expectClose(out, ref, 'w * 2')
    free()
  })

  it('compare: w > 0 compares every element (the same staging; its kernel reads the lengths too)', () => {
    // Its output is one byte per element: a block 8 times the memory stages 2 memories' worth.
    const { view, free, values } = bigParameter(8)
    const n = values.length
    const ref = new Uint8Array(n)
    ts.compare('gt', values, Float32Array.of(0), ref, [n], [1], [0])
    const out = new Uint8Array(n)
    grows(() => wasm.compare('gt', view(), Float32Array.of(0), out, [n], [1], [0]))
    const mismatch = out.findIndex((v, i) => v !== ref[i])
    expect(mismatch, `first differing element of ${n}`).toBe(-1)
    free()
  })
})
