import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { generatedFiles } from '../../scripts/generate.js'

/** The AssemblyScript files written from the op table are checked in: they must be up to date. */

const root = fileURLToPath(new URL('../..', import.meta.url))

describe('generated AssemblyScript', () => {
  it.each(Object.entries(generatedFiles()))('%s matches the op table (else: npm run gen && npm run build:wasm)', (path, text) => {
    expect(readFileSync(`${root}${path}`, 'utf8')).toBe(text)
  })
})
