import { beforeAll, describe, expect, it } from 'vitest'
import { getBackend, setBackend } from '../../src/backend/index.js'
import { tsBackend as ts } from '../../src/backend/ts/index.js'
import type { SgdOptions } from '../../src/backend/types.js'
import {
  allocFloat,
  memoryStats,
  registerWasmBackend,
  wasmBackend,
  wasmLoader,
  wasmOnlyBackend as wasm,
} from '../../src/backend/wasm/index.js'
import { decodeBase64, decodeBase64Portable } from '../../src/backend/wasm/base64.js'
import { embeddedWasmBytes } from '../../src/backend/wasm/embedded.js'
import { KERNELS } from '../../src/backend/wasm/invoke.js'
import { kernelTable } from '../../src/backend/wasm/kernel-table.generated.js'
import { kernelError } from '../../src/backend/wasm/runtime.js'
import { dtypes, expectClose, make, random, rng } from './helpers.js'

/** Staging, in-place views of wasm memory, memory growth, leaks, loading and errors. */

beforeAll(() => {
  expect(wasmLoader.loadSync()).not.toBeNull()
})

const r = rng(7)

describe.each(dtypes)('wasm memory: %s', (dtype) => {
  it('uses views of wasm memory in place (inputs, outputs, in-place updates)', () => {
    const m = 19
    const n = 23
    const k = 29
    const A = allocFloat(dtype, m * k)
    const B = allocFloat(dtype, k * n)
    const C = allocFloat(dtype, m * n)
    const a = random(dtype, m * k, r)
    const b = random(dtype, k * n, r)
    A.view().set(a)
    B.view().set(b)
    const ref = make(dtype, m * n)
    ts.gemm(a, b, ref, { m, n, k })
    wasm.gemm(A.view(), B.view(), C.view(), { m, n, k })
    expectClose(C.view(), ref, 'gemm, all operands in wasm memory', { floor64: 1 })

    // Mixed: a JS input and a wasm output.
    C.view().fill(0)
    wasm.gemm(a, B.view(), C.view(), { m, n, k })
    expectClose(C.view(), ref, 'gemm, JS A, wasm B and out', { floor64: 1 })

    // A wasm output aliasing a wasm input (binary's in-place accumulate).
    const X = allocFloat(dtype, 100)
    const x = random(dtype, 100, r)
    const y = random(dtype, 100, r)
    X.view().set(x)
    const sum = make(dtype, 100)
    ts.binary('add', x, y, sum, [100], [1], [1])
    wasm.binary('add', X.view(), y, X.view(), [100], [1], [1])
    expectClose(X.view(), sum, 'binary add into a wasm input')

    // An optimiser step on a parameter and its buffer living in wasm memory.
    const o: SgdOptions = { lr: 0.1, momentum: 0.9, dampening: 0, nesterov: true, weightDecay: 0.01 }
    const P = allocFloat(dtype, 100)
    const M = allocFloat(dtype, 100)
    const p = random(dtype, 100, r)
    P.view().set(p)
    const buf = make(dtype, 100)
    for (let step = 0; step < 3; step++) {
      const g = random(dtype, 100, r)
      ts.sgdStep(p, g, buf, step === 0, o)
      wasm.sgdStep(P.view(), g, M.view(), step === 0, o)
    }
    expectClose(P.view(), p, 'sgd on a wasm parameter')
    expectClose(M.view(), buf, 'sgd momentum buffer in wasm')
    for (const h of [A, B, C, X, P, M]) h.free()
  })

  it('stays right when wasm memory grows between and during calls', () => {
    const n = 150
    const a = random(dtype, n * n, r)
    const b = random(dtype, n * n, r)
    const ref = make(dtype, n * n)
    ts.gemm(a, b, ref, { m: n, n, k: n, transB: true })
    const out = make(dtype, n * n)
    wasm.gemm(a, b, out, { m: n, n, k: n, transB: true })
    expectClose(out, ref, 'gemm before growth', { floor64: 1 })

    const X = allocFloat(dtype, 1000)
    const oldView = X.view()
    const before = memoryStats().wasmBytes
    const big = allocFloat(dtype, 16 << 20) // 64 or 128 MiB: memory.grow
    expect(memoryStats().wasmBytes).toBeGreaterThan(before)
    expect(oldView.length).toBe(0) // detached, as documented

    out.fill(0)
    wasm.gemm(a, b, out, { m: n, n, k: n, transB: true })
    expectClose(out, ref, 'gemm after growth', { floor64: 1 })

    // A stale view is an error, never an empty result.
    expect(() => wasm.unary('neg', oldView, oldView)).toThrow(/detached by memory.grow/)

    // Growth during a call: a wasm `out` whose pointer is taken before the arena grows.
    const Out = allocFloat(dtype, 4)
    const huge = random(dtype, 8 << 20, r) // more than the arena and the free heap hold
    const hugeRef = make(dtype, 4)
    ts.sumAxis(huge, hugeRef, 4, 2 << 20, 1, 1)
    const stats0 = memoryStats()
    wasm.sumAxis(huge, Out.view(), 4, 2 << 20, 1, 1)
    expect(memoryStats().arenaBytes).toBeGreaterThan(stats0.arenaBytes)
    // The first run (float32, fresh instance) has no free heap this large: memory.grow ran mid-call.
    if (dtype === 'float32') expect(memoryStats().wasmBytes).toBeGreaterThan(stats0.wasmBytes)
    expectClose(Out.view(), hugeRef, 'sumAxis into wasm memory while the arena grew', { floor64: 1, rel32: 1e-4 })
    for (const h of [X, big, Out]) h.free()
  })
})

