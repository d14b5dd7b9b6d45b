import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

/**
 * bench/lib/loader.mjs runs the repository's .ts files as tsx does, without esbuild's keepNames:
 * tsx wraps named functions and classes in `__name(...)` calls, the loader does not, and both keep
 * the names and the tsconfig's class-field semantics.
 */
const main = fileURLToPath(new URL('./loader-fixture/main.ts', import.meta.url))
const loader = new URL('../../bench/lib/loader.mjs', import.meta.url).href
const run = (importFlag: string): Record<string, unknown> =>
  JSON.parse(execFileSync(process.execPath, ['--import', importFlag, main], { encoding: 'utf8' }))

const expected = { names: ['outer', 'inner', 'arrow', 'Fields'], declaredIsOwn: true }

describe('bench/lib/loader.mjs', () => {
  it('tsx adds __name calls to named functions and classes', () => {
    const tsx = run('tsx')
    expect(tsx.nameCalls).toBeGreaterThan(0)
    expect(tsx).toMatchObject(expected)
  })

  it('the bench loader adds none, with the same names and class fields, and resolves ./x.js to x.ts', () => {
    expect(run(loader)).toEqual({ nameCalls: 0, ...expected })
  })
})
