import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, inject, it } from 'vitest'
import { parseResult, RESULT_MARKER, run } from './util.js'

/**
 * Issue 11 §3.1 and §3.5, on the packed package as a user gets it (plain `node`, no --expose-gc).
 * Each program is written into the consumer project and prints its result after RESULT_MARKER.
 */

/** 10 000 times: make a 784-128-10 MLP and an SGD, train one step, drop both (no dispose, no gc). */
const CHURN = `import { F, memory, nn, optim, randn, tensor } from 'yann'
const x = randn([8, 784])
const y = tensor([0, 1, 2, 3, 4, 5, 6, 7], { dtype: 'int32' })
let maxWasmBytes = 0
let loss = 0
const start = performance.now()
for (let i = 0; i < 10000; i++) {
  const model = new nn.Sequential(new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10))
  const opt = new optim.SGD(model.parameters(), { lr: 0.1 })
  const l = F.crossEntropy(model.forward(x), y)
  l.backward()
  opt.step()
  loss = l.item()
  maxWasmBytes = Math.max(maxWasmBytes, memory().wasmBytes)
}
console.log(${JSON.stringify(RESULT_MARKER)} + JSON.stringify({ cycles: 10000, maxWasmBytes, loss, seconds: (performance.now() - start) / 1000 }))
`

/** Tensors of the ESM build and the CommonJS build in one program, mixed in both directions. */
const DUAL = `import { createRequire } from 'node:module'
import * as esm from 'yann'
const cjs = createRequire(import.meta.url)('yann')
const a = esm.tensor([1, 2], { requiresGrad: true })
const b = cjs.tensor([10, 20], { requiresGrad: true })
const sum = a.add(b)
const product = b.mul(a)
esm.F.mseLoss(sum, cjs.tensor([0, 0])).backward()
const linear = new cjs.nn.Linear(2, 1)
const out = linear.forward(esm.tensor([[1, 1]]))
console.log(${JSON.stringify(RESULT_MARKER)} + JSON.stringify({
  distinctBuilds: esm.Tensor !== cjs.Tensor,
  sum: Array.from(sum.data),
  product: Array.from(product.data),
  aGrad: Array.from(a.grad.data),
  bGrad: Array.from(b.grad.data),
  instanceof: [a instanceof cjs.Tensor, b instanceof esm.Tensor, linear.weight instanceof esm.Tensor, a instanceof cjs.nn.Parameter],
  linear: Math.abs(out.item() - (linear.weight.data[0] + linear.weight.data[1] + linear.bias.data[0])) < 1e-6,
}))
`

describe('the packed package in plain Node', () => {
  const consumerDir = inject('consumerDir')

  it('10 000 create/train/drop cycles of a 784-128-10 MLP, no dispose(), no gc(): run to the end with bounded wasm memory (§3.1)', async () => {
    writeFileSync(join(consumerDir, 'churn.mjs'), CHURN)
    const result = parseResult(await run(process.execPath, ['churn.mjs'], { cwd: consumerDir, timeoutMs: 170_000 }), 'node churn.mjs')
    console.log(`[churn] ${JSON.stringify(result)}`)
    expect(result.cycles).toBe(10000)
    expect(Number.isFinite(result.loss)).toBe(true)
    // The parameter budget is 256 MiB; ~8 GB would be needed without eviction.
    expect(result.maxWasmBytes).toBeLessThanOrEqual(512 * 2 ** 20)
  })

  it('tensors from require("yann") and import "yann" mix in ops, autograd and instanceof (§3.5)', async () => {
    writeFileSync(join(consumerDir, 'dual.mjs'), DUAL)
    const result = parseResult(await run(process.execPath, ['dual.mjs'], { cwd: consumerDir, timeoutMs: 60_000 }), 'node dual.mjs')
    expect(result).toEqual({
      distinctBuilds: true,
      sum: [11, 22],
      product: [10, 40],
      aGrad: [11, 22],
      bGrad: [11, 22],
      instanceof: [true, true, true, false],
      linear: true,
    })
  })
})

describe('the shipped types', () => {
  it('leave out the @internal members (autograd scratch fields and engine hooks)', () => {
    const consumerDir = inject('consumerDir')
    for (const file of ['index.d.ts', 'index.d.cts']) {
      const types = readFileSync(join(consumerDir, 'node_modules/yann/dist', file), 'utf8')
      for (const name of ['_visit', '_pendingGrad', 'setGradFn', 'accumulateGrad(', 'lendGradBuffer(', 'viewAs(', 'bind(', 'Layer$1']) {
        expect(types.includes(name), `${file} mentions ${name}`).toBe(false)
      }
    }
  })
})
