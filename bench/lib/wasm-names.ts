/**
 * Names for the wasm functions in a CPU profile. yann's binaries ship without a name section
 * (bytes users would download), so V8 labels their functions `wasm-function[N]`. `asc --debug`
 * compiles the same source with the same options plus a name section; its code section is
 * checked byte for byte against the binary this process runs, so N names the same function in
 * both. Takes one asc run (~25 s) per binary, in a child process; used only to label profiles.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { backendInfo } from '../../src/index.js'
import { readSections, reader } from '../../scripts/wasm-reader.mjs'

const root = resolve(import.meta.dirname, '../..')

/** The function names of a `name` custom section (its subsection 1). */
export function functionNames(nameSection: Uint8Array): Map<number, string> {
  const names = new Map<number, string>()
  const read = reader(nameSection)
  while (read.at < nameSection.length) {
    const id = read.byte()
    const end = read.leb() + read.at
    if (id === 1) for (let count = read.leb(); count > 0; count--) names.set(read.leb(), read.name())
    if (read.at > end) throw new Error(`bench/lib/wasm-names: a name subsection runs past its length (${read.at} > ${end})`)
    read.at = end
  }
  return names
}

const sameBytes = (a: Uint8Array | undefined, b: Uint8Array | undefined): boolean =>
  a !== undefined && b !== undefined && a.length === b.length && a.every((x, i) => x === b[i])

let cached: Map<number, string> | undefined

/**
 * Function index → name for the binary this process runs (build/yann.wasm or
 * build/yann-relaxed.wasm); empty, with a warning, if the debug build's code differs.
 */
export function runningWasmNames(): Map<number, string> {
  if (cached) return cached
  const relaxed = backendInfo().relaxedSimd
  const shipped = readFileSync(join(root, 'build', relaxed ? 'yann-relaxed.wasm' : 'yann.wasm'))
  const dir = mkdtempSync(join(tmpdir(), 'yann-names-'))
  try {
    const out = join(dir, 'debug.wasm')
    const asc = join(root, 'node_modules/assemblyscript/bin/asc.js')
    execFileSync(process.execPath, [asc, 'assembly/index.ts', '--config', 'asconfig.json', '--target', relaxed ? 'relaxed' : 'release', '--debug', '-o', out], { cwd: root, stdio: 'ignore' })
    const debug = readSections(readFileSync(out))
    const code = (sections: ReturnType<typeof readSections>) => sections.find((s) => s.id === 10)?.body
    const names = debug.find((s) => s.name === 'name')?.body
    if (!names || !sameBytes(code(debug), code(readSections(shipped)))) {
      console.warn('bench/lib/wasm-names: the debug build differs from the binary in build/ (rebuild with npm run build); profiles keep wasm-function[N]')
      return (cached = new Map())
    }
    return (cached = functionNames(names))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
