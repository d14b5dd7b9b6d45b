import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parseResult, RESULT_MARKER, ROOT, run } from '../runtimes/util.js'

/**
 * Run by the `wasm-relaxed` vitest project only. The two binaries side by side, in fresh Node
 * processes with --experimental-wasm-relaxed-simd
 * (so both validate): `ready(module)` takes either, backendInfo() names the one in use, and
 * training the seed network gives the same numbers on both within float32 rounding (the
 * relaxed binary fuses the GEMM's multiply-adds: one rounding instead of two).
 */
const dir = mkdtempSync(join(tmpdir(), 'yann-relaxed-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function script(binary: 'yann.wasm' | 'yann-relaxed.wasm'): string {
  const src = (f: string) => JSON.stringify(join(ROOT, 'src', f))
  return `
import { readFileSync } from 'node:fs'
import { backendInfo, manualSeed, matmul, nn, optim, randn, ready } from ${src('api.ts')}
import { registerWasmBackend } from ${src('backend/wasm/index.ts')}
import { embeddedWasmBytes } from ${src('backend/wasm/embedded.ts')}
registerWasmBackend(embeddedWasmBytes)
await ready(await WebAssembly.compile(readFileSync(${JSON.stringify(join(ROOT, 'build', binary))})))
manualSeed(5)
const model = new nn.Sequential(new nn.Linear(64, 96), new nn.ReLU(), new nn.Linear(96, 3))
const opt = new optim.SGD(model.parameters(), { lr: 0.05 })
const x = randn([40, 64]), y = randn([40, 3])
const losses = []
for (let i = 0; i < 20; i++) {
  opt.zeroGrad()
  const loss = model.forward(x).sub(y).pow(2).mean()
  loss.backward()
  opt.step()
  losses.push(loss.item())
}
const product = Array.from(matmul(randn([64, 300]), randn([300, 64])).data)
console.log(${JSON.stringify(RESULT_MARKER)} + JSON.stringify({ info: backendInfo(), losses, product }))
`
}

async function runWith(binary: 'yann.wasm' | 'yann-relaxed.wasm') {
  const file = join(dir, `${binary}.mts`)
  writeFileSync(file, script(binary))
  const result = await run(process.execPath, ['--experimental-wasm-relaxed-simd', '--import', 'tsx', file], { cwd: ROOT, timeoutMs: 120_000 })
  expect(result.code, result.stderr).toBe(0)
  return parseResult(result, binary) as unknown as { info: { name: string; relaxedSimd: boolean; wasmBytes: number }; losses: number[]; product: number[] }
}

describe('yann.wasm and yann-relaxed.wasm', () => {
  it('ready(module) takes either binary; both train to the same numbers within float32 rounding', async () => {
    const [plain, relaxed] = await Promise.all([runWith('yann.wasm'), runWith('yann-relaxed.wasm')])
    expect(plain.info).toMatchObject({ name: 'wasm', relaxedSimd: false })
    expect(relaxed.info).toMatchObject({ name: 'wasm', relaxedSimd: true })
    expect(relaxed.info.wasmBytes).toBeGreaterThan(10_000)
    expect(plain.losses.at(-1)!).toBeLessThan(plain.losses[0] * 0.9)
    for (let i = 0; i < plain.losses.length; i++) expect(relaxed.losses[i]).toBeCloseTo(plain.losses[i], 4)
    // Sums of 300 products of N(0,1) values (|c| ~ 17): float32 rounding differences stay < 1e-3.
    let worst = 0
    for (let i = 0; i < plain.product.length; i++) worst = Math.max(worst, Math.abs(plain.product[i] - relaxed.product[i]))
    expect(worst).toBeLessThan(1e-3)
  })
})

describe('ready(module) once a binary is loaded', () => {
  it('accepts the same binary and refuses to switch to the other one or to a foreign module', async () => {
    const file = join(dir, 'switch.mts')
    // The Node entry loads its binary at import: the relaxed one, since the flag validates it.
    writeFileSync(
      file,
      `
import { readFileSync } from 'node:fs'
import { backendInfo, ready } from ${JSON.stringify(join(ROOT, 'src', 'index.node.ts'))}
const compiled = (f) => WebAssembly.compile(readFileSync(${JSON.stringify(join(ROOT, 'build'))} + '/' + f))
const outcome = (p) => p.then(() => 'ok', (e) => e.message)
const same = await outcome(ready(await compiled('yann-relaxed.wasm')))
const other = await outcome(ready(await compiled('yann.wasm')))
// The smallest valid module: the 8-byte header, no exports.
const foreign = await outcome(ready(await WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]))))
console.log(${JSON.stringify(RESULT_MARKER)} + JSON.stringify({ same, other, foreign, info: backendInfo() }))
`,
    )
    const result = await run(process.execPath, ['--experimental-wasm-relaxed-simd', '--import', 'tsx', file], { cwd: ROOT, timeoutMs: 120_000 })
    expect(result.code, result.stderr).toBe(0)
    const out = parseResult(result, 'switch') as unknown as { same: string; other: string; foreign: string; info: { relaxedSimd: boolean } }
    expect(out.same).toBe('ok')
    expect(out.other).toMatch(/^ready\(module\): the wasm backend already runs the relaxed-SIMD binary and cannot switch to the plain SIMD binary once loaded; .*call ready\(\) without a module/)
    expect(out.foreign).toMatch(/^ready\(module\): the module is not a yann wasm binary .*pass one of the package's two binaries, compiled/)
    expect(out.info.relaxedSimd).toBe(true)
  })
})
