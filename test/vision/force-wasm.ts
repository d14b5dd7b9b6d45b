import { afterAll, beforeAll } from 'vitest'
import { wasmBackend, wasmOnlyBackend } from '../../src/backend/wasm/index.js'

/**
 * In the wasm project, every kernel through wasm whatever its size (no small-input dispatch
 * to ts) for the tests of this file: the live wasm backend object takes wasmOnlyBackend's
 * methods, and gets its own back afterwards. (Until setBackend('wasm', { dispatchSmall: false }).)
 */
export function forceWasmKernels(): void {
  if (process.env.YANN_BACKEND !== 'wasm') return
  const saved = { ...wasmBackend }
  beforeAll(() => void Object.assign(wasmBackend, wasmOnlyBackend))
  afterAll(() => void Object.assign(wasmBackend, saved))
}
