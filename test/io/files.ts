import { expect } from 'vitest'

/** Building safetensors files byte by byte for the reader's tests, and checking its errors. */

const enc = new TextEncoder()

/** A file from a header (object or raw JSON text) and data bytes; header padded like Python does unless `pad` is false. */
export function build(header: unknown, data: Uint8Array | number = 0, pad = true): Uint8Array {
  let json = enc.encode(typeof header === 'string' ? header : JSON.stringify(header))
  if (pad && json.length % 8 !== 0) {
    const padded = new Uint8Array(json.length + 8 - (json.length % 8)).fill(0x20)
    padded.set(json)
    json = padded
  }
  const body = typeof data === 'number' ? new Uint8Array(data) : data
  const out = new Uint8Array(8 + json.length + body.length)
  new DataView(out.buffer).setUint32(0, json.length, true)
  out.set(json, 8)
  out.set(body, 8 + json.length)
  return out
}

export function expectError(fn: () => unknown, pattern: RegExp): void {
  let caught: unknown
  try {
    fn()
  } catch (err) {
    caught = err
  }
  expect(caught, 'expected an error').toBeInstanceOf(Error)
  const message = (caught as Error).message
  expect(message.startsWith('safetensors: ')).toBe(true)
  expect(message).toMatch(pattern)
}

export const f32 = (name = 'x', shape = [2], offsets = [0, 8]) => ({ [name]: { dtype: 'F32', shape, data_offsets: offsets } })
