import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { ROOT as root } from './util.js'

/**
 * Issue 11 §5: every script answers --help. Here (the runtimes project, run once) rather than
 * per backend: it spawns processes and involves no backend.
 */
const run = promisify(execFile)

describe('scripts', () => {
  it('every script answers --help with its usage and exits at once (bench/run.ts would run 12 minutes)', async () => {
    const tsx = join(root, 'node_modules/.bin/tsx')
    // The bench files run through the bench's loader (npm run bench:file), as their usage lines say.
    const bench = (name: string): [string, string[]] => [process.execPath, ['--import', './bench/lib/loader.mjs', `bench/${name}.ts`]]
    const scripts: [string, string[]][] = [
      ...['run', 'gemm-ab', 'compile', 'gemm-quick', 'gemm-staging', 'size-breakdown', 'steps-quick', 'browser-demo', 'transpose'].map(bench),
      ...['cnn', 'coldstart', 'compile-batchnorm', 'conv-parts', 'gpt', 'gpt-quick', 'surface-quick', 'training-quick', 'binaries', 'training', 'size'].map(bench),
      [tsx, ['scripts/serve-demo.ts']],
      [tsx, ['scripts/gen.ts']],
      [process.execPath, ['scripts/build-wasm.mjs']],
      [process.execPath, ['scripts/bundle-size.mjs']],
    ]
    const results = await Promise.all(scripts.map(([cmd, args]) => run(cmd, [...args, '--help'], { cwd: root, timeout: 50_000 })))
    results.forEach(({ stdout }, i) => expect(stdout, scripts[i][1].at(-1)).toMatch(/^Usage: /))
  })
})
