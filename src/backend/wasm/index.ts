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
      const module = compileSync()
      const instance = new WebAssembly.Instance(module)
      sameBinary.add(module)
      attach(instance.exports as unknown as WasmExports)
      return wasmBackend
    } catch {
      return null
    }
  },

  async load(module?: WebAssembly.Module): Promise<Backend> {
    const loadedExports = wasmExports()
    if (loadedExports) {
      if (module) await refuseOtherBinary(loadedExports, module)
      return wasmBackend
    }
    let instance: WebAssembly.Instance
    try {
      const chosen = module ?? (await compile())
      instance = await WebAssembly.instantiate(chosen)
      sameBinary.add(chosen)
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

/** Modules known to be the loaded binary: ready(module) with one of them (workerd's, each request) instantiates nothing. */
const sameBinary = new WeakSet<WebAssembly.Module>()

// Not the file names: the default entry must hold no string that reads as a path to load.
const binaryName = (e: WasmExports): string => ((e.relaxedSimd as () => number)() === 1 ? 'the relaxed-SIMD binary' : 'the plain SIMD binary')

/**
 * `ready(module)` after the binary is loaded (entries that can compile synchronously load it at
 * import): the same binary is fine, another cannot replace it, and saying so beats ignoring it.
 */
async function refuseOtherBinary(loaded: WasmExports, module: WebAssembly.Module): Promise<void> {
  if (sameBinary.has(module)) return
  let given: string
  try {
    given = binaryName((await WebAssembly.instantiate(module)).exports as unknown as WasmExports)
  } catch (e) {
    throw new Error(`ready(module): the module is not a yann wasm binary (${e instanceof Error ? e.message : String(e)}); pass one of the package's two binaries, compiled`)
  }
  if (given !== binaryName(loaded)) {
    throw new Error(
      `ready(module): the wasm backend already runs ${binaryName(loaded)} and cannot switch to ${given} once loaded; ` +
        'where the entry compiles synchronously (Node, Deno, Bun) it loads its binary at import: call ready() without a module there',
    )
  }
  sameBinary.add(module)
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
