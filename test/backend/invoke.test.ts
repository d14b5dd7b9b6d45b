import { afterEach, describe, expect, it } from 'vitest'
import { getBackend, setBackend, type BackendName } from '../../src/backend/index.js'
import { tsBackend as ts } from '../../src/backend/ts/index.js'
import { stagingTraffic, wasmBackend, wasmOnlyBackend as wasm } from '../../src/backend/wasm/index.js'
import { IN, invoke, OUT } from '../../src/backend/wasm/invoke.js'
import { setMaxArenaBytesForTests } from '../../src/backend/wasm/runtime.js'
import { tensor, zeros } from '../../src/index.js'
import { dtypes, make, random, rng } from './helpers.js'

/** invoke(): op codes that trap, the out-of-memory fallback, and the dispatchSmall switch. */

const r = rng(11)
const project = (process.env.YANN_BACKEND ?? 'ts') as BackendName

afterEach(() => {
  setMaxArenaBytesForTests()
  setBackend(project, project === 'wasm' ? { dispatchSmall: false } : {})
})

describe('op codes', () => {
  it.each(dtypes)('an op code the AssemblyScript side lacks is an Error naming the kernel and the code (%s)', (dtype) => {
    const x = make(dtype, 40).fill(1)
    const out = make(dtype, 40)
    const call = (code: number) => () => invoke('unary', x, [x, IN, out, OUT], (f, p) => f(code, p[0], p[1], 40), { code, op: 'log1p?' })
    expect(call(9999)).toThrow(/kernel 'unary' does not know op code 9999 \('log1p\?'\).*npm run gen && npm run build:wasm/)
    expect(call(-1)).toThrow(/kernel 'unary' does not know op code -1/)
    // The backend still works afterwards.
    wasm.unary('neg', x, out)
    expect(out[39]).toBe(-1)
  })

  it('unknown binary and loss codes trap too (no fall-through to the last op)', () => {
    const a = new Float32Array(8).fill(3)
    const out = new Float32Array(8)
    expect(() =>
      invoke('binary', out, [a, IN, a, IN, out, OUT], (f, p, meta) => f(77, p[0], 8, p[1], 8, p[2], 8, 1, meta), { code: 77, op: 'binary 77' }),
    ).toThrow(/kernel 'binary' does not know op code 77/)
    expect(() =>
      invoke('pointwiseLoss', a, [a, IN, a, IN, null, IN, out, OUT], (f, p) => f(5, p[0], p[1], 0, p[3], 8), { code: 5 }),
    ).toThrow(/kernel 'pointwiseLoss' does not know op code 5/)
  })
})

describe('work that does not fit wasm memory', () => {
  it.each(dtypes)('runs on the ts kernels instead of failing (%s)', (dtype) => {
    const n = 5000
    const a = random(dtype, n, r)
    const b = random(dtype, n, r)
    const ref = make(dtype, n)
    ts.binary('mul', a, b, ref, [n], [1], [1])
    setMaxArenaBytesForTests(1024)
    const before = stagingTraffic().stagedInBytes
    const got = make(dtype, n)
    wasm.binary('mul', a, b, got, [n], [1], [1])
    expect(stagingTraffic().stagedInBytes).toBe(before) // nothing staged: the ts kernel ran
    expect(Array.from(got)).toEqual(Array.from(ref))
    const g = make(dtype, 64 * 64)
    wasm.gemm(random(dtype, 64 * 64, r), random(dtype, 64 * 64, r), g, { m: 64, n: 64, k: 64 })
    expect(g.some((v) => v !== 0)).toBe(true)
  })

  it('zeros([10000, 10000]).add(zeros([10000, 10000])) works (1.2 GB: more than the arena holds)', () => {
    const y = zeros([10000, 10000]).add(zeros([10000, 10000]))
    expect(y.shape).toEqual([10000, 10000])
    expect(y.data[0]).toBe(0)
    expect(y.data[99_999_999]).toBe(0)
  })

  it('an array of 2 GiB or more does not fit (its slot size wrapped to a negative int32: nothing was reserved and the kernel wrote past the arena)', () => {
    // A float32 array that says it holds 2^29 elements (2 GiB), without allocating them.
    class Huge extends Float32Array {
      override get length(): number {
        return 2 ** 29
      }
    }
    let ran = false
    expect(invoke('unary', new Float32Array(1), [new Huge(4), OUT], () => (ran = true))).toBe(false)
    expect(ran).toBe(false)
  })

  it('what fits nowhere is an error naming the shape and the bytes', () => {
    expect(() => zeros([1 << 20, 1]).matmul(zeros([1, 1 << 20]))).toThrow(/shape \[1048576, 1048576\] \(4398046511104 bytes as float32\)/)
  })
})

describe("setBackend('wasm', { dispatchSmall })", () => {
  it('false runs a 3-element op in wasm; the default runs it on the ts kernel', () => {
    setBackend('wasm', { dispatchSmall: false })
    const before = stagingTraffic().stagedInBytes
    expect(Array.from(tensor([1, 2, 3]).add(tensor([10, 20, 30])).data)).toEqual([11, 22, 33])
    expect(stagingTraffic().stagedInBytes - before).toBe(24)
    setBackend('wasm')
    const again = stagingTraffic().stagedInBytes
    expect(Array.from(tensor([1, 2, 3]).mul(2).data)).toEqual([2, 4, 6])
    expect(stagingTraffic().stagedInBytes).toBe(again)
    expect(getBackend()).toBe('wasm')
    expect(wasmBackend).not.toBe(wasm)
  })

  it('rejects unknown options, naming the known one', () => {
    expect(() => setBackend('wasm', { dispatchsmall: false } as never)).toThrow(/unknown option 'dispatchsmall'; the known option is dispatchSmall/)
  })
})
