/**
 * Base64 → bytes without `atob`, Buffer, eval or Function: the same code in Node,
 * browsers, Deno, Bun and workerd. Accepts the standard alphabet with optional '='
 * padding; any other character is an error.
 */
export function decodeBase64(text: string): Uint8Array {
  const table = new Uint8Array(128).fill(255)
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  for (let i = 0; i < 64; i++) table[alphabet.charCodeAt(i)] = i
  let end = text.length
  while (end > 0 && text.charCodeAt(end - 1) === 61 /* = */) end--
  const out = new Uint8Array((end * 3) >> 2)
  let acc = 0
  let bits = 0
  let o = 0
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i)
    const v = c < 128 ? table[c] : 255
    if (v === 255) throw new Error(`decodeBase64: invalid character at ${i}`)
    acc = (acc << 6) | v
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[o++] = (acc >> bits) & 0xff
    }
  }
  return out
}
