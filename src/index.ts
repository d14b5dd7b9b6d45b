/**
 * The `yann` entry: the public API, with the wasm binary embedded. Where wasm compiles
 * synchronously (Node, Deno, Bun, workers) the wasm backend is the default from the start;
 * elsewhere ops run on the ts backend until `await ready()`.
 */
import { initDefaultBackend } from './backend/index.js'
import { embeddedWasmBytes } from './backend/wasm/embedded.js'
import { registerWasmBackend } from './backend/wasm/index.js'

export * from './api.js'

registerWasmBackend(embeddedWasmBytes)
initDefaultBackend()
