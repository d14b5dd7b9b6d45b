import { describe, expect, it } from 'vitest'
import { ROOT as root, run } from './util.js'

/**
 * The `yann` program as `npm run yann -- ...args` runs it: `node --import tsx src/cli.ts`, a
 * process of its own. Here (the runtimes project, run once) rather than per backend: the
 * child picks its own backend, so the ts and wasm projects ran the same processes twice.
 * test/cli.test.ts runs the commands in-process.
 */
const yann = (args: string[], timeoutMs = 60_000) => run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: root, timeoutMs })

describe('the yann program', () => {
  it('exits 0 with the walk-through, and 2 with the usage on bad arguments', async () => {
    const [ok, bad] = await Promise.all([yann(['explain', '--format', 'markdown']), yann(['explain', '--lr', 'x'])])
    expect(ok.code).toBe(0)
    expect(ok.stdout).toContain('#### 3.2.1 Hidden Layer 2 Weight Gradient')
    expect(bad.code).toBe(2)
    expect(bad.stdout).toBe('')
    expect(bad.stderr).toContain("yann explain: --lr must be a number, got 'x'")
    expect(bad.stderr).not.toMatch(/\n\s+at /)
  }, 60_000)

  it('runs yann-relaxed.wasm where the engine can (Node 20: behind the flag it sets), yann.wasm with --no-relaxed-simd; the same loss within float32 rounding', async () => {
    const gpt = (...extra: string[]) => yann(['train-gpt', '--iters', '1', ...extra], 120_000)
    const [relaxed, plain] = await Promise.all([gpt(), gpt('--no-relaxed-simd')])
    expect(relaxed.code, relaxed.stderr).toBe(0)
    expect(plain.code, plain.stderr).toBe(0)
    expect(relaxed.stdout).toContain('backend: wasm, yann-relaxed.wasm (relaxed SIMD; --no-relaxed-simd runs yann.wasm)')
    expect(plain.stdout).toContain('backend: wasm, yann.wasm (SIMD)')
    const loss = (out: string) => Number(/iter 1: val loss (\S+)/.exec(out)![1])
    expect(loss(relaxed.stdout)).toBeCloseTo(loss(plain.stdout), 3)
  }, 120_000)
})
