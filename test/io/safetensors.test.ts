import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { decodeSafetensors, encodeSafetensors, type RawTensor } from '../../src/io/safetensors.js'
import { load, save } from '../../src/io/node.js'
import { mulberry32 } from '../rng.js'

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url))
const fixtureBytes = (name: string) => new Uint8Array(readFileSync(join(fixtures, name)))
const fixtureJson = (name: string) =>
  JSON.parse(readFileSync(join(fixtures, name), 'utf8')) as {
    dtype: string
    input: { shape: number[]; data: number[] }
    output: { shape: number[]; data: number[] }
  }

import { build, expectError, f32 } from './files.js'

const enc = new TextEncoder()

// ---------------------------------------------------------------------------

describe('PyTorch fixtures', () => {
  const expected: [string, number[]][] = [
    ['0.weight', [8, 5]],
    ['0.bias', [8]],
    ['2.weight', [4, 8]],
    ['2.bias', [4]],
    ['4.weight', [2, 4]],
  ]

  for (const [suffix, dtype, ctor, tol] of [
    ['f32', 'float32', Float32Array, 1e-6],
    ['f64', 'float64', Float64Array, 1e-12],
  ] as const) {
    describe(`torch-mlp-${suffix}`, () => {
      const bytes = fixtureBytes(`torch-mlp-${suffix}.safetensors`)
      const decode = () => decodeSafetensors(bytes)

      it('has the state dict keys, shapes, dtypes and metadata', () => {
        const { tensors, metadata } = decode()
        expect(Object.keys(tensors).sort()).toEqual(expected.map(([k]) => k).sort())
        for (const [key, shape] of expected) {
          const t = tensors[key]!
          expect(t.shape).toEqual(shape)
          expect(t.dtype).toBe(dtype)
          expect(t.data).toBeInstanceOf(ctor)
          expect(t.data.length).toBe(shape.reduce((a, b) => a * b, 1))
        }
        expect(metadata).toEqual({ format: 'pt' })
      })

      it('reproduces the recorded PyTorch output (proves the bytes were read right)', () => {
        const { tensors } = decode()
        const { input, output } = fixtureJson(`torch-mlp-${suffix}.json`)
        // y = x·Wᵀ + b, in float64
        const linear = (x: number[][], w: RawTensor, b?: RawTensor) => {
          const [out, inp] = w.shape as [number, number]
          return x.map((row) => {
            expect(row.length).toBe(inp)
            return Array.from({ length: out }, (_, o) => {
              let s = b ? b.data[o]! : 0
              for (let i = 0; i < inp; i++) s += row[i]! * w.data[o * inp + i]!
              return s
            })
          })
        }
        const map = (x: number[][], f: (v: number) => number) => x.map((r) => r.map(f))
        const [batch, features] = input.shape as [number, number]
        const x = Array.from({ length: batch }, (_, r) => input.data.slice(r * features, (r + 1) * features))
        let h = map(linear(x, tensors['0.weight']!, tensors['0.bias']), (v) => Math.max(v, 0))
        h = map(linear(h, tensors['2.weight']!, tensors['2.bias']), Math.tanh)
        const y = map(linear(h, tensors['4.weight']!), (v) => 1 / (1 + Math.exp(-v))).flat()
        expect(output.shape).toEqual([3, 2])
        expect(y.length).toBe(output.data.length)
        for (let i = 0; i < y.length; i++) expect(Math.abs(y[i]! - output.data[i]!)).toBeLessThanOrEqual(tol)
      })

      it('re-encodes to identical bytes', () => {
        const { tensors, metadata } = decode()
        expect(encodeSafetensors(tensors, metadata)).toEqual(bytes)
      })
    })
  }
})

// ---------------------------------------------------------------------------

