import { relaxedWasmBytes, wasmBytes } from './binary-sizes.generated.js'
import { relaxedSimdSupported } from './relaxed-probe.js'

/** The part of node:fs this reads with (Node, Bun). */
interface NodeFs {
  openSync(path: URL, flags: 'r'): number
  readSync(fd: number, into: Uint8Array, offset: number, length: number, position: number): number
  closeSync(fd: number): void
}
type GetBuiltinModule = (id: 'node:fs') => NodeFs

/**
 * The Node entry's wasm source: the binary that suits this engine (yann-relaxed.wasm where relaxed
 * SIMD validates, else yann.wasm), read from the file in `dir` (a file: URL, the entry's own
 * directory) when the backend loads. V8 then never scans the ~140 kB of base64 the default entry
 * embeds. node:fs comes from `process.getBuiltinModule` (Node ≥ 20.16): a static `import 'node:fs'`
 * made the import 1.2 ms slower (Node builds fs's ESM facade), more than reading saves. Where it is
 * missing the bytes come as a promise: ops start on the ts backend and `await ready()` loads wasm,
 * as in a browser.
 */
export function wasmFiles(dir: URL): () => Uint8Array<ArrayBuffer> | Promise<Uint8Array<ArrayBuffer>> {
  return () => {
    const relaxed = relaxedSimdSupported()
    const path = new URL(relaxed ? 'yann-relaxed.wasm' : 'yann.wasm', dir)
    const size = relaxed ? relaxedWasmBytes : wasmBytes
    const getBuiltinModule = (globalThis.process as { getBuiltinModule?: GetBuiltinModule } | undefined)?.getBuiltinModule
    if (getBuiltinModule) return readExactly(getBuiltinModule('node:fs'), path, size)
    return import('node:fs').then((fs) => readExactly(fs, path, size))
  }
}

/** The file's bytes, which must be `size` of them (the size this build wrote): a clear error otherwise. */
function readExactly(fs: NodeFs, path: URL, size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size + 1) // one byte more: a longer file shows
  let read: number
  try {
    const fd = fs.openSync(path, 'r')
    try {
      read = fs.readSync(fd, bytes, 0, bytes.length, 0)
    } finally {
      fs.closeSync(fd)
    }
  } catch (e) {
    throw new Error(
      `yann: cannot read ${String(path)} (${e instanceof Error ? e.message : String(e)}): in Node, yann loads its wasm from the ` +
        'files beside its entry; a bundled app must ship dist/yann.wasm and dist/yann-relaxed.wasm next to the bundle',
    )
  }
  if (read !== size) {
    throw new Error(`yann: ${String(path)} has ${read > size ? `more than ${size}` : read} bytes, not the ${size} this build of yann wrote: reinstall yann`)
  }
  return bytes.subarray(0, size)
}
