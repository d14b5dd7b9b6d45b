/**
 * Rebuilds a binary from a base binary and a delta written by scripts/wasm-delta.mjs: a sequence
 * of (from, length, literal length, literal bytes), numbers in unsigned LEB128, meaning "copy
 * `length` bytes of the base from `from`, then append the literal bytes". The default entry
 * embeds yann-relaxed.wasm this way, as ~1 kB of differences from yann.wasm.
 */
export function applyDelta(base: Uint8Array, delta: Uint8Array, size: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size)
  let i = 0
  let o = 0
  const next = (): number => {
    let n = 0
    let shift = 0
    let b: number
    do {
      b = delta[i++]
      n += (b & 127) * 2 ** shift
      shift += 7
    } while (b & 128)
    return n
  }
  while (i < delta.length) {
    const from = next()
    const length = next()
    out.set(base.subarray(from, from + length), o)
    o += length
    const literal = next()
    out.set(delta.subarray(i, i + literal), o)
    o += literal
    i += literal
  }
  if (o !== size) throw new Error(`applyDelta: rebuilt ${o} bytes, expected ${size}`)
  return out
}