describe('encode/decode round trip', () => {
  it('round-trips mixed dtypes, scalars, empty tensors and special values', () => {
    const tensors: Record<string, RawTensor> = {
      b: { dtype: 'float32', shape: [2, 3], data: new Float32Array([1, -2, 3.5, NaN, Infinity, -0]) },
      a: { dtype: 'int32', shape: [3], data: new Int32Array([-(2 ** 31), 0, 2 ** 31 - 1]) },
      c: { dtype: 'float64', shape: [], data: new Float64Array([Math.PI]) },
      empty: { dtype: 'float64', shape: [0, 4], data: new Float64Array(0) },
    }
    const bytes = encodeSafetensors(tensors, { z: '1', a: 'ü "quoted"\n' })
    const back = decodeSafetensors(bytes)
    expect(back.metadata).toEqual({ a: 'ü "quoted"\n', z: '1' })
    expect(Object.keys(back.tensors).sort()).toEqual(['a', 'b', 'c', 'empty'])
    for (const [k, t] of Object.entries(tensors)) {
      expect(back.tensors[k]!.dtype).toBe(t.dtype)
      expect(back.tensors[k]!.shape).toEqual(t.shape)
      expect(back.tensors[k]!.data).toBeInstanceOf(t.data.constructor)
      expect(Array.from(back.tensors[k]!.data)).toEqual(Array.from(t.data))
    }
    expect(Object.is(back.tensors.b!.data[5], -0)).toBe(true)
    expect(encodeSafetensors(back.tensors, back.metadata)).toEqual(bytes)
  })

  it('lays data out like Python safetensors: larger dtype first, then by name; header padded with spaces', () => {
    const bytes = encodeSafetensors({
      i: { dtype: 'int32', shape: [1], data: new Int32Array([7]) },
      b: { dtype: 'float32', shape: [1], data: new Float32Array([1]) },
      a: { dtype: 'float32', shape: [1], data: new Float32Array([2]) },
      z: { dtype: 'float64', shape: [1], data: new Float64Array([3]) },
    })
    const n = new DataView(bytes.buffer).getUint32(0, true)
    expect(n % 8).toBe(0)
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + n))
    const json =
      '{"z":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},' +
      '"a":{"dtype":"F32","shape":[1],"data_offsets":[8,12]},' +
      '"b":{"dtype":"F32","shape":[1],"data_offsets":[12,16]},' +
      '"i":{"dtype":"I32","shape":[1],"data_offsets":[16,20]}}'
    expect(n).toBe(Math.ceil(json.length / 8) * 8)
    expect(header).toBe(json.padEnd(n, ' '))
    expect(Array.from(new Float64Array(bytes.slice(8 + n, 16 + n).buffer))).toEqual([3])
    expect(bytes.length).toBe(8 + n + 20)
  })

  it('sorts names by code point (UTF-8 byte order), keeps integer-like names in order, metadata first', () => {
    const t = (v: number): RawTensor => ({ dtype: 'float32', shape: [1], data: new Float32Array([v]) })
    const bytes = encodeSafetensors({ '10': t(1), '9': t(2), '\u{1F600}': t(3), '\uFFFF': t(4), A: t(5) }, { format: 'pt' })
    const n = new DataView(bytes.buffer).getUint32(0, true)
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + n))
    const keys = [...header.matchAll(/"([^"]+)":\{/g)].map((m) => m[1])
    expect(keys).toEqual(['__metadata__', '10', '9', 'A', '\uFFFF', '\u{1F600}'])
    expect(Array.from(decodeSafetensors(bytes).tensors['\u{1F600}']!.data)).toEqual([3])
  })

  it('writes the empty file Python writes for an empty dict, and omits empty metadata', () => {
    const bytes = encodeSafetensors({}, {})
    expect(new TextDecoder().decode(bytes)).toBe('\x08\0\0\0\0\0\0\0{}      ')
    expect(decodeSafetensors(bytes)).toEqual({ tensors: {}, metadata: {} })
  })

  it('decodes unaligned data offsets and keys in any order', () => {
    // header of 41 bytes, no padding: the data starts at byte 49, unaligned for float64
    const header = '{"b":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}'
    const data = new Uint8Array(12)
    new DataView(data.buffer).setFloat64(0, -1.25, true)
    new DataView(data.buffer).setInt32(8, -5, true)
    const file = build(
      '{"a":{"dtype":"I32","shape":[],"data_offsets":[8,12]},' + header.slice(1),
      data,
      false,
    )
    expect((file.length - 12) % 8).not.toBe(0)
    const { tensors } = decodeSafetensors(file)
    expect(Array.from(tensors.b!.data)).toEqual([-1.25])
    expect(Array.from(tensors.a!.data)).toEqual([-5])
    expect(tensors.a!.shape).toEqual([])
  })

  it('decodes from a subarray of a larger buffer', () => {
    const inner = fixtureBytes('torch-mlp-f64.safetensors')
    const outer = new Uint8Array(inner.length + 13)
    outer.set(inner, 5)
    const { tensors } = decodeSafetensors(outer.subarray(5, 5 + inner.length))
    expect(Array.from(tensors['0.bias']!.data)).toEqual(Array.from(decodeSafetensors(inner).tensors['0.bias']!.data))
  })

  it('keeps a "__proto__" tensor name as an own key', () => {
    const file = build(f32('__proto__', [1], [0, 4]), 4)
    const { tensors } = decodeSafetensors(file)
    expect(Object.keys(tensors)).toEqual(['__proto__'])
    expect(Object.getPrototypeOf(tensors)).toBe(Object.prototype)
    expect(encodeSafetensors(tensors)).toEqual(file)
  })

  it('accepts "__metadata__": null as no metadata, as Python does', () => {
    expect(decodeSafetensors(build({ __metadata__: null })).metadata).toEqual({})
  })
})

