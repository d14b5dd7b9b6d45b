import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import v8 from 'node:v8'
import vm from 'node:vm'
import { describe, expect, it } from 'vitest'
import { wasmExports } from '../../src/backend/wasm/runtime.js'
import { getBackend, manualSeed, memory, nn, optim, randn, type Tensor } from '../../src/index.js'
import { batches, mlp, trainStep } from './small-mlp.js'

/** Freeing parameter memory: dispose(), the FinalizationRegistry, and JS memory before ready(). */

describe('dispose', () => {
  it('frees parameters, gradients and optimiser state; 1 000 models made and disposed leave wasm memory flat', () => {
    const base = memory().liveParameters
    const [[x, y]] = batches('float32', 1)
    const cycle = (): void => {
      const model = mlp()
      const opt = new optim.Adam(model.parameters())
      trainStep(model, opt, x, y)
      expect(memory().liveParameters).toBe(base + 6 * 4) // 6 parameters: values, gradients, two moments
      opt.dispose()
      expect(memory().liveParameters).toBe(base + 6 * 2)
      model.dispose()
      expect(memory().liveParameters).toBe(base)
    }
    for (let i = 0; i < 100; i++) cycle()
    const after100 = memory().wasmBytes
    for (let i = 100; i < 1000; i++) cycle()
    expect(memory().wasmBytes).toBe(after100)
    expect(memory().liveParameters).toBe(base)
  })

  it('using a disposed parameter or optimiser state is an error naming it, never a read of freed memory', () => {
    const model = new nn.Sequential(new nn.Linear(5, 3), new nn.ReLU(), new nn.Linear(3, 2))
    const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 })
    const x = randn([4, 5])
    trainStep(model, opt, x, randn([4, 2]))
    const w = model.getParameter('0.weight')
    const saved = model.stateDict()
    const optSaved = opt.stateDict()

    opt.dispose()
    expect(() => optSaved.state[0].momentumBuffer as Tensor).not.toThrow()
    expect(() => (optSaved.state[0].momentumBuffer as Tensor).data).toThrow(
      "SGD state 'momentumBuffer' of parameter 0 [3, 5] was disposed (optimizer.dispose() freed its memory)",
    )
    expect(() => opt.step()).toThrow('SGD.step: this optimiser was disposed')
    expect(Array.from(w.data).length).toBe(15) // the parameters stay

    model.dispose()
    model.dispose() // twice: a no-op
    const gone = /Parameter 0\.weight \[3, 5\] was disposed \(module\.dispose\(\) freed its memory\); it can no longer be used/
    expect(() => w.data).toThrow(gone)
    expect(() => model.forward(x)).toThrow(gone)
    expect(() => saved['0.weight'].data).toThrow(gone) // the state dict shared its memory
    expect(() => String(w)).toThrow(gone)
    expect(() => model.getParameter('2.bias').data).toThrow(/Parameter 2\.bias \[2\] was disposed/)
    expect(w.grad).toBeNull()
    expect(w.disposed).toBe(true)
    expect(() => w.accumulateGrad(randn([3, 5]))).toThrow(gone)

    const p = new nn.Parameter(randn([2, 2]))
    const live = memory().liveParameters
    p.dispose()
    expect(memory().liveParameters).toBe(live - 1)
    expect(() => p.data).toThrow('Parameter [2, 2] was disposed (p.dispose() freed its memory)')
  })

  it('the FinalizationRegistry frees parameters and state that become unreachable without dispose()', async () => {
    // Node exposes the collector only behind --expose-gc; a context made after the flag is set has gc().
    v8.setFlagsFromString('--expose-gc')
    const gc = vm.runInNewContext('gc') as () => void
    // Finalisers run in tasks some time after the collection (later under load): rounds of a
    // collection and a short wait, until `done` holds, or without `done` until three rounds in a
    // row free nothing; at most ~5 s, so a registry that frees nothing still fails the test.
    const collect = async (done?: () => boolean): Promise<void> => {
      let stable = 0
      for (let k = 0; k < 500 && (done ? !done() : stable < 3); k++) {
        const before = memory().liveParameters
        gc()
        await new Promise((resolve) => setTimeout(resolve, 10))
        stable = memory().liveParameters === before ? stable + 1 : 0
      }
    }
    const [[x, y]] = batches('float32', 1)
    await collect() // what earlier tests left unreachable
    const base = memory().liveParameters
    const forget = (n: number): void => {
      for (let i = 0; i < n; i++) {
        const model = mlp()
        trainStep(model, new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 }), x, y)
      }
    }
    forget(200)
    expect(memory().liveParameters).toBe(base + 200 * 6 * 3)
    // At most base: what earlier tests left may be freed only now (no other parameter is made meanwhile).
    await collect(() => memory().liveParameters <= base)
    expect(memory().liveParameters).toBeLessThanOrEqual(base)
    // Their memory is reused: another 200 forgotten models (fewer than the freed blocks hold) need no growth.
    const size = memory().wasmBytes
    forget(200)
    expect(memory().wasmBytes).toBe(size)
  })
})

