import { describe, expect, it } from 'vitest'
import { loadSafetensors, saveSafetensors, SafetensorsError, tensor, type Tensor } from '../../src/index.js'
import { decodeSafetensors, MAX_TENSORS } from '../../src/io/safetensors.js'
import { build, expectError, f32 } from './files.js'

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

describe('hostile files', () => {
  it('rejects files shorter than 8 bytes', () => {
    expectError(() => decodeSafetensors(new Uint8Array(0)), /0 bytes, shorter than the 8-byte header length/)
    expectError(() => decodeSafetensors(new Uint8Array(7)), /7 bytes, shorter than the 8-byte/)
  })

  it('rejects a header length beyond the file', () => {
    const file = build({})
    new DataView(file.buffer).setUint32(0, 9, true)
    expectError(() => decodeSafetensors(file), /header length 9 is beyond the end of the file \(16 bytes/)
  })

  it('rejects headers over 100 MB, including u64 lengths over 2^32', () => {
    const file = build({})
    new DataView(file.buffer).setUint32(0, 100_000_001, true)
    expectError(() => decodeSafetensors(file), /header length 100000001 is over the 100000000-byte \(100 MB\) limit/)
    new DataView(file.buffer).setBigUint64(0, 2n ** 64n - 1n, true)
    expectError(() => decodeSafetensors(file), /header length 18446744073709551615 is over/)
  })

  it('rejects invalid UTF-8 and invalid JSON', () => {
    const file = build('{"a":1}')
    file[9] = 0xff
    expectError(() => decodeSafetensors(file), /header is not valid UTF-8/)
    expectError(() => decodeSafetensors(build('{"a":')), /header is not valid JSON/)
    expectError(() => decodeSafetensors(build('{} x')), /header is not valid JSON/)
  })

  it('rejects a header that is not an object', () => {
    for (const h of ['[]', '"x"', '42', 'null', ' {}']) {
      expectError(() => decodeSafetensors(build(h)), /header must be a JSON object starting with '\{'/)
    }
  })

  it('rejects entries missing dtype, shape or data_offsets, or not objects', () => {
    expectError(() => decodeSafetensors(build({ x: { shape: [1], data_offsets: [0, 4] } }, 4)), /tensor "x" is missing "dtype"/)
    expectError(() => decodeSafetensors(build({ x: { dtype: 'F32', data_offsets: [0, 4] } }, 4)), /tensor "x" is missing "shape"/)
    expectError(() => decodeSafetensors(build({ x: { dtype: 'F32', shape: [1] } }, 4)), /tensor "x" is missing "data_offsets"/)
    expectError(() => decodeSafetensors(build({ x: [1] })), /tensor "x" must be an object \{dtype, shape, data_offsets\}, got \[1\]/)
    expectError(() => decodeSafetensors(build({ x: 'F32' })), /tensor "x" must be an object/)
  })

  it('rejects fields of the wrong type', () => {
    const entry = (o: object) => build({ x: { dtype: 'F32', shape: [1], data_offsets: [0, 4], ...o } }, 4)
    expectError(() => decodeSafetensors(entry({ dtype: 32 })), /tensor "x" dtype must be a string, got 32/)
    expectError(() => decodeSafetensors(entry({ shape: 1 })), /tensor "x" shape must be an array of non-negative integers, got 1/)
    expectError(() => decodeSafetensors(entry({ shape: [-1] })), /tensor "x" shape \[-1\] has dim -1; dims must be non-negative integers/)
    expectError(() => decodeSafetensors(entry({ shape: [1.5] })), /shape \[1.5\] has dim 1.5/)
    expectError(() => decodeSafetensors(entry({ shape: ['1'] })), /shape \["1"\] has dim "1"/)
    expectError(() => decodeSafetensors(entry({ shape: [2 ** 53] })), /has dim 9007199254740992/)
    for (const offsets of [[0], [0, 4, 8], [-1, 4], [0, 4.5], ['0', '4'], null, { begin: 0 }]) {
      expectError(
        () => decodeSafetensors(entry({ data_offsets: offsets })),
        /tensor "x" data_offsets must be two non-negative integers \[begin, end\]/,
      )
    }
  })

  it('rejects unknown and unsupported dtypes, naming the supported ones', () => {
    for (const dtype of ['BF16', 'F16', 'U8']) {
      expectError(
        () => decodeSafetensors(build({ x: { dtype, shape: [1], data_offsets: [0, 2] } }, 2)),
        new RegExp(`tensor "x" has unsupported dtype "${dtype}"; supported dtypes are F32, F64, I32, I64 \\(read as int32\\), BOOL`),
      )
    }
    expectError(
      () => decodeSafetensors(build({ x: { dtype: 'float32', shape: [1], data_offsets: [0, 4] } }, 4)),
      /has unknown dtype "float32"; supported dtypes are F32, F64, I32, I64 \(read as int32\), BOOL/,
    )
  })

  it("reads PyTorch's int64 index tensors as int32, and refuses a value outside int32", () => {
    const body = new Uint8Array(24)
    const view = new DataView(body.buffer)
    ;[0n, 5n, -3n].forEach((v, i) => view.setBigInt64(8 * i, v, true))
    const { tensors } = decodeSafetensors(build({ idx: { dtype: 'I64', shape: [3], data_offsets: [0, 24] } }, body))
    expect(tensors.idx.dtype).toBe('int32')
    expect(Array.from(tensors.idx.data)).toEqual([0, 5, -3])
    view.setBigInt64(8, 2n ** 40n, true)
    expectError(
      () => decodeSafetensors(build({ idx: { dtype: 'I64', shape: [3], data_offsets: [0, 24] } }, body)),
      /tensor "idx" \(I64\) holds 1099511627776 at element 1, outside int32/,
    )
  })

  it('rejects offsets out of range, reversed, overlapping, with gaps or not covering the data', () => {
    expectError(() => decodeSafetensors(build(f32('x', [2], [0, 8]), 4)), /tensor "x" data_offsets \[0, 8\] are out of range: the data section is 4 bytes/)
    expectError(() => decodeSafetensors(build(f32('x', [0], [8, 4]), 8)), /tensor "x" data_offsets \[8, 4\] have begin > end/)
    expectError(
      () => decodeSafetensors(build({ ...f32('a', [2], [0, 8]), ...f32('b', [2], [4, 12]) }, 12)),
      /tensor "b" data_offsets \[4, 12\] overlap tensor "a" \[0, 8\]/,
    )
    expectError(
      () => decodeSafetensors(build({ ...f32('a', [1], [0, 4]), ...f32('b', [1], [0, 4]) }, 4)),
      /tensor "b" data_offsets \[0, 4\] overlap tensor "a" \[0, 4\]/,
    )
    expectError(
      () => decodeSafetensors(build({ ...f32('a', [1], [0, 4]), ...f32('b', [1], [8, 12]) }, 12)),
      /data bytes \[4, 8\) before tensor "b" belong to no tensor; data_offsets must cover the data section exactly/,
    )
    expectError(() => decodeSafetensors(build(f32('x', [1], [4, 8]), 8)), /data bytes \[0, 4\) before tensor "x" belong to no tensor/)
    expectError(
      () => decodeSafetensors(build(f32('x', [1], [0, 4]), 5)),
      /data_offsets cover 4 bytes but the data section is 5 bytes; they must cover it exactly/,
    )
    expectError(() => decodeSafetensors(build({}, 1)), /data_offsets cover 0 bytes but the data section is 1 bytes/)
  })

  it('rejects a shape that does not match its byte range', () => {
    expectError(
      () => decodeSafetensors(build(f32('x', [3], [0, 8]), 8)),
      /tensor "x" shape \[3\] of F32 needs 12 bytes but data_offsets \[0, 8\] hold 8/,
    )
    expectError(
      () => decodeSafetensors(build(f32('x', [2 ** 40, 2 ** 40], [0, 8]), 8)),
      /needs 4\.83\d+e\+24 bytes but data_offsets \[0, 8\] hold 8/,
    )
  })

  it('rejects bad __metadata__', () => {
    expectError(() => decodeSafetensors(build({ __metadata__: { format: 1 } })), /"__metadata__" value for "format" must be a string, got 1/)
    expectError(() => decodeSafetensors(build({ __metadata__: { a: null } })), /value for "a" must be a string, got null/)
    expectError(() => decodeSafetensors(build({ __metadata__: ['pt'] })), /"__metadata__" must be an object of string → string, got \["pt"\]/)
    expectError(() => decodeSafetensors(build({ __metadata__: 'pt' })), /"__metadata__" must be an object/)
  })

  it('shortens very long names in messages', () => {
    const name = 'n'.repeat(10_000)
    let message = ''
    try {
      decodeSafetensors(build({ [name]: { dtype: 'X', shape: [], data_offsets: [0, 0] } }))
    } catch (err) {
      message = (err as Error).message
    }
    expect(message).toMatch(/^safetensors: tensor "n+\.\.\." has unknown dtype "X"/)
    expect(message.length).toBeLessThan(200)
  })

  it('rejects input that is not a Uint8Array', () => {
    expectError(() => decodeSafetensors([1, 2, 3] as unknown as Uint8Array), /expected a Uint8Array of file bytes/)
  })
})