// ---------------------------------------------------------------------------

describe('encode errors', () => {
  const ok: RawTensor = { dtype: 'float32', shape: [2], data: new Float32Array(2) }
  it('rejects bad dtypes and data of the wrong typed array', () => {
    expectError(
      () => encodeSafetensors({ x: { ...ok, dtype: 'bfloat16' as never } }),
      /encode: tensor "x" has unknown dtype "bfloat16"; use 'float32', 'float64', 'int32' or 'bool'/,
    )
    expectError(
      () => encodeSafetensors({ x: { ...ok, dtype: 'float64' } }),
      /encode: tensor "x" has dtype float64 but its data is Float32Array; expected Float64Array/,
    )
    expectError(() => encodeSafetensors({ x: { ...ok, data: [0, 0] as never } }), /its data is \[0,0\]; expected Float32Array/)
  })
  it('rejects data length ≠ product(shape) and bad shapes', () => {
    expectError(() => encodeSafetensors({ x: { ...ok, shape: [3] } }), /encode: tensor "x" has shape \[3\] \(3 elements\) but 2 data elements/)
    expectError(() => encodeSafetensors({ x: { ...ok, shape: [-2, -1] } }), /encode: tensor "x" has shape \[-2,-1\]; expected an array of non-negative integers/)
    expectError(() => encodeSafetensors({ x: { ...ok, shape: undefined as never } }), /has shape undefined/)
  })
  it('rejects empty, reserved and ill-formed names, and non-string metadata', () => {
    expectError(() => encodeSafetensors({ '': ok }), /encode: tensor name must not be empty/)
    expectError(() => encodeSafetensors({ __metadata__: ok }), /encode: tensor name "__metadata__" is reserved for metadata/)
    expectError(() => encodeSafetensors({ ['a\uD800']: ok }), /is not valid Unicode \(lone surrogate\)/)
    expectError(() => encodeSafetensors({ x: null as never }), /encode: tensor "x" must be \{dtype, shape, data\}, got null/)
    expectError(() => encodeSafetensors({ x: ok }, { format: 1 as never }), /encode: metadata "format" must be a string, got 1/)
    expectError(() => encodeSafetensors(null as never), /encode: tensors must be an object/)
  })
})

// ---------------------------------------------------------------------------

