import { statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { expectSeed } from './seed-expected.js'
import { logRuntime, parseResult, ROOT, run } from './util.js'

/**
 * Consumer files type-checked against the installed package (tsc --noEmit, module nodenext).
 * Kept as strings so the repo's own `tsc --noEmit` never tries to resolve 'yann' to itself.
 */
const CONSUMER_MTS = `// Type-checked (tsc --noEmit, module nodenext) against the installed package: ESM resolution.
import { F, getBackend, nn, noGrad, ready, tensor, Tensor, type BackendName } from 'yann'
import { load, save } from 'yann/node'
import * as keras from 'yann/keras'
import { explain } from 'yann/explain'

await ready()
// yann/keras and yann/explain take the root entry's tensors (one Tensor type across entries):
const model: keras.Sequential = keras.sequential({ layers: [keras.layers.dense({ units: 1, inputShape: [3] })] })
const history: Promise<keras.History> = model.fit(tensor([[1, 2, 3]]), tensor([[1]]), { epochs: 1 })
const explained = explain(new nn.Sequential(new nn.Linear(3, 2), new nn.Sigmoid()), tensor([1, 2, 3]), tensor([1, 0]), new nn.BCELoss())
const w: Tensor = tensor([[0.9, 0.6, 0.4], [0.3, 0.8, 0.7]], { requiresGrad: true })
const y: Tensor = w.matmul(tensor([0.574, 0.748, 0.6495])).sigmoid()
const loss: Tensor = F.binaryCrossEntropy(y, tensor([1, 0]))
loss.backward()
const lossValue: number = loss.item()
const step: Tensor = noGrad(() => w.sub(w.grad!.mul(0.01)))
const backend: BackendName = getBackend()
const saved: Promise<void> = save('/tmp/x.safetensors', { w: step })
const loaded: Promise<{ tensors: Record<string, Tensor> }> = load('/tmp/x.safetensors')
// The types are real, not \`any\`:
// @ts-expect-error matmul takes a Tensor
w.matmul(3)
// @ts-expect-error no such backend
const bad: BackendName = 'webgpu'
export { lossValue, backend, saved, loaded, bad, history, explained }
`

const CONSUMER_CTS = `// Type-checked (tsc --noEmit, module nodenext) against the installed package: CommonJS resolution.
import yann = require('yann')
import yannNode = require('yann/node')

const t: yann.Tensor = yann.tensor([1, 2, 3]).relu()
const n: number = yann.F.mseLoss(t, yann.tensor([1, 2, 3])).item()
const b: yann.BackendName = yann.getBackend()
const l: typeof yannNode.load = yannNode.load
// @ts-expect-error tensor() takes numbers, not a string
yann.tensor('not a tensor')
export = { t, n, b, l }
`

/** Node: the packed tarball installed into a temp project, imported by name from ESM and CommonJS, and its types. */
describe('Node (packed tarball)', () => {
  const consumerDir = inject('consumerDir')

  beforeAll(() => logRuntime('node', process.version))

  it.each([
    ['ESM import', 'esm-harness.js'],
    ['CommonJS require', 'cjs-harness.cjs'],
  ])('%s runs the seed example on the wasm backend', async (what, file) => {
    const out = await run(process.execPath, [file], { cwd: consumerDir, timeoutMs: 60_000 })
    const result = parseResult(out, `node ${file}`)
    expectSeed(result, `Node ${what}`)
    expect(result.backendAtImport, 'Node reads and compiles the wasm synchronously: wasm at import, before ready()').toBe('wasm')
    expect(result.nodeSubpath, "yann/node's load() returns yann's own Tensor").toEqual({ isTensor: true, values: [[1, 2], [3, 4]] })
    // The `node` condition: the entry without the embedded binaries, which reads dist/yann.wasm
    // (Node 20 without the relaxed-SIMD flag: the plain binary) from beside itself.
    expect(String(result.entry)).toMatch(file.endsWith('.cjs') ? /node_modules\/yann\/dist\/index\.node\.cjs$/ : /node_modules\/yann\/dist\/index\.node\.js$/)
    const plainBytes = statSync(join(consumerDir, 'node_modules/yann/dist/yann.wasm')).size
    expect(result.backendInfo).toEqual({ name: 'wasm', relaxedSimd: false, wasmBytes: plainBytes })
  })

  it('the Node entry finds its binary from wherever it is imported, `node -e` too (which makes __dirname a global)', async () => {
    const program = `import('yann').then((y) => console.log('YANN_RESULT ' + JSON.stringify({ backend: y.getBackend(), info: y.backendInfo() })))`
    const result = parseResult(await run(process.execPath, ['-e', program], { cwd: consumerDir, timeoutMs: 60_000 }), 'node -e')
    expect(result).toMatchObject({ backend: 'wasm', info: { name: 'wasm', relaxedSimd: false } })
  })

  it('types resolve for ESM and CommonJS consumers (tsc --noEmit, module nodenext)', async () => {
    const tsconfig = {
      compilerOptions: {
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        lib: ['es2022', 'dom'],
        types: [],
        strict: true,
        noEmit: true,
        skipLibCheck: false, // check yann's .d.ts files too
      },
      files: ['consumer.mts', 'consumer.cts'],
    }
    writeFileSync(join(consumerDir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2))
    writeFileSync(join(consumerDir, 'consumer.mts'), CONSUMER_MTS)
    writeFileSync(join(consumerDir, 'consumer.cts'), CONSUMER_CTS)
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc')
    const out = await run(process.execPath, [tsc, '-p', 'tsconfig.json', '--pretty', 'false', '--traceResolution'], {
      cwd: consumerDir,
      timeoutMs: 120_000,
    })
    const errors = out.stdout.split('\n').filter((l) => /error TS\d+/.test(l))
    expect(errors, 'tsc errors in the consumer files').toEqual([])
    expect(out.code, out.stdout.slice(-2000) + out.stderr).toBe(0)
    // Each specifier resolved to the package's own declaration files, through the exports map.
    for (const [specifier, file] of [
      ['yann', 'dist/index.d.ts'],
      ['yann', 'dist/index.d.cts'],
      ['yann/node', 'dist/node.d.ts'],
      ['yann/node', 'dist/node.d.cts'],
    ]) {
      const line = new RegExp(`Module name '${specifier}' was successfully resolved to '[^']*node_modules/yann/${file.replace(/\./g, '\\.')}'`)
      expect(out.stdout, `${specifier} → ${file}`).toMatch(line)
    }
  })
})
