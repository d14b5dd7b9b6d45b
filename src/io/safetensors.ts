/**
 * safetensors codec over plain data (no Tensor class): the format Hugging Face
 * `safetensors` reads and writes, byte for byte.
 *
 * Layout: 8-byte little-endian u64 header length N, N bytes of UTF-8 JSON
 *   {"__metadata__":{...},"<name>":{"dtype":"F32","shape":[8,5],"data_offsets":[b,e]},...}
 * padded with spaces to a multiple of 8, then the raw little-endian data;
 * offsets are relative to the first byte after the header.
 *
 * The encoder writes what `safetensors.torch.save_file` writes: compact JSON,
 * `__metadata__` first, tensors ordered by dtype size descending then name
 * (byte order, like Rust's `String::cmp`), data laid out contiguously in that
 * order. Metadata keys are written sorted (Python keeps them in a HashMap, so it
 * has no fixed order), and an empty metadata map is omitted.
 *
 * The decoder never trusts the file: every failure is an Error whose message
 * starts with `safetensors:`.
 */
import type { DType, TypedArray } from '../dtype.js'
import { isDim, product, compareCodePoints, hasLoneSurrogate, defineOwn, quote, describe } from './safetensors-helpers.js'

/** One tensor as plain data: `data` is row-major with `product(shape)` elements. */
export interface RawTensor {
  dtype: DType
  shape: number[]
  data: TypedArray
}

/** Every error thrown by this module; `message` starts with `safetensors:`. */
export class SafetensorsError extends Error {
  constructor(message: string) {
    super(`safetensors: ${message}`)
    this.name = 'SafetensorsError'
  }
}

/** Python safetensors refuses headers larger than this (bytes). */
export const MAX_HEADER_SIZE = 100_000_000

/**
 * The most tensors one file may list. A valid 100 MB header can list ~1.6 M zero-size tensors,
 * which took 18 s and 2 GB to decode; the largest real checkpoints list a few thousand.
 */
export const MAX_TENSORS = 100_000

interface DTypeInfo {
  dtype: DType
  tag: string
  size: number
  /** Position in the Rust `Dtype` enum: larger first when laying out data. */
  rank: number
  ctor: Float32ArrayConstructor | Float64ArrayConstructor | Int32ArrayConstructor | Uint8ArrayConstructor
}

const BY_DTYPE: Record<DType, DTypeInfo> = {
  bool: { dtype: 'bool', tag: 'BOOL', size: 1, rank: -1, ctor: Uint8Array },
  int32: { dtype: 'int32', tag: 'I32', size: 4, rank: 0, ctor: Int32Array },
  float32: { dtype: 'float32', tag: 'F32', size: 4, rank: 1, ctor: Float32Array },
  float64: { dtype: 'float64', tag: 'F64', size: 8, rank: 2, ctor: Float64Array },
}
/** PyTorch saves index tensors as int64: they load as int32 (yann's index dtype), every value checked. */
const INT64_AS_INT32: DTypeInfo = { dtype: 'int32', tag: 'I64', size: 8, rank: 0, ctor: Int32Array }
const BY_TAG: Record<string, DTypeInfo> = { BOOL: BY_DTYPE.bool, I32: BY_DTYPE.int32, I64: INT64_AS_INT32, F32: BY_DTYPE.float32, F64: BY_DTYPE.float64 }
const SUPPORTED = 'F32, F64, I32, I64 (read as int32), BOOL'
const KNOWN_UNSUPPORTED = new Set([
  'U8', 'I8', 'I16', 'U16', 'F16', 'BF16', 'U32', 'U64',
  'F8_E5M2', 'F8_E4M3', 'F8_E8M0', 'F4', 'F6_E2M3', 'F6_E3M2', 'C64',
])

const METADATA_KEY = '__metadata__'
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1

// ---------------------------------------------------------------------------
// encode

/**
 * Serialise tensors (and optional string metadata) to safetensors bytes.
 * The output is what Python's `safetensors` would write for the same input.
 */
