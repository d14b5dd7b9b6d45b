import { beforeAll, describe, expect, inject, it } from 'vitest'
import { expectSeed } from './seed-expected.js'
import { devBinary, logRuntime, parseResult, run } from './util.js'

/**
 * Deno (the `deno` npm package's binary): esm-harness.js imports `yann` by name from the temp
 * project's node_modules (Deno reads package.json), with no permissions at all: the wasm is
 * inside the JS, nothing is read or fetched.
 */
describe('Deno', () => {
  const consumerDir = inject('consumerDir')
  let deno: string

  beforeAll(async () => {
    deno = devBinary('deno')
    const version = await run(deno, ['--version'], { cwd: consumerDir, timeoutMs: 30_000 })
    expect(version.code, `deno --version failed: ${version.stderr}`).toBe(0)
    logRuntime('deno', version.stdout.split('\n')[0]!)
  })

  it('runs the seed example from the built ESM entry on the wasm backend', async () => {
    const out = await run(deno, ['run', '--no-lock', '--no-prompt', 'esm-harness.js'], {
      cwd: consumerDir,
      timeoutMs: 60_000,
      env: { DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
    })
    const result = parseResult(out, 'deno run esm-harness.js')
    expectSeed(result, 'Deno')
    expect(result.backendAtImport, 'Deno compiles the embedded wasm synchronously: wasm at import').toBe('wasm')
    expect(String(result.entry), 'Deno takes the `deno` condition (the base64 entry), not `node`').toMatch(/node_modules\/yann\/dist\/index\.js$/)
  })
})
