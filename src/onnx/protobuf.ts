/**
 * A minimal protobuf writer: the wire format ONNX files use, hand-written so yann keeps zero
 * runtime dependencies. Only what encoding needs: varints (wire type 0), 32/64-bit floats
 * (wire types 5 and 1) and length-delimited fields (wire type 2: strings, bytes, nested
 * messages, packed repeated numbers). Field numbers come from proto-fields.ts.
 */

const VARINT = 0
const FIXED64 = 1
const LENGTH_DELIMITED = 2
const FIXED32 = 5

const utf8 = new TextEncoder()

/** Appends fields to a growing byte buffer; `finish()` returns the bytes written. */
export class ProtoWriter {
  private buf = new Uint8Array(256)
  private len = 0

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return
    let size = this.buf.length * 2
    while (size < this.len + n) size *= 2
    const grown = new Uint8Array(size)
    grown.set(this.buf.subarray(0, this.len))
    this.buf = grown
  }

  /**
   * A base-128 varint, 7 bits a byte, low bits first. Integers up to 2^53 exactly; negative
   * int64 values are sign-extended to 10 bytes, as protobuf's int64 requires.
   */
  private rawVarint(value: number): void {
    if (!Number.isSafeInteger(value)) throw new RangeError(`protobuf: varint ${value} is not a safe integer`)
    this.reserve(10)
    if (value < 0) {
      // Two's complement of a 64-bit integer: split into 32-bit halves.
      let lo = value >>> 0
      let hi = Math.floor(value / 2 ** 32) >>> 0
      for (let i = 0; i < 9; i++) {
        this.buf[this.len++] = (lo & 0x7f) | 0x80
        lo = (lo >>> 7) | ((hi & 0x7f) << 25)
        hi >>>= 7
      }
      this.buf[this.len++] = lo & 0x01
      return
    }
    let v = value
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 0x80) | 0x80
      v = Math.floor(v / 0x80)
    }
    this.buf[this.len++] = v
  }

  private tag(field: number, wireType: number): void {
    this.rawVarint(field * 8 + wireType)
  }

  private rawBytes(bytes: Uint8Array): void {
    this.rawVarint(bytes.length)
    this.reserve(bytes.length)
    this.buf.set(bytes, this.len)
    this.len += bytes.length
  }

  /** An int32/int64/enum/bool field. */
  int(field: number, value: number): this {
    this.tag(field, VARINT)
    this.rawVarint(value)
    return this
  }

  /** A 32-bit float field. */
  float(field: number, value: number): this {
    this.tag(field, FIXED32)
    this.reserve(4)
    new DataView(this.buf.buffer).setFloat32(this.len, value, true)
    this.len += 4
    return this
  }

  /** A 64-bit float field. */
  double(field: number, value: number): this {
    this.tag(field, FIXED64)
    this.reserve(8)
    new DataView(this.buf.buffer).setFloat64(this.len, value, true)
    this.len += 8
    return this
  }

  /** A string field, UTF-8. */
  string(field: number, value: string): this {
    return this.bytes(field, utf8.encode(value))
  }

  /** A bytes field. */
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, LENGTH_DELIMITED)
    this.rawBytes(value)
    return this
  }

  /** A nested message: `write` fills a fresh writer whose bytes become this field. */
  message(field: number, write: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter()
    write(inner)
    return this.bytes(field, inner.finish())
  }

  /** A packed repeated int32/int64 field (one length-delimited run of varints). */
  packedInts(field: number, values: readonly number[]): this {
    const inner = new ProtoWriter()
    for (const v of values) inner.rawVarint(v)
    return this.bytes(field, inner.finish())
  }

  /** A packed repeated float field. */
  packedFloats(field: number, values: readonly number[]): this {
    const bytes = new Uint8Array(values.length * 4)
    const view = new DataView(bytes.buffer)
    values.forEach((v, i) => view.setFloat32(i * 4, v, true))
    return this.bytes(field, bytes)
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len)
  }
}
