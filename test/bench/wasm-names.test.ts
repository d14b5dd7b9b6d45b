import { describe, expect, it } from 'vitest'
import { functionNames } from '../../bench/lib/wasm-names.js'
import { readSections } from '../../scripts/wasm-reader.mjs'

/** bench/lib/wasm-names.ts reads function names from a wasm `name` section (the spec's appendix). */
describe('bench/lib/wasm-names.ts', () => {
  it('reads the function-names subsection and skips the others', () => {
    const text = (s: string): number[] => [s.length, ...new TextEncoder().encode(s)]
    const moduleName = [0, 4, ...text('mod')] // subsection 0: the module's name
    const functions = [1, 1 + 1 + 4 + 2 + 4, 2, 0, ...text('foo'), 200, 1, ...text('bar')] // index 200 as a two-byte LEB128
    const locals = [2, 1, 0] // subsection 2: local names, none
    expect(functionNames(new Uint8Array([...moduleName, ...functions, ...locals]))).toEqual(
      new Map([
        [0, 'foo'],
        [200, 'bar'],
      ]),
    )
  })

  it('finds the name section among a module\'s sections, its body after its name', () => {
    const text = (s: string): number[] => [s.length, ...new TextEncoder().encode(s)]
    const functions = [1, 6, 1, 3, ...text('abc')]
    const custom = [...text('name'), ...functions]
    const types = [1, 0x60, 0, 0] // one type: () -> ()
    const module = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, types.length, ...types, 0, custom.length, ...custom])
    expect(WebAssembly.validate(module)).toBe(true)
    const sections = readSections(module)
    expect(sections.map((s) => [s.id, s.name])).toEqual([
      [1, undefined],
      [0, 'name'],
    ])
    expect(functionNames(sections[1].body)).toEqual(new Map([[3, 'abc']]))
  })

  it('fails on a subsection longer than its stated length, and on a number past the end', () => {
    expect(() => functionNames(new Uint8Array([1, 3, 1, 0, 3, 0x66, 0x6f, 0x6f]))).toThrow(/runs past its length/)
    expect(() => functionNames(new Uint8Array([1, 0x80]))).toThrow(/past the end of the bytes/)
  })
})
