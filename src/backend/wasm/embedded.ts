import { decodeBase64 } from './base64.js'
import { wasmBase64 } from './binary.generated.js'

/** build/yann.wasm as embedded in the default entry (base64 in the JS: no file, no fetch). */
export function embeddedWasmBytes(): Uint8Array<ArrayBuffer> {
  return decodeBase64(wasmBase64) as Uint8Array<ArrayBuffer>
}
