import { getBackend, type BackendName } from './index.js'
import { relaxedWasmBytes, wasmBytes } from './wasm/binary-sizes.generated.js'
import { wasmExports } from './wasm/runtime.js'

/** What `backendInfo()` reports about the backend ops run on now. */
export interface BackendInfo {
  name: BackendName
  /** True when the wasm binary in use is yann-relaxed.wasm (fused multiply-add in GEMM). */
  relaxedSimd: boolean
  /** The size of that wasm binary in bytes (0 on the ts backend). */
  wasmBytes: number
}

/**
 * The backend ops run on now and, on wasm, which of the two binaries was loaded: the relaxed-SIMD
 * one where the engine validates it (picked at load by a probe), else the plain SIMD one.
 */
export function backendInfo(): BackendInfo {
  const ex = wasmExports()
  if (getBackend() !== 'wasm' || !ex) return { name: getBackend(), relaxedSimd: false, wasmBytes: 0 }
  const relaxedSimd = typeof ex.relaxedSimd === 'function' && (ex.relaxedSimd as () => number)() === 1
  return { name: 'wasm', relaxedSimd, wasmBytes: relaxedSimd ? relaxedWasmBytes : wasmBytes }
}
