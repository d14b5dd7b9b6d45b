import { beforeAll, describe, expect, inject, it } from 'vitest'
import { expectSeed } from './seed-expected.js'
import { devBinary, logRuntime, parseResult, run } from './util.js'

/**
 * Bun (the `bun` npm package's binary): esm-harness.js imports `yann` by name from the temp project's
 * node_modules. Bun matches the `node` condition: the entry that reads dist/yann.wasm or yann-relaxed.wasm.
 */
describe('Bun', () => {
  const consumerDir = inject('consumerDir')
  let bun: string

  beforeAll(async () => {
    bun = devBinary('bun')
    const version = await run(bun, ['--version'], { cwd: consumerDir, timeoutMs: 30_000 })
    expect(version.code, `bun --version failed: ${version.stderr}`).toBe(0)
    logRuntime('bun', version.stdout)
  })

  it('runs the seed example from the built ESM entry on the wasm backend', async () => {
    const out = await run(bun, ['run', '--no-install', 'esm-harness.js'], {
      cwd: consumerDir,
      timeoutMs: 60_000,
      env: { NO_COLOR: '1' },
    })
    const result = parseResult(out, 'bun run esm-harness.js')
    expectSeed(result, 'Bun')
    expect(result.backendAtImport, 'Bun reads and compiles the wasm synchronously: wasm at import').toBe('wasm')
    expect(String(result.entry), 'Bun takes the `node` condition').toMatch(/node_modules\/yann\/dist\/index\.node\.js$/)
  })
})