describe('node helpers', () => {
  it('save then load round-trips tensors, and load reads the PyTorch fixture', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yann-safetensors-'))
    try {
      const fixture = await load(join(fixtures, 'torch-mlp-f32.safetensors'))
      expect(fixture.tensors['0.weight'].shape).toEqual([8, 5])
      expect(fixture.tensors['0.weight'].dtype).toBe('float32')
      const path = join(dir, 'out.safetensors')
      await save(path, fixture.tensors, fixture.metadata)
      expect(new Uint8Array(await readFile(path))).toEqual(fixtureBytes('torch-mlp-f32.safetensors'))
      const back = await load(path)
      expect(back.metadata).toEqual({ format: 'pt' })
      for (const [name, t] of Object.entries(fixture.tensors)) {
        expect(back.tensors[name].shape).toEqual(t.shape)
        expect(back.tensors[name].data).toEqual(t.data)
      }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

// ---------------------------------------------------------------------------

describe('fuzz', () => {
  it('decode returns a valid result or throws a safetensors: Error on thousands of mutated files', () => {
    const random = mulberry32(0x5afe7e45)
    const int = (n: number) => Math.floor(random() * n)
    const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!

    const bases = [
      fixtureBytes('torch-mlp-f32.safetensors'),
      fixtureBytes('torch-mlp-f64.safetensors'),
      encodeSafetensors(
        {
          w: { dtype: 'float64', shape: [2, 2], data: new Float64Array([1, 2, 3, 4]) },
          i: { dtype: 'int32', shape: [3], data: new Int32Array([1, 2, 3]) },
          e: { dtype: 'float32', shape: [0], data: new Float32Array(0) },
          s: { dtype: 'float32', shape: [], data: new Float32Array([5]) },
        },
        { a: 'b' },
      ),
    ]
    const values: unknown[] = [
      -1, 0, 1, 2, 3, 4, 7, 8, 1.5, -0.5, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 + 2, 1e308, -1e308,
      '', 'F32', 'F64', 'I32', 'BF16', 'F16', 'I64', 'x', null, true, [], [0], [0, 0], [1, 2, 3],
      [-1, 4], [4, 0], [0, 2 ** 60], ['0', '4'], {}, { a: 1 }, { format: 'pt' }, [[1]],
    ]

    const headerOf = (bytes: Uint8Array) => {
      const n = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true)
      return { n, json: JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, unknown> }
    }

    const mutate = (base: Uint8Array): Uint8Array => {
      const kind = int(7)
      let b: Uint8Array = base.slice()
      if (kind === 0) {
        // flip bytes, mostly in the length and header
        for (let k = 1 + int(4); k > 0; k--) {
          const at = random() < 0.8 ? int(Math.min(b.length, 380)) : int(b.length)
          b[at] = random() < 0.5 ? b[at]! ^ (1 << int(8)) : int(256)
        }
      } else if (kind === 1) {
        b = b.slice(0, int(b.length + 1)) // truncate
      } else if (kind === 2) {
        const extra = new Uint8Array(1 + int(64)).map(() => int(256)) // extend
        const out = new Uint8Array(b.length + extra.length)
        out.set(b)
        out.set(extra, b.length)
        b = out
      } else if (kind === 3) {
        // rewrite the header length
        const view = new DataView(b.buffer)
        const n = view.getUint32(0, true)
        const choice = int(4)
        if (choice === 0) view.setUint32(0, Math.max(0, n + int(33) - 16), true)
        else if (choice === 1) view.setUint32(0, int(2 ** 32), true)
        else if (choice === 2) view.setUint32(4, 1 + int(2 ** 32 - 1), true)
        else view.setUint32(0, int(b.length + 16), true)
      } else if (kind === 4 || kind === 5) {
        // splice header JSON fields with random values, keep the data
        const { n, json } = headerOf(b)
        const keys = Object.keys(json)
        const key = pick(keys)
        const entry = json[key]
        if (kind === 4 && typeof entry === 'object' && entry !== null && !Array.isArray(entry)) {
          const fields = Object.keys(entry).concat(['dtype', 'shape', 'data_offsets', 'extra'])
          const field = pick(fields)
          const e = entry as Record<string, unknown>
          const r = random()
          if (r < 0.15) delete e[field]
          else if (r < 0.5 && Array.isArray(e[field]) && (e[field] as unknown[]).length > 0) {
            const arr = (e[field] as unknown[]).slice()
            arr[int(arr.length)] = pick(values)
            e[field] = arr
          } else e[field] = pick(values)
        } else {
          const r = random()
          if (r < 0.3) delete json[key]
          else if (r < 0.6) json[pick(['__metadata__', 'new', key])] = pick(values)
          else json[key + 'x'] = json[key]
        }
        const header = enc.encode(JSON.stringify(json))
        const data = b.subarray(8 + n)
        b = build(new TextDecoder().decode(header), data, random() < 0.7)
      } else {
        // replace one header digit with another digit: plausible-looking wrong numbers
        const { n } = headerOf(b)
        const digits: number[] = []
        for (let i = 8; i < 8 + n; i++) if (b[i]! >= 0x30 && b[i]! <= 0x39) digits.push(i)
        b[pick(digits)] = 0x30 + int(10)
      }
      return b
    }

    const outcomes = { ok: 0, error: 0 }
    const start = performance.now()
    for (let i = 0; i < 4000; i++) {
      const file = mutate(pick(bases))
      let result: ReturnType<typeof decodeSafetensors> | undefined
      try {
        result = decodeSafetensors(file)
      } catch (err) {
        if (!(err instanceof Error) || !err.message.startsWith('safetensors: ')) {
          throw new Error(`case ${i}: unexpected ${String(err)} for ${Buffer.from(file).toString('hex')}`)
        }
        outcomes.error++
        continue
      }
      outcomes.ok++
      for (const t of Object.values(result.tensors)) {
        expect(['float32', 'float64', 'int32']).toContain(t.dtype)
        expect(t.data.length).toBe(t.shape.reduce((a, d) => a * d, 1))
      }
      for (const v of Object.values(result.metadata)) expect(typeof v).toBe('string')
      // anything that decodes re-encodes and decodes to the same tensors
      if (!Object.keys(result.tensors).includes('')) {
        const again = decodeSafetensors(encodeSafetensors(result.tensors, result.metadata))
        expect(again.metadata).toEqual(result.metadata)
        expect(Object.keys(again.tensors).sort()).toEqual(Object.keys(result.tensors).sort())
      }
    }
    if (process.env.YANN_FUZZ_STATS) console.log(outcomes)
    expect(outcomes.ok).toBeGreaterThan(100)
    expect(outcomes.error).toBeGreaterThan(1000)
    expect(performance.now() - start).toBeLessThan(5000)
  })
})
