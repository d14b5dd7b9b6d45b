// The kernels as one exported table instead of ~90 exports. Instantiating a module makes a JS
// function of every exported function at once (~1.5 µs each on Node 20: 0.14 ms of every cold
// start for yann's kernels, most of which a program never calls); a table's entries become
// functions only when `table.get` fetches one. So the build moves the kernel exports into one
// funcref table exported as `kernels` (src/backend/wasm/invoke.ts fetches a kernel on its first
// call). The other sections are copied byte for byte: the code is not touched.

import { readSections, reader } from './wasm-reader.mjs'

const FUNC = 0x00
const TABLE = 0x01
const FUNCREF = 0x70
// Section ids in the order a module lays them out (custom sections, id 0, may sit anywhere).
const ORDER = [1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11]

/** The module with the function exports `names` moved, in that order, into the exported table `kernels`. */
export function kernelsToTable(bytes, names) {
  const sections = readSections(bytes)
  if (sections.some((s) => s.id === 0)) throw new Error('wasm-table: custom sections are not expected in a release build')
  if (sections.some((s) => s.id === 4 || s.id === 9)) throw new Error('wasm-table: the module already has a table or element segments')
  const exportSection = sections.find((s) => s.id === 7)
  if (!exportSection) throw new Error('wasm-table: the module exports nothing')
  const kept = []
  const functions = new Map()
  const r = reader(exportSection.body)
  for (let count = r.leb(); count > 0; count--) {
    const start = r.at
    const name = r.name()
    const kind = r.byte()
    const index = r.leb()
    if (kind === FUNC && names.includes(name)) functions.set(name, index)
    else kept.push(exportSection.body.subarray(start, r.at))
  }
  const indices = names.map((name) => {
    if (!functions.has(name)) throw new Error(`wasm-table: the module exports no function ${name}`)
    return functions.get(name)
  })
  const n = names.length
  const table = [...leb(1), FUNCREF, 0x01, ...leb(n), ...leb(n)] // one table, min = max = n
  const exports = [...leb(kept.length + 1), ...kept.flatMap((e) => [...e]), ...str('kernels'), TABLE, ...leb(0)]
  const elements = [...leb(1), 0x00, 0x41, 0x00, 0x0b, ...leb(n), ...indices.flatMap(leb)] // active, table 0, at i32.const 0
  const replaced = sections.filter((s) => s.id !== 7).concat([
    { id: 4, body: Uint8Array.from(table) },
    { id: 7, body: Uint8Array.from(exports) },
    { id: 9, body: Uint8Array.from(elements) },
  ])
  return writeModule(bytes.subarray(0, 8), replaced)
}

function writeModule(header, sections) {
  const sorted = sections.sort((a, b) => ORDER.indexOf(a.id) - ORDER.indexOf(b.id))
  const parts = [header, ...sorted.flatMap((s) => [Uint8Array.from([s.id, ...leb(s.body.length)]), s.body])]
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/** Unsigned LEB128, as a wasm module writes its numbers (scripts/wasm-delta.mjs uses it too). */
export function leb(v) {
  const out = []
  do {
    let b = v & 0x7f
    v = Math.floor(v / 128)
    if (v) b |= 0x80
    out.push(b)
  } while (v)
  return out
}

function str(s) {
  const b = new TextEncoder().encode(s)
  return [...leb(b.length), ...b]
}
