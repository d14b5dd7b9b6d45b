/**
 * The `yann` entry under the `workerd` condition (Cloudflare Workers). Workers forbid compiling
 * wasm from bytes but accept a .wasm imported as a module, and instantiating it synchronously,
 * so the wasm backend is the default from the start here too. Both binaries are imported (the
 * runtime compiles each at deploy); the relaxed-SIMD one is used where the engine validates it.
 */
import relaxedWasmModule from '../build/yann-relaxed.wasm'
import wasmModule from '../build/yann.wasm'
import { initDefaultBackend } from './backend/index.js'
import { relaxedSimdSupported } from './backend/wasm/relaxed-probe.js'
import { registerWasmBackend } from './backend/wasm/index.js'

export * from './api.js'

registerWasmBackend(relaxedSimdSupported() ? relaxedWasmModule : wasmModule)
initDefaultBackend()
