// Reading a wasm binary's sections and numbers (the spec's binary format): used by the build
// (scripts/wasm-table.mjs) and by the bench's profile labels (bench/lib/wasm-names.ts).

/** A cursor over `bytes` reading bytes, unsigned LEB128 numbers and length-prefixed names. */
export function reader(bytes, at = 0) {
  return {
    at,
    byte() {
      if (this.at >= bytes.length) throw new Error('wasm-reader: read past the end of the bytes')
      return bytes[this.at++]
    },
    bytes(n) {
      if (this.at + n > bytes.length) throw new Error('wasm-reader: read past the end of the bytes')
      this.at += n
      return bytes.subarray(this.at - n, this.at)
    },
    leb() {
      let v = 0
      let shift = 0
      let b
      do {
        b = this.byte()
        v += (b & 0x7f) * 2 ** shift
        shift += 7
      } while (b & 0x80)
      return v
    },
    name() {
      return new TextDecoder().decode(this.bytes(this.leb()))
    },
  }
}

/** The module's sections in order: `{ id, body }`; a custom section (id 0) as `{ id, name, body }`, its body after the name. */
export function readSections(bytes) {
  const r = reader(bytes, 8) // past the magic number and the version
  const sections = []
  while (r.at < bytes.length) {
    const id = r.byte()
    const body = r.bytes(r.leb())
    if (id !== 0) sections.push({ id, body })
    else {
      const custom = reader(body)
      const name = custom.name()
      sections.push({ id, name, body: body.subarray(custom.at) })
    }
  }
  return sections
}
