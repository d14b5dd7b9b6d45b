import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { F, getBackend, ones, setBackend, tensor, type BackendName } from '../../src/index.js'
import type { Conv2dOptions } from '../../src/backend/types.js'
import { wasmOnlyBackend as wasm } from '../../src/backend/wasm/backend.js'
import { allocFloat, memoryStats, stagingTraffic, WasmOutOfMemory } from '../../src/backend/wasm/runtime.js'

/**
 * Sizes the wasm kernels compute from shapes can pass 32 bits while every array is small: the
 * columns of a convolution (c·kh·kw·L) with padding, and plane coordinates with huge padding,
 * stride or dilation. Neither may wrap into a small block or a wrong index: the first is
 * WasmOutOfMemory with the true size (assembly/convgemm.ts computes it in f64), the second
 * runs the ts kernel (src/backend/wasm/vision.ts, indexable). No test here allocates gigabytes.
 */

// x [1, 1, 2, 2] and weight [1, 1, 256, 256], padded 254 × 255: the arrays are 4, 65536 and
// ~16k floats, the columns K · L = 65536 × 16512 floats (stride 2) = 4328521728 bytes, which
// wrapped mod 2^32 to a 32 MiB block that im2col then wrote past (a trap, or worse).
const K = 256
const strided = (sh: number, oh: number, ow: number): Conv2dOptions => ({
  n: 1, c: 1, oc: 1, groups: 1,
  g: { h: 2, w: 2, kh: K, kw: K, sh, sw: sh, ph: 254, pw: 255, dh: 1, dw: 1, oh, ow },
})

function thrown(f: () => void): Error {
  try {
    f()
  } catch (e) {
    return e as Error
  }
  throw new Error('expected an error')
}