describe('wasm memory: no leaks', () => {
  it('10 000 calls with JS arrays leave wasm memory where 1 000 left it', () => {
    const x = random('float32', 4096, r)
    const y = random('float32', 4096, r)
    const out = make('float32', 4096)
    const a64 = random('float64', 64 * 48, r)
    const b64 = random('float64', 48 * 32, r)
    const c64 = make('float64', 64 * 32)
    const p = random('float32', 1000, r)
    const buf = make('float32', 1000)
    const o: SgdOptions = { lr: 0.01, momentum: 0.9, dampening: 0, nesterov: false, weightDecay: 0 }
    const live0 = memoryStats().liveAllocations
    let at1000 = memoryStats()
    for (let i = 1; i <= 10_000; i++) {
      const be = i % 2 ? wasm : wasmBackend
      be.binary('mul', x, y, out, [4096], [1], [1])
      be.unary('tanh', out, out)
      be.gemm(a64, b64, c64, { m: 64, n: 32, k: 48, transA: i % 3 === 0 })
      be.sgdStep(p, y.subarray(0, 1000), buf, i === 1, o)
      be.softmax(x, out, 64, 64, 1, false)
      if (i % 97 === 0) {
        // A transient allocation, freed again.
        allocFloat('float64', 10_000 + i).free()
      }
      if (i === 1000) at1000 = memoryStats()
    }
    const at10000 = memoryStats()
    expect(at10000.wasmBytes).toBe(at1000.wasmBytes)
    expect(at10000.arenaBytes).toBe(at1000.arenaBytes)
    expect(at10000.liveAllocations).toBe(live0)
  })

  it('allocFloat counts live blocks, frees once, zeroes, and its memory is reused', () => {
    const s0 = memoryStats()
    const h = allocFloat('float64', 1000)
    expect(h.view()).toEqual(new Float64Array(1000))
    expect(h.ptr % 8).toBe(0)
    expect(memoryStats().liveAllocations).toBe(s0.liveAllocations + 1)
    h.free()
    h.free()
    expect(memoryStats().liveAllocations).toBe(s0.liveAllocations)
    expect(() => h.view()).toThrow(/after free/)
    for (let i = 0; i < 200; i++) allocFloat('float32', 1 << 18).free() // 1 MiB each
    const s1 = memoryStats()
    for (let i = 0; i < 200; i++) allocFloat('float32', 1 << 18).free()
    expect(memoryStats().wasmBytes).toBe(s1.wasmBytes)
    expect(() => allocFloat('int32' as 'float32', 3)).toThrow(/dtype/)
  })
})

