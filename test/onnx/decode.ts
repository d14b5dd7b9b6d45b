/** A protobuf decoder for tests: one message level at a time (varints, fixed32/64, length-delimited). */

export interface Field {
  field: number
  wire: number
  value: number | Uint8Array
}

/** A protobuf decoder for one message level (varints, fixed32/64, length-delimited). */
export function decode(bytes: Uint8Array): Field[] {
  const out: Field[] = []
  let i = 0
  const varint = (): number => {
    let v = 0
    let scale = 1
    for (;;) {
      const b = bytes[i++]
      v += (b & 0x7f) * scale
      scale *= 128
      if (b < 0x80) return v
    }
  }
  while (i < bytes.length) {
    const key = varint()
    const field = Math.floor(key / 8)
    const wire = key % 8
    if (wire === 0) out.push({ field, wire, value: varint() })
    else if (wire === 2) {
      const n = varint()
      out.push({ field, wire, value: bytes.subarray(i, i + n) })
      i += n
    } else if (wire === 5) {
      out.push({ field, wire, value: new DataView(bytes.buffer, bytes.byteOffset + i, 4).getFloat32(0, true) })
      i += 4
    } else if (wire === 1) {
      out.push({ field, wire, value: new DataView(bytes.buffer, bytes.byteOffset + i, 8).getFloat64(0, true) })
      i += 8
    } else throw new Error(`wire type ${wire}`)
  }
  return out
}

export const text = (v: Field['value']) => new TextDecoder().decode(v as Uint8Array)
export const sub = (fields: Field[], n: number) => fields.filter((f) => f.field === n).map((f) => decode(f.value as Uint8Array))
export const strings = (fields: Field[], n: number) => fields.filter((f) => f.field === n).map((f) => text(f.value))
export const int = (fields: Field[], n: number) => fields.find((f) => f.field === n)?.value

export function decodePacked(bytes: Uint8Array): number[] {
  const out: number[] = []
  let v = 0
  let scale = 1
  for (const b of bytes) {
    v += (b & 0x7f) * scale
    scale *= 128
    if (b < 0x80) {
      out.push(v)
      v = 0
      scale = 1
    }
  }
  return out
}

/** The op types of an exported model's nodes, in order. */
export function opTypes(model: Uint8Array): string[] {
  const [graph] = sub(decode(model), 7)
  return sub(graph, 1).map((n) => strings(n, 4)[0])
}