describe('wasm kernels: sizes past 32 bits', () => {
  let before: BackendName
  beforeEach(() => {
    before = getBackend()
    setBackend('wasm', { dispatchSmall: false })
  })
  afterEach(() => setBackend(before))

  it("conv2d whose columns pass 2^32 bytes from small arrays: WasmOutOfMemory with the true size, not a wrapped block", () => {
    const x = new Float32Array(4).fill(1)
    const w = new Float32Array(K * K).fill(1)
    const e = thrown(() => F.conv2d(ones([1, 1, 2, 2]), ones([1, 1, K, K]), null, { stride: 2, padding: [254, 255] }))
    expect(e).toBeInstanceOf(WasmOutOfMemory)
    expect(e.message).toBe(
      'conv2d: out of wasm memory: the kernel could not allocate its 4328521728-byte scratch for input [1, 1, 2, 2], ' +
        'weight [1, 1, 256, 256] → [1, 1, 128, 129] (stride 2×2, padding 254×255, dilation 1×1, groups 1) ' +
        '(one block of wasm memory holds less than 1 GiB); use a smaller batch or smaller shapes',
    )
    // Every path that sizes columns or packed columns: strided (im2col) and stride 1 (packed B), each gradient.
    const s2 = strided(2, 128, 129)
    const s1 = strided(1, 255, 257)
    const calls: [string, () => void][] = [
      ['conv2dInputGrad', () => wasm.conv2dInputGrad(new Float32Array(128 * 129), w, new Float32Array(4), s2)],
      ['conv2dWeightGrad', () => wasm.conv2dWeightGrad(x, new Float32Array(128 * 129), new Float32Array(K * K), s2)],
      ['conv2d', () => wasm.conv2d(x, w, new Float32Array(255 * 257), s1)],
      ['conv2dWeightGrad', () => wasm.conv2dWeightGrad(x, new Float32Array(255 * 257), new Float32Array(K * K), s1)],
    ]
    for (const [op, call] of calls) {
      const err = thrown(call)
      expect(err).toBeInstanceOf(WasmOutOfMemory)
      expect(err.message).toMatch(new RegExp(`^${op}: out of wasm memory: the kernel could not allocate its \\d+-byte scratch .*less than 1 GiB\\); use a smaller batch or smaller shapes$`))
      expect(Number(/its (\d+)-byte/.exec(err.message)![1])).toBeGreaterThan(2 ** 32)
    }
    // The kernels work right after.
    expect(Array.from(F.conv2d(tensor([[[[1, 2], [3, 4]]]]), tensor([[[[1, 1], [1, 1]]]]), null, { stride: 2, padding: 1 }).data)).toEqual([1, 2, 3, 4])
  })

  it('padding, stride or dilation past i32 plane coordinates: the right values (the ts kernel), not a wrapped index', () => {
    const x = () => tensor([[[[1, 2], [3, 4]]]])
    const w = () => tensor([[[[1, 10], [100, 1000]]]])
    /** The values of `f()`, and whether a wasm kernel ran (it stages its JS arrays). */
    const run = (f: () => { data: ArrayLike<number> }): [number[], boolean] => {
      const staged = stagingTraffic().stagedInBytes
      const values = Array.from(f().data)
      return [values, stagingTraffic().stagedInBytes > staged]
    }
    // Stride 2^32 (i32 0: a division by zero) and 2^31 (i32 −2^31: it gave 0) keep the first element.
    expect(run(() => F.conv2d(x(), tensor([[[[1]]]]), null, { stride: 2 ** 32 }))).toEqual([[1], false])
    expect(run(() => F.conv2d(x(), tensor([[[[1]]]]), null, { stride: 2 ** 31 }))).toEqual([[1], false])
    // Taps 2^31 apart around 2^30 of padding (it trapped): every tap reads padding.
    expect(run(() => F.conv2d(x(), w(), null, { padding: 2 ** 30, dilation: 2 ** 31 }))).toEqual([[0, 0, 0, 0], false])
    // One window of height 2^31 over the whole plane (it gave −Infinity).
    expect(run(() => F.maxPool2d(x(), [2 ** 31, 2], { padding: [2 ** 30, 0] }))).toEqual([[4], false])
    // Below the bound (2^28) the wasm kernels run, and right.
    expect(run(() => F.conv2d(x(), tensor([[[[1]]]]), null, { stride: 2 ** 27 }))).toEqual([[1], true])
    expect(run(() => F.conv2d(x(), w(), null, { stride: 2, padding: [0, 2 ** 26], dilation: [1, 2 ** 27] }))).toEqual([[0], true])
  })

  it('im2col with a left padding wider than the output row writes only its columns', () => {
    // Width 2, padding 1000, taps 2000 apart, stride 2: one output column, whose first tap lies
    // 1000 left of the row, 500 strides: the zero run before the valid columns was 500 long.
    const g = { h: 1, w: 2, kh: 1, kw: 2, sh: 1, sw: 2, ph: 0, pw: 1000, dh: 1, dw: 2000, oh: 1, ow: 1 }
    const block = allocFloat('float32', 600)
    try {
      block.view().fill(7)
      wasm.im2col(new Float32Array([1, 2]), block.view().subarray(0, 2), 1, g)
      const after = Array.from(block.view())
      expect(after.slice(0, 2)).toEqual([0, 0])
      expect(after.slice(2)).toEqual(new Array<number>(598).fill(7))
    } finally {
      block.free()
    }
    expect(Array.from(F.conv2d(tensor([[[[1, 2]]]]), tensor([[[[1, 10]]]]), null, { stride: 2, padding: [0, 1000], dilation: [1, 2000] }).data)).toEqual([0])
  })

  it('allocFloat past 4 GiB: WasmOutOfMemory, not a block of the wrapped size', () => {
    const live = memoryStats().liveAllocations
    for (const [dtype, length, bytes] of [['float32', 2 ** 30 + 4, 4294967312], ['float64', 2 ** 29 + 2, 4294967312]] as const) {
      const e = thrown(() => allocFloat(dtype, length))
      expect(e).toBeInstanceOf(WasmOutOfMemory)
      expect(e.message).toBe(`allocFloat: cannot allocate ${bytes} bytes of wasm memory (one block of wasm memory holds less than 1 GiB)`)
    }
    expect(memoryStats().liveAllocations).toBe(live)
  })
})