describe('wasm loader and errors', () => {
  it('loads synchronously, asynchronously and from a precompiled module, always one backend', async () => {
    const b = wasmLoader.loadSync()
    expect(b).toBe(wasmBackend)
    expect(b!.name).toBe('wasm')
    expect(await wasmLoader.load()).toBe(wasmBackend)
    const module = await WebAssembly.compile(embeddedWasmBytes())
    expect(await wasmLoader.load(module)).toBe(wasmBackend)
    // No imports (asconfig.json: abort traps): V8 compiles no import wrapper at load (~0.4 ms of cold start).
    expect(WebAssembly.Module.imports(module)).toEqual([])
    const exports = WebAssembly.Module.exports(module).map((e) => e.name)
    expect(exports).toContain('alloc')
    expect(exports).toContain('free')
    expect(exports).toContain('memory')
    // The kernels sit in one table (scripts/wasm-table.mjs): instantiating makes no function of
    // them. Every kernel the bindings call is there, its f32 and f64 functions side by side.
    expect(WebAssembly.Module.exports(module)).toContainEqual({ name: 'kernels', kind: 'table' })
    expect(exports.filter((name) => /_f(32|64)$/.test(name))).toEqual([])
    const table = kernelTable.split(' ')
    expect(table).toEqual(expect.arrayContaining([...KERNELS]))
    const instance = new WebAssembly.Instance(module)
    expect((instance.exports.kernels as WebAssembly.Table).length).toBe(2 * table.length)
  })

  it('registerWasmBackend makes setBackend("wasm") work', () => {
    const before = getBackend()
    registerWasmBackend(embeddedWasmBytes)
    setBackend('wasm')
    expect(getBackend()).toBe('wasm')
    setBackend(before)
  })

  it('decodes base64 like Buffer, without atob', () => {
    const rr = rng(3)
    for (const n of [0, 1, 2, 3, 4, 5, 100, 1001]) {
      const bytes = new Uint8Array(n).map(() => Math.floor(rr() * 256))
      const text = Buffer.from(bytes).toString('base64')
      expect(decodeBase64(text)).toEqual(bytes)
      // The JS loop used where the platform has no native decoder.
      expect(decodeBase64Portable(text, text.replace(/=+$/, '').length)).toEqual(bytes)
    }
    expect(() => decodeBase64('ab$d')).toThrow(/invalid character/)
  })

  it('never lets a trap or an abort surface raw', () => {
    // An allocation the allocator refuses (it traps): a clear Error.
    let caught: unknown
    try {
      allocFloat('float32', 2 ** 29) // 2 GiB: beyond one heap block
    } catch (e) {
      caught = e
    }
    expect(caught).toBeInstanceOf(Error)
    expect(caught).not.toBeInstanceOf(WebAssembly.RuntimeError)
    expect(String(caught)).toBe('WasmOutOfMemory: allocFloat: cannot allocate 2147483648 bytes of wasm memory (one block of wasm memory holds less than 1 GiB)')
    // A kernel reading out of bounds (kernels trust their caller): a named Error.
    const X = allocFloat('float32', 8)
    let trapped: unknown
    try {
      wasm.stridedCopy(X.view(), new Float32Array(8), [8], [1], 1_000_000_000)
    } catch (e) {
      trapped = e
    }
    X.free()
    expect(trapped).not.toBeInstanceOf(WebAssembly.RuntimeError)
    expect(String(trapped)).toMatch(/kernel 'stridedCopy' trapped/)
    expect(String(kernelError('gemm', new WebAssembly.RuntimeError('unreachable')))).toMatch(/kernel 'gemm' trapped/)
    // The backend still works after both.
    const out = new Float32Array(100)
    wasm.unary('neg', new Float32Array(100).fill(2), out)
    expect(out[99]).toBe(-2)
  })
})
