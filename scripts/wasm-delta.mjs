// The relaxed-SIMD binary as a delta from the plain one: the two differ only where the GEMM and
// convolution micro-kernels fuse their multiply-adds (~400 bytes of 95 kB), so the default entry
// embeds one binary's base64 instead of two. That halves the text V8 must scan at import
// (~0.5 ms of cold start) and what a browser downloads. src/backend/wasm/delta.ts decodes it.
//
// Format: a sequence of (from, length, literal length, literal bytes): copy `length` bytes of
// the base from offset `from`, then append the literal bytes; numbers are unsigned LEB128.

import { leb } from './wasm-table.mjs'

/** The shortest copy worth encoding (a copy costs ~6 bytes of numbers). */
const MIN_MATCH = 12
const KEY = 8

/** Encodes `target` as copies from `base` and literal bytes (greedy: the longest match at each point). */
export function encodeDelta(base, target) {
  const index = new Map()
  for (let i = 0; i + KEY <= base.length; i++) {
    const key = keyAt(base, i)
    const list = index.get(key)
    if (list) list.push(i)
    else index.set(key, [i])
  }
  const out = []
  const literal = []
  let from = 0
  let length = 0
  const flush = () => {
    out.push(...leb(from), ...leb(length), ...leb(literal.length))
    out.push(...literal)
    literal.length = 0
  }
  for (let t = 0; t < target.length; ) {
    let best = 0
    let at = 0
    for (const b of t + KEY <= target.length ? (index.get(keyAt(target, t)) ?? []) : []) {
      let n = 0
      while (t + n < target.length && b + n < base.length && base[b + n] === target[t + n]) n++
      if (n > best) [best, at] = [n, b]
    }
    if (best >= MIN_MATCH) {
      if (length > 0 || literal.length > 0) flush()
      ;[from, length] = [at, best]
      t += best
    } else {
      literal.push(target[t++])
    }
  }
  flush()
  return Uint8Array.from(out)
}

function keyAt(bytes, i) {
  let k = ''
  for (let j = 0; j < KEY; j++) k += String.fromCharCode(bytes[i + j])
  return k
}

