/**
 * The `yann` entry under the `workerd` condition (Cloudflare Workers). Workers forbid compiling
 * wasm from bytes but accept a .wasm imported as a module, and instantiating it synchronously,
 * so the wasm backend is the default from the start here too.
 */
import wasmModule from '../build/yann.wasm'
import { initDefaultBackend } from './backend/index.js'
import { registerWasmBackend } from './backend/wasm/index.js'

export * from './api.js'

registerWasmBackend(wasmModule)
initDefaultBackend()
