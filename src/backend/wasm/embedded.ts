import { decodeBase64 } from './base64.js'
import { relaxedWasmBytes } from './binary-sizes.generated.js'
import { relaxedWasmDeltaBase64, wasmBase64 } from './binary.generated.js'
import { applyDelta } from './delta.js'
import { relaxedSimdSupported } from './relaxed-probe.js'

/**
 * The binary the default entry embeds (base64 in the JS: no file, no fetch) that suits this
 * engine: build/yann-relaxed.wasm where relaxed SIMD validates, else build/yann.wasm. The relaxed
 * one is embedded as its small delta from the plain one, so V8 scans one binary's base64 at
 * import, not two. Decoded unchecked (the build wrote it).
 */
export function embeddedWasmBytes(): Uint8Array<ArrayBuffer> {
  const plain = decodeBase64(wasmBase64, false) as Uint8Array<ArrayBuffer>
  if (!relaxedSimdSupported()) return plain
  return applyDelta(plain, decodeBase64(relaxedWasmDeltaBase64, false), relaxedWasmBytes)
}
