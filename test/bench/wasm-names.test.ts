import { describe, expect, it } from 'vitest'
import { functionNames } from '../../bench/lib/wasm-names.js'

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

  it('fails on a subsection longer than its stated length, and on a number past the end', () => {
    expect(() => functionNames(new Uint8Array([1, 3, 1, 0, 3, 0x66, 0x6f, 0x6f]))).toThrow(/runs past its length/)
    expect(() => functionNames(new Uint8Array([1, 0x80]))).toThrow(/past the end of the bytes/)
  })
})