export function encodeSafetensors(
  tensors: Record<string, RawTensor>,
  metadata?: Record<string, string>,
): Uint8Array {
  if (typeof tensors !== 'object' || tensors === null) {
    throw new SafetensorsError(`encode: tensors must be an object of name → {dtype, shape, data}, got ${describe(tensors)}`)
  }
  const entries: { name: string; info: DTypeInfo; shape: number[]; data: TypedArray }[] = []
  for (const name of Object.keys(tensors)) {
    if (name === '') throw new SafetensorsError('encode: tensor name must not be empty')
    if (name === METADATA_KEY) throw new SafetensorsError(`encode: tensor name "${METADATA_KEY}" is reserved for metadata`)
    if (hasLoneSurrogate(name)) throw new SafetensorsError(`encode: tensor name ${JSON.stringify(name)} is not valid Unicode (lone surrogate)`)
    const t = tensors[name] as RawTensor | undefined
    if (typeof t !== 'object' || t === null) {
      throw new SafetensorsError(`encode: tensor ${quote(name)} must be {dtype, shape, data}, got ${describe(t)}`)
    }
    const info = Object.prototype.hasOwnProperty.call(BY_DTYPE, t.dtype) ? BY_DTYPE[t.dtype] : undefined
    if (info === undefined) {
      throw new SafetensorsError(`encode: tensor ${quote(name)} has unknown dtype ${JSON.stringify(t.dtype)}; use 'float32', 'float64', 'int32' or 'bool'`)
    }
    if (!(t.data instanceof info.ctor)) {
      throw new SafetensorsError(`encode: tensor ${quote(name)} has dtype ${info.dtype} but its data is ${describe(t.data)}; expected ${info.ctor.name}`)
    }
    if (!Array.isArray(t.shape) || !t.shape.every(isDim)) {
      throw new SafetensorsError(`encode: tensor ${quote(name)} has shape ${describe(t.shape)}; expected an array of non-negative integers`)
    }
    const numel = product(t.shape)
    if (numel !== t.data.length) {
      throw new SafetensorsError(`encode: tensor ${quote(name)} has shape [${t.shape.join(', ')}] (${numel} elements) but ${t.data.length} data elements`)
    }
    entries.push({ name, info, shape: t.shape.slice(), data: t.data })
  }
  // Larger dtypes first (keeps every tensor aligned), then by name: as Rust's `prepare`.
  entries.sort((a, b) => b.info.rank - a.info.rank || compareCodePoints(a.name, b.name))

  const meta: Record<string, string> = {}
  if (metadata !== undefined) {
    if (typeof metadata !== 'object' || metadata === null) {
      throw new SafetensorsError(`encode: metadata must be an object of string → string, got ${describe(metadata)}`)
    }
    for (const key of Object.keys(metadata).sort(compareCodePoints)) {
      const value = metadata[key]
      if (typeof value !== 'string') {
        throw new SafetensorsError(`encode: metadata ${quote(key)} must be a string, got ${describe(value)}`)
      }
      if (hasLoneSurrogate(key) || hasLoneSurrogate(value)) {
        throw new SafetensorsError(`encode: metadata ${quote(key)} is not valid Unicode (lone surrogate)`)
      }
      defineOwn(meta, key, value)
    }
  }

  // Build the JSON by hand so key order is exactly ours (a JS object would move
  // integer-like keys such as "0" to the front). JSON.stringify escapes strings
  // the way serde_json does: only `"`, `\` and control characters.
  const parts: string[] = []
  const metaKeys = Object.keys(meta)
  if (metaKeys.length > 0) {
    const inner = metaKeys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(meta[k])}`).join(',')
    parts.push(`${JSON.stringify(METADATA_KEY)}:{${inner}}`)
  }
  let offset = 0
  for (const e of entries) {
    const nbytes = e.data.length * e.info.size
    parts.push(
      `${JSON.stringify(e.name)}:{"dtype":"${e.info.tag}","shape":[${e.shape.join(',')}],` +
        `"data_offsets":[${offset},${offset + nbytes}]}`,
    )
    offset += nbytes
  }
  const json = new TextEncoder().encode(`{${parts.join(',')}}`)
  const headerLength = json.length + ((8 - (json.length % 8)) % 8)

  const out = new Uint8Array(8 + headerLength + offset)
  const view = new DataView(out.buffer)
  view.setUint32(0, headerLength, true) // < 2^32: the high word stays 0
  out.set(json, 8)
  out.fill(0x20, 8 + json.length, 8 + headerLength)
  let pos = 8 + headerLength
  for (const e of entries) {
    writeLittleEndian(view, out, pos, e.data)
    pos += e.data.length * e.info.size
  }
  return out
}

function writeLittleEndian(view: DataView, out: Uint8Array, pos: number, data: TypedArray): void {
  if (LITTLE_ENDIAN) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), pos)
  } else if (data instanceof Float32Array) {
    for (let i = 0; i < data.length; i++) view.setFloat32(pos + 4 * i, data[i]!, true)
  } else if (data instanceof Float64Array) {
    for (let i = 0; i < data.length; i++) view.setFloat64(pos + 8 * i, data[i]!, true)
  } else {
    for (let i = 0; i < data.length; i++) view.setInt32(pos + 4 * i, data[i]!, true)
  }
}

// ---------------------------------------------------------------------------
// decode

/**
 * Parse safetensors bytes. Validates the whole file first (header, every
 * entry, offsets exactly tiling the data section) and copies each tensor's data
 * into a fresh, aligned typed array. Throws `SafetensorsError` on any problem.
 */
export function decodeSafetensors(bytes: Uint8Array): {
  tensors: Record<string, RawTensor>
  metadata: Record<string, string>
} {
  if (!(bytes instanceof Uint8Array)) {
    throw new SafetensorsError(`expected a Uint8Array of file bytes, got ${describe(bytes)}`)
  }
  if (bytes.length < 8) {
    throw new SafetensorsError(`file is ${bytes.length} bytes, shorter than the 8-byte header length`)
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const lo = view.getUint32(0, true)
  const hi = view.getUint32(4, true)
  const n = hi * 2 ** 32 + lo // may be inexact above 2^53; it is rejected below anyway
  if (hi !== 0 || n > MAX_HEADER_SIZE) {
    throw new SafetensorsError(`header length ${hi === 0 ? n : `${view.getBigUint64(0, true)}`} is over the ${MAX_HEADER_SIZE}-byte (100 MB) limit`)
  }
  if (8 + n > bytes.length) {
    throw new SafetensorsError(`header length ${n} is beyond the end of the file (${bytes.length} bytes, so at most ${bytes.length - 8})`)
  }

  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(8, 8 + n))
  } catch {
    throw new SafetensorsError('header is not valid UTF-8')
  }
  if (!text.startsWith('{')) {
    throw new SafetensorsError(`header must be a JSON object starting with '{', got ${JSON.stringify(text.slice(0, 16))}`)
  }
  let header: unknown
  try {
    header = JSON.parse(text)
  } catch (err) {
    throw new SafetensorsError(`header is not valid JSON (${err instanceof Error ? err.message : String(err)})`)
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new SafetensorsError(`header must be a JSON object, got ${describe(header)}`)
  }
  const fields = header as Record<string, unknown>

  const metadata: Record<string, string> = {}
  if (Object.prototype.hasOwnProperty.call(fields, METADATA_KEY)) {
    const m = fields[METADATA_KEY]
    if (m !== null) {
      // null is what serde reads as "no metadata"; anything else must be a map
      if (typeof m !== 'object' || Array.isArray(m)) {
        throw new SafetensorsError(`"${METADATA_KEY}" must be an object of string → string, got ${describe(m)}`)
      }
      for (const [k, v] of Object.entries(m as Record<string, unknown>)) {
        if (typeof v !== 'string') {
          throw new SafetensorsError(`"${METADATA_KEY}" value for ${quote(k)} must be a string, got ${describe(v)}`)
        }
        defineOwn(metadata, k, v)
      }
    }
  }

  const dataStart = 8 + n
  const dataLength = bytes.length - dataStart
  const names = Object.keys(fields)
  const count = names.length - (Object.prototype.hasOwnProperty.call(fields, METADATA_KEY) ? 1 : 0)
  if (count > MAX_TENSORS) {
    throw new SafetensorsError(`header lists ${count} tensors; at most ${MAX_TENSORS} are accepted (a hostile or broken file)`)
  }
  interface Entry { name: string; info: DTypeInfo; shape: number[]; begin: number; end: number }
  const entries: Entry[] = []
  for (const [name, raw] of Object.entries(fields)) {
    if (name === METADATA_KEY) continue
    entries.push(parseEntry(name, raw, dataLength))
  }

  // The entries must tile [0, dataLength) exactly: sorted by offsets, each one
  // starts where the previous one ended.
  const sorted = entries.slice().sort((a, b) => a.begin - b.begin || a.end - b.end)
  let cursor = 0
  let previous: Entry | undefined
  for (const e of sorted) {
    if (e.begin < cursor) {
      throw new SafetensorsError(`tensor ${quote(e.name)} data_offsets [${e.begin}, ${e.end}] overlap tensor ${quote(previous!.name)} [${previous!.begin}, ${previous!.end}]`)
    }
    if (e.begin > cursor) {
      throw new SafetensorsError(`data bytes [${cursor}, ${e.begin}) before tensor ${quote(e.name)} belong to no tensor; data_offsets must cover the data section exactly`)
    }
    cursor = e.end
    previous = e
  }
  if (cursor !== dataLength) {
    throw new SafetensorsError(`data_offsets cover ${cursor} bytes but the data section is ${dataLength} bytes; they must cover it exactly`)
  }

  const tensors: Record<string, RawTensor> = {}
  for (const e of entries) {
    defineOwn(tensors, e.name, { dtype: e.info.dtype, shape: e.shape, data: readLittleEndian(bytes, dataStart + e.begin, e) })
  }
  return { tensors, metadata }
}

function parseEntry(
  name: string,
  raw: unknown,
  dataLength: number,
): { name: string; info: DTypeInfo; shape: number[]; begin: number; end: number } {
  const where = `tensor ${quote(name)}`
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new SafetensorsError(`${where} must be an object {dtype, shape, data_offsets}, got ${describe(raw)}`)
  }
  const r = raw as Record<string, unknown>
  for (const field of ['dtype', 'shape', 'data_offsets']) {
    if (!Object.prototype.hasOwnProperty.call(r, field)) throw new SafetensorsError(`${where} is missing "${field}"`)
  }
  const { dtype, shape, data_offsets: offsets } = r
  if (typeof dtype !== 'string') {
    throw new SafetensorsError(`${where} dtype must be a string, got ${describe(dtype)}`)
  }
  const info = Object.prototype.hasOwnProperty.call(BY_TAG, dtype) ? BY_TAG[dtype] : undefined
  if (info === undefined) {
    const kind = KNOWN_UNSUPPORTED.has(dtype) ? 'unsupported' : 'unknown'
    throw new SafetensorsError(`${where} has ${kind} dtype ${JSON.stringify(dtype)}; supported dtypes are ${SUPPORTED}`)
  }
  if (!Array.isArray(shape)) {
    throw new SafetensorsError(`${where} shape must be an array of non-negative integers, got ${describe(shape)}`)
  }
  for (const d of shape as unknown[]) {
    if (!isDim(d)) throw new SafetensorsError(`${where} shape ${describe(shape)} has dim ${describe(d)}; dims must be non-negative integers`)
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !isDim(offsets[0]) || !isDim(offsets[1])) {
    throw new SafetensorsError(`${where} data_offsets must be two non-negative integers [begin, end], got ${describe(offsets)}`)
  }
  const [begin, end] = offsets as [number, number]
  if (begin > end) {
    throw new SafetensorsError(`${where} data_offsets [${begin}, ${end}] have begin > end`)
  }
  if (end > dataLength) {
    throw new SafetensorsError(`${where} data_offsets [${begin}, ${end}] are out of range: the data section is ${dataLength} bytes`)
  }
  const numel = product(shape as number[])
  const want = numel * info.size
  if (want !== end - begin) {
    // `want` may be huge or inexact for absurd shapes; still never equal, so fine
    throw new SafetensorsError(`${where} shape ${describe(shape)} of ${info.tag} needs ${want} bytes but data_offsets [${begin}, ${end}] hold ${end - begin}`)
  }
  return { name, info, shape: (shape as number[]).slice(), begin, end }
}

function readLittleEndian(bytes: Uint8Array, start: number, e: { name: string; info: DTypeInfo; begin: number; end: number }): TypedArray {
  const length = (e.end - e.begin) / e.info.size
  if (e.info === INT64_AS_INT32) return readInt64AsInt32(bytes, start, length, e.name)
  if (LITTLE_ENDIAN) {
    // slice() copies into a new, aligned buffer: the offset in the file may not be.
    return new e.info.ctor(bytes.slice(start, start + e.end - e.begin).buffer, 0, length)
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, e.end - e.begin)
  const out = new e.info.ctor(length)
  for (let i = 0; i < length; i++) {
    out[i] = e.info.dtype === 'float64' ? view.getFloat64(8 * i, true)
      : e.info.dtype === 'float32' ? view.getFloat32(4 * i, true)
      : view.getInt32(4 * i, true)
  }
  return out
}

/** int64 values into an Int32Array; a value outside int32 is an error naming the tensor and the value. */
function readInt64AsInt32(bytes: Uint8Array, start: number, length: number, name: string): Int32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, 8 * length)
  const out = new Int32Array(length)
  for (let i = 0; i < length; i++) {
    const v = view.getBigInt64(8 * i, true)
    if (v < -2147483648n || v > 2147483647n) {
      throw new SafetensorsError(`tensor ${JSON.stringify(name)} (I64) holds ${v} at element ${i}, outside int32, yann's index dtype; such a tensor cannot be loaded`)
    }
    out[i] = Number(v)
  }
  return out
}
