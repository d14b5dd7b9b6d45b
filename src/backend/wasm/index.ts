import { registerBackend, registerPinnedMemory, type BackendLoader } from '../index.js'
import type { Backend } from '../types.js'
import { wasmBackend, wasmOnlyBackend } from './backend.js'
import { allocFloat, attach, compile, compileSync, setWasmSource, wasmExports, type WasmExports, type WasmSource } from './runtime.js'

/**
 * The wasm backend's loader. `loadSync` compiles the embedded bytes on the spot (Node,
 * Deno, Bun, workers) and returns null where the platform forbids it (a browser main
 * thread for large modules, Cloudflare Workers); `load` is the portable, async way and
 * accepts a precompiled `WebAssembly.Module` (workerd imports the .wasm as a module).
 */
export const wasmLoader: BackendLoader = {
  loadSync(): Backend | null {
    if (wasmExports()) return wasmBackend
    try {
      const instance = new WebAssembly.Instance(compileSync())
      attach(instance.exports as unknown as WasmExports)
      return wasmBackend
    } catch {
      return null
    }
  },

  async load(module?: WebAssembly.Module): Promise<Backend> {
    if (wasmExports()) return wasmBackend
    let instance: WebAssembly.Instance
    try {
      instance = await WebAssembly.instantiate(module ?? (await compile()))
    } catch (e) {
      throw new Error(
        `yann: cannot load the wasm backend (${e instanceof Error ? e.message : String(e)})` +
          (module ? '' : '; where compiling from bytes is forbidden, pass the precompiled module: ready(module)'),
      )
    }
    attach(instance.exports as unknown as WasmExports)
    return wasmBackend
  },

  configured(options): Backend {
    return options.dispatchSmall === false ? wasmOnlyBackend : wasmBackend
  },
}

const wasmHeap = { alloc: allocFloat }

/** Makes 'wasm' a backend that ready()/setBackend() can load, from the binary `source` gives. */
export function registerWasmBackend(source: WasmSource): void {
  setWasmSource(source)
  registerBackend('wasm', wasmLoader)
  registerPinnedMemory(() => (wasmExports() ? wasmHeap : null))
}

export { wasmBackend, wasmOnlyBackend, SMALL } from './backend.js'
export { allocFloat, memoryStats, stagingTraffic } from './runtime.js'
export type { StagingTraffic, WasmFloatAllocation, WasmMemoryStats, WasmSource } from './runtime.js'
