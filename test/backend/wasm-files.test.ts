import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { relaxedWasmBytes, wasmBytes } from '../../src/backend/wasm/binary-sizes.generated.js'
import { wasmFiles } from '../../src/backend/wasm/files.js'
import { relaxedSimdSupported } from '../../src/backend/wasm/relaxed-probe.js'

/**
 * The Node entry (src/index.node.ts) embeds no binary: src/backend/wasm/files.ts reads the one the
 * probe picks from the directory the entry sits in (dist/ in the package; build/ here, which holds
 * the same two files). The packed package's Node entry is run in test/runtimes/node.test.ts.
 */
const build = new URL('../../build/', import.meta.url)
const name = relaxedSimdSupported() ? 'yann-relaxed.wasm' : 'yann.wasm'
const size = relaxedSimdSupported() ? relaxedWasmBytes : wasmBytes
const onDisk = readFileSync(new URL(name, build))
const scratch = mkdtempSync(join(tmpdir(), 'yann-wasm-files-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

describe("the Node entry's wasm files", () => {
  it('reads the binary the probe picks, byte for byte, from the directory URL it is given', () => {
    expect(onDisk.length).toBe(size)
    const bytes = wasmFiles(build)() as Uint8Array<ArrayBuffer>
    expect(bytes.length).toBe(size)
    expect(Buffer.from(bytes).equals(onDisk)).toBe(true)
    expect(new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports).toHaveProperty('alloc')
  })

  it('without process.getBuiltinModule (Node < 20.16) promises the same bytes: ready() awaits them', async () => {
    const get = process.getBuiltinModule
    let out: Uint8Array | Promise<Uint8Array>
    try {
      ;(process as { getBuiltinModule?: unknown }).getBuiltinModule = undefined
      out = wasmFiles(build)()
    } finally {
      process.getBuiltinModule = get
    }
    expect(out).toBeInstanceOf(Promise)
    expect(Buffer.from(await out).equals(onDisk)).toBe(true)
  })

  it('a missing file: an error that names the path and what a bundled app must ship', () => {
    const read = wasmFiles(pathToFileURL(`${scratch}/`))
    expect(read).toThrow(`yann: cannot read file://${scratch}/${name} (ENOENT`)
    expect(read).toThrow('a bundled app must ship dist/yann.wasm and dist/yann-relaxed.wasm next to the bundle')
  })

  it('a file of another size (a stale or damaged copy): an error naming both sizes', () => {
    const dir = pathToFileURL(`${scratch}/`)
    writeFileSync(join(scratch, name), onDisk.subarray(0, 1000))
    expect(wasmFiles(dir)).toThrow(`yann: file://${scratch}/${name} has 1000 bytes, not the ${size} this build of yann wrote: reinstall yann`)
    writeFileSync(join(scratch, name), Buffer.concat([onDisk, Buffer.from([0])]))
    expect(wasmFiles(dir)).toThrow(`has more than ${size} bytes, not the ${size} this build`)
    copyFileSync(new URL(name, build), join(scratch, name))
    expect(Buffer.from(wasmFiles(dir)() as Uint8Array).equals(onDisk)).toBe(true)
  })
})
