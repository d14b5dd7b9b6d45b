import { describe, expect, it } from 'vitest'
import { loadSafetensors, saveSafetensors, SafetensorsError, tensor, type Tensor } from '../../src/index.js'
import { MAX_TENSORS } from '../../src/io/safetensors.js'

/** Issue 11 §3.4: hostile files are a `safetensors:` error in bounded time and memory; odd names survive. */
const enc = new TextEncoder()

function file(headerJson: string, dataBytes = 0): Uint8Array {
  const json = enc.encode(headerJson)
  const out = new Uint8Array(8 + json.length + dataBytes)
  new DataView(out.buffer).setUint32(0, json.length, true)
  out.set(json, 8)
  return out
}

function expectSafetensorsError(fn: () => unknown, message: RegExp): void {
  let caught: unknown
  try {
    fn()
  } catch (error) {
    caught = error
  }
  expect(caught).toBeInstanceOf(SafetensorsError)
  expect((caught as Error).message).toMatch(message)
}

describe('safetensors with hostile input', () => {
  it('a tensor named "__proto__" round-trips through saveSafetensors/loadSafetensors as an own key', () => {
    const dict: Record<string, Tensor> = {}
    Object.defineProperty(dict, '__proto__', { value: tensor([1, 2]), enumerable: true })
    dict.w = tensor([3])
    const { tensors } = loadSafetensors(saveSafetensors(dict))
    expect(Object.getPrototypeOf(tensors)).toBe(Object.prototype)
    expect(Object.keys(tensors).sort()).toEqual(['__proto__', 'w'])
    expect(Array.from(Object.getOwnPropertyDescriptor(tensors, '__proto__')!.value.data)).toEqual([1, 2])
  })

  it('arrays nested 10 000 deep in a header are a safetensors error, not a stack overflow', () => {
    const deep = '['.repeat(10_000) + ']'.repeat(10_000)
    expectSafetensorsError(() => loadSafetensors(file(`{"t":{"dtype":"F32","shape":${deep},"data_offsets":[0,0]}}`)), /^safetensors: tensor "t" shape an array of length 1 has dim an array of length 1; dims must be non-negative integers$/)
    expectSafetensorsError(() => loadSafetensors(file(`{"t":${deep}}`)), /^safetensors: tensor "t" must be an object/)
  })

  it(`more than ${MAX_TENSORS} tensors is refused before decoding them`, () => {
    const entries = Array.from({ length: MAX_TENSORS + 1 }, (_, i) => `"t${i}":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}`)
    const start = performance.now()
    expectSafetensorsError(() => loadSafetensors(file(`{${entries.join(',')}}`)), /^safetensors: header lists 100001 tensors; at most 100000 are accepted/)
    expect(performance.now() - start).toBeLessThan(5000)
  })
})
