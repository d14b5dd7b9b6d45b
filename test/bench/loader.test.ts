import { execFileSync } from 'node:child_process'
import { dirname } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'

/**
 * bench/lib/loader.mjs runs the file node runs as dist/ runs yann: one minified esbuild bundle of it
 * and the repository files it imports (minified but for names, no `__name(...)` wrappers), each file keeping
 * its own import.meta values. A .ts file imported any other way is compiled alone, as tsx does but
 * without keepNames. tsx wraps named functions and classes in `__name(...)` calls.
 */
const main = fileURLToPath(new URL('./loader-fixture/main.ts', import.meta.url))
const shapes = fileURLToPath(new URL('./loader-fixture/shapes.ts', import.meta.url))
const loader = new URL('../../bench/lib/loader.mjs', import.meta.url).href
const node = (args: string[]): Record<string, unknown> => JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8' }))
const run = (importFlag: string) => node(['--import', importFlag, main])

const names = ['outer', 'inner', 'arrow', 'Fields']
const meta = {
  main: { url: pathToFileURL(main).href, filename: main, isMain: true },
  shapes: { url: pathToFileURL(shapes).href, dirname: dirname(shapes), filename: shapes, isMain: false },
}

describe('bench/lib/loader.mjs', () => {
  it('tsx adds __name calls to named functions and classes', () => {
    const tsx = run('tsx')
    expect(tsx.nameCalls).toBeGreaterThan(0)
    expect(tsx).toMatchObject({ names, declaredIsOwn: true, shapesRunsFrom: 'shapes.ts', meta })
  })

  it('bundles the entry file with its imports: names kept (for profiles), no __name, each file its own import.meta', () => {
    const bundled = run(loader)
    expect(bundled).toEqual({ nameCalls: 0, names, declaredIsOwn: true, shapesRunsFrom: 'main.ts', meta })
  })

  it('compiles a .ts file that is not the entry alone, without __name, and resolves ./x.js to x.ts', () => {
    const program = `process.argv[1] = ${JSON.stringify(main)}; await import(${JSON.stringify(pathToFileURL(main).href)})`
    const alone = node(['--import', loader, '--input-type=module', '-e', program])
    expect(alone).toEqual({ nameCalls: 0, names, declaredIsOwn: true, shapesRunsFrom: 'shapes.ts', meta })
  })
})
