import { describe, expect, it } from 'vitest'
import { SMALL } from '../../src/backend/wasm/backend.js'
import { allocFloat, stagingTraffic, wasmExports } from '../../src/backend/wasm/runtime.js'
import { getBackend, manualSeed, memory, nn, optim, randn, setBackend, tensor, type BackendName, type Tensor } from '../../src/index.js'
import { explain } from '../../src/explain.js'
import { batches, mlp, mse, trainStep, values } from './small-mlp.js'

/**
 * The memory model (DESIGN.md): parameters, their gradients and optimiser state live in wasm
 * memory and are used there in place; everything else is JS memory staged through the arena.
 *
 * Both projects run every test here. The wasm instance exists in the ts project too (setup
 * awaits ready()), so parameters live in wasm memory there as well and only the kernels differ:
 * the ts kernels read and write the same views. Where an observable is about the wasm kernels'
 * staging, the test switches to the wasm backend for that part and back.
 */

function wasmBuffer(): ArrayBuffer {
  return wasmExports()!.memory.buffer
}

function withBackend<T>(name: BackendName, fn: () => T): T {
  const before = getBackend()
  setBackend(name)
  try {
    return fn()
  } finally {
    setBackend(before)
  }
}

describe('parameter memory', () => {
  it('parameters, their gradients and optimiser state are views of wasm memory', () => {
    const base = memory().liveParameters
    const model = new nn.Linear(5, 3)
    expect(memory().liveParameters).toBe(base + 2)
    for (const p of model.parameters()) expect(p.data.buffer).toBe(wasmBuffer())
    mse.forward(model.forward(randn([4, 5])), randn([4, 3])).backward()
    for (const p of model.parameters()) expect(p.grad!.data.buffer).toBe(wasmBuffer())
    expect(memory().liveParameters).toBe(base + 4) // + one gradient buffer each

    const sgd = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 })
    sgd.step()
    for (const p of model.parameters()) expect(sgd.state.get(p)!.momentumBuffer!.data.buffer).toBe(wasmBuffer())
    expect(memory().liveParameters).toBe(base + 6)

    const adam = new optim.Adam(model.parameters(), { lr: 0.1 })
    adam.step()
    for (const p of model.parameters()) {
      const s = adam.state.get(p)!
      expect(s.expAvg!.data.buffer).toBe(wasmBuffer())
      expect(s.expAvgSq!.data.buffer).toBe(wasmBuffer())
    }
    expect(memory().liveParameters).toBe(base + 10)
    adam.dispose()
    sgd.dispose()
    model.dispose()
    expect(memory().liveParameters).toBe(base)
  })

  it('memory() reports the wasm memory size, live parameter blocks and the arena', () => {
    const m = memory()
    expect(Object.keys(m).sort()).toEqual(['arenaBytes', 'liveParameters', 'wasmBytes'])
    expect(m.wasmBytes).toBe(wasmBuffer().byteLength)
    expect(m.wasmBytes % 65536).toBe(0)
    expect(m.arenaBytes).toBeGreaterThanOrEqual(0)
    expect(m.arenaBytes).toBeLessThan(m.wasmBytes)
    expect(Number.isInteger(m.liveParameters)).toBe(true)
  })

  it('a gradient buffer is allocated once and reused after zeroGrad (keep a gradient with clone())', () => {
    const model = new nn.Linear(4, 2, { dtype: 'float64' })
    const x = randn([3, 4], { dtype: 'float64' })
    const y = randn([3, 2], { dtype: 'float64' })
    const w = model.weight
    mse.forward(model.forward(x), y).backward()
    const first = w.grad!
    const kept = first.clone()
    const at = first.data.byteOffset
    const blocks = memory().liveParameters

    model.zeroGrad()
    expect(w.grad).toBeNull()
    mse.forward(model.forward(x.mul(2)), y).backward()
    const second = w.grad!
    expect(second).not.toBe(first) // a new tensor ...
    expect(second.data.byteOffset).toBe(at) // ... over the same buffer
    expect(memory().liveParameters).toBe(blocks) // nothing allocated
    // Written, not accumulated: the gradient of this step alone.
    const fresh = new nn.Linear(4, 2, { dtype: 'float64' })
    fresh.loadStateDict(model.stateDict())
    mse.forward(fresh.forward(x.mul(2)), y).backward()
    expect(Array.from(second.data)).toEqual(Array.from(fresh.weight.grad!.data))
    // As documented: the tensor kept from step one now shows step two; its clone does not.
    expect(Array.from(first.data)).toEqual(Array.from(second.data))
    expect(Array.from(kept.data)).not.toEqual(Array.from(second.data))

    // zeroGrad(false) zeroes in place and backward accumulates into the same tensor.
    model.zeroGrad(false)
    expect(w.grad).toBe(second)
    mse.forward(model.forward(x), y).backward()
    mse.forward(model.forward(x), y).backward()
    expect(Array.from(w.grad!.data)).toEqual(Array.from(kept.data).map((v) => 2 * v))
    model.dispose()
    fresh.dispose()
  })

  it('explain() leaves a model\'s gradients as they were', () => {
    const model = new nn.Sequential(new nn.Linear(3, 3), new nn.Sigmoid(), new nn.Linear(3, 2), new nn.Sigmoid())
    mse.forward(model.forward(tensor([1, 2, 3])), tensor([1, 0])).backward()
    const before = model.parameters().map((p) => Array.from(p.grad!.data))
    explain(model, tensor([0.2, 0.5, 0.9]), tensor([1, 0]), 'mse')
    expect(model.parameters().map((p) => Array.from(p.grad!.data))).toEqual(before)
    model.dispose()
  })

  it('a training step copies no weights: the wasm kernels take parameters, gradients and state in place', () => {
    // Weights far larger than the batch: staging any weight would show in the counts.
    const model = new nn.Sequential(new nn.Linear(256, 256), new nn.Tanh(), new nn.Linear(256, 4))
    const opt = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 })
    const params = model.parameters()
    const bytes = (p: Tensor): number => p.numel() * 4
    const paramBytes = params.reduce((s, p) => s + bytes(p), 0)
    const x = randn([2, 256])
    const y = randn([2, 4])
    const where = params.map((p) => p.data.byteOffset)
    trainStep(model, opt, x, y) // allocates gradient buffers and momentum: not counted below

    for (const name of [getBackend(), 'wasm'] as BackendName[]) {
      withBackend(name, () => {
        const t0 = stagingTraffic()
        opt.zeroGrad()
        const loss = mse.forward(model.forward(x), y)
        loss.backward()
        const t1 = stagingTraffic()
        opt.step()
        const t2 = stagingTraffic()
        // Forward and backward stage the batch, activations and their gradients (a few KB);
        // the weights (264 KB) are never among them.
        expect(t1.stagedInBytes - t0.stagedInBytes).toBeLessThan(paramBytes / 10)
        // Nor their gradients: backward() writes them straight into the gradient buffers
        // (it copied out 267 KB before, the gradients of the three big parameters).
        expect(t1.copiedOutBytes - t0.copiedOutBytes).toBeLessThan(paramBytes / 10)
        // The optimiser step stages nothing: parameter, gradient and momentum all in place.
        expect(t2.stagedInBytes - t1.stagedInBytes).toBe(0)
        expect(t2.copiedOutBytes - t1.copiedOutBytes).toBe(0)
        if (name === 'wasm') {
          // Every parameter big enough for the wasm kernel went in place three times in the step
          // (the value, its gradient, its momentum buffer); the forward pass used every weight and
          // bias in place, and the backward pass the second weight again (for the hidden layer's
          // gradient) and wrote the gradients of those big parameters in place.
          const big = params.filter((p) => p.numel() >= SMALL.elements).reduce((s, p) => s + bytes(p), 0)
          expect(t2.inPlaceBytes - t1.inPlaceBytes).toBe(3 * big)
          expect(t1.inPlaceBytes - t0.inPlaceBytes).toBe(paramBytes + bytes(params[2]) + big)
        } else {
          // The ts kernels run on the views themselves: nothing goes through the staging at all.
          expect(t2.inPlaceBytes - t0.inPlaceBytes).toBe(0)
          expect(t2.stagedInBytes - t0.stagedInBytes).toBe(0)
        }
      })
    }
    // Updated in place: the same blocks of wasm memory throughout.
    expect(model.parameters().map((p) => p.data.byteOffset)).toEqual(where)
    opt.dispose()
    model.dispose()
  })

  it.each(['float32', 'float64'] as const)('memory.grow mid-training (%s): views are re-created, results unchanged', (dtype) => {
    const data = batches(dtype, 12)
    const run = (grow: boolean): { params: number[][]; losses: number[]; grew: number } => {
      let grew = 0
      // Grows wasm memory by one page, as the allocator does when the heap is full: the old buffer
      // and every view of it are detached. (The allocator grows by at least the memory's size,
      // doubling it, so growing through allocations at every point below would take gigabytes.)
      const growNow = (): void => {
        if (!grow) return
        const before = wasmBuffer().byteLength
        const stale = model.parameters()[0].data
        wasmExports()!.memory.grow(1)
        expect(wasmBuffer().byteLength).toBe(before + 65536)
        expect(stale.length).toBe(0) // detached
        grew++
      }
      class Grow extends nn.Module {
        forward(x: Tensor): Tensor {
          growNow()
          return x
        }
      }
      const widths = [8, 32, 32, 4]
      manualSeed(11)
      const model = new nn.Sequential(
        new nn.Linear(widths[0], widths[1], { dtype }),
        new nn.Tanh(),
        new Grow(), // between two layers of the forward pass
        new nn.Linear(widths[1], widths[2], { dtype }),
        new nn.Tanh(),
        new nn.Linear(widths[2], widths[3], { dtype }),
      )
      const opt = new optim.Adam(model.parameters(), { lr: 0.01 })
      const losses: number[] = []
      data.forEach(([x, y], step) => {
        // Between steps, an allocation and a free, as other code may do (it may or may not grow).
        if (grow && step % 4 === 3) allocFloat(dtype, 1 << 20).free()
        opt.zeroGrad()
        const loss = mse.forward(model.forward(x), y)
        if (step % 4 === 1) growNow() // between forward and backward
        loss.backward()
        if (step % 4 === 2) growNow() // between backward and the optimiser step
        opt.step()
        losses.push(loss.item())
      })
      const params = values(model)
      opt.dispose()
      model.dispose()
      return { params, losses, grew }
    }
    const reference = run(false)
    const grown = run(true)
    expect(grown.grew).toBeGreaterThanOrEqual(12 + 6)
    // Same backend, same arithmetic: identical to the run without growth.
    expect(grown.losses).toEqual(reference.losses)
    expect(grown.params).toEqual(reference.params)
    // And the ts backend's reference run agrees to the dtype's tolerance.
    const onTs = withBackend('ts', () => run(false))
    const tol = dtype === 'float32' ? 1e-5 : 1e-12
    grown.params.flat().forEach((v, i) => expect(Math.abs(v - onTs.params.flat()[i])).toBeLessThan(tol))
  })

  it('a synchronous 10 000-step training loop leaves wasm memory as step 1 000 left it', () => {
    const model = mlp()
    const opt = new optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 })
    const data = batches('float32', 10)
    let at1000 = memory()
    let first = 0
    let last = 0
    for (let step = 1; step <= 10_000; step++) {
      const [x, y] = data[step % data.length]
      const loss = trainStep(model, opt, x, y)
      if (step <= data.length) first += loss
      if (step > 10_000 - data.length) last += loss
      if (step === 1000) at1000 = memory()
    }
    const at10000 = memory()
    expect(at10000.wasmBytes).toBe(at1000.wasmBytes)
    expect(at10000.liveParameters).toBe(at1000.liveParameters)
    expect(at10000.arenaBytes).toBe(at1000.arenaBytes)
    expect(last).toBeLessThan(first / 2) // it trained
  })
})
