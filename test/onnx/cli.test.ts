import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createModel } from '../../examples/mnist.js'
import { main, type CliIo } from '../../src/cli.js'
import { manualSeed, randn } from '../../src/index.js'
import { save } from '../../src/node.js'
import { expectClose, forwardEval, runOrt } from './ort.js'

const dir = mkdtempSync(join(tmpdir(), 'yann-onnx-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function yann(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), readFile: () => '' }
  const code = await main(args, io)
  return { code, stdout, stderr }
}

describe('yann export', () => {
  it('--help lists the architectures and options', async () => {
    const r = await yann(['export', '--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^Usage: yann export <architecture> <weights.safetensors> \[options\]/)
    expect(r.stdout).toMatch(/^ {2}mnist-mlp +examples\/mnist.ts/m)
    expect(r.stdout).toContain('--opset <n>')
  })

  it('a saved MNIST MLP to .onnx that ONNX Runtime runs like yann, at batch 1 and 5', async () => {
    manualSeed(21)
    const model = createModel()
    const weights = join(dir, 'mlp.safetensors')
    await save(weights, model.stateDict())
    const r = await yann(['export', 'mnist-mlp', weights])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^wrote .*mlp\.onnx \(\d+ bytes, mnist-mlp, opset 17\)/)
    const bytes = new Uint8Array(readFileSync(join(dir, 'mlp.onnx')))
    for (const n of [1, 5]) {
      const x = randn([n, 784])
      const [y] = await runOrt(bytes, { input: x })
      expectClose(y, forwardEval(model, x))
    }
  })

  it('bad arguments: exit 2 with the usage; a missing file: exit 1 with one line', async () => {
    const unknown = await yann(['export', 'resnet', 'w.safetensors'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/unknown architecture 'resnet'; known: seed, mnist-mlp, mnist-cnn/)
    expect(unknown.stderr).toContain('Usage: yann export')
    expect((await yann(['export', 'seed'])).stderr).toMatch(/expected an architecture and a weights file, got 1 arguments/)
    const missing = await yann(['export', 'seed', join(dir, 'none.safetensors'), '--output', join(dir, 'x.onnx')])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/^yann export: cannot read .*none\.safetensors/)
    expect(missing.stderr).not.toMatch(/\n\s+at /)
  })
})