describe('before the wasm backend loads', () => {
  it('parameter memory is JS memory (a browser before ready()), and modules made after ready() mix with it', () => {
    // A fresh process importing the API without any wasm entry: what a page sees before ready().
    const src = resolve(__dirname, '../../src')
    const script = `
      import { memory, nn, optim, ready, randn, getBackend, manualSeed } from ${JSON.stringify(join(src, 'api.ts'))}
      import { registerWasmBackend } from ${JSON.stringify(join(src, 'backend/wasm/index.ts'))}
      import { embeddedWasmBytes } from ${JSON.stringify(join(src, 'backend/wasm/embedded.ts'))}
      import { wasmExports } from ${JSON.stringify(join(src, 'backend/wasm/runtime.ts'))}
      const out = {}
      manualSeed(3)
      const first = new nn.Linear(4, 3)
      const x = randn([2, 4])
      first.forward(x).sum().backward()
      new optim.SGD(first.parameters(), { lr: 0.1, momentum: 0.9 }).step()
      out.before = { backend: getBackend(), memory: memory(), loaded: wasmExports() !== null }
      registerWasmBackend(embeddedWasmBytes)
      await ready()
      const second = new nn.Linear(3, 2)
      const model = new nn.Sequential(first, new nn.Tanh(), second)
      const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 })
      const losses = []
      for (let i = 0; i < 20; i++) {
        opt.zeroGrad()
        const loss = model.forward(x).sub(0.5).pow(2).mean()
        loss.backward()
        opt.step()
        losses.push(loss.item())
      }
      out.after = { backend: getBackend(), live: memory().liveParameters, wasmBytes: memory().wasmBytes,
        firstInJs: first.weight.data.buffer !== wasmExports().memory.buffer && first.weight.grad.data.buffer !== wasmExports().memory.buffer,
        secondInWasm: second.weight.data.buffer === wasmExports().memory.buffer && second.weight.grad.data.buffer === wasmExports().memory.buffer,
        trained: losses[19] < losses[0] }
      model.dispose()
      try { first.weight.data } catch (e) { out.error = String(e) }
      out.liveAfterDispose = memory().liveParameters
      console.log(JSON.stringify(out))
    `
    const dir = mkdtempSync(join(tmpdir(), 'yann-nowasm-'))
    try {
      const file = join(dir, 'before-ready.mts')
      writeFileSync(file, script)
      const run = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: resolve(__dirname, '../..'), encoding: 'utf8' })
      expect(run.stderr).toBe('')
      const out = JSON.parse(run.stdout)
      expect(out.before).toEqual({
        backend: 'ts',
        memory: { wasmBytes: 0, liveParameters: 0, arenaBytes: 0 },
        loaded: false,
      })
      // After ready(): the new layer's values, and every gradient buffer and momentum buffer made
      // from then on, are in wasm (2 values + 2 gradients + 4 momentum buffers; the first layer's
      // gradient buffers were made before ready(), in JS).
      expect(out.after).toMatchObject({ backend: 'wasm', live: 8, firstInJs: true, secondInWasm: true, trained: true })
      expect(out.after.wasmBytes).toBeGreaterThan(0)
      expect(out.error).toMatch(/Parameter 0\.weight \[3, 4\] was disposed/)
      expect(out.liveAfterDispose).toBe(4) // the optimiser's momentum buffers: opt was not disposed
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
