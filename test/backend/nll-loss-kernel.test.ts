import { beforeAll, describe, expect, it } from 'vitest'
import { tsBackend as ts } from '../../src/backend/ts/index.js'
import { wasmLoader, wasmOnlyBackend as wasm } from '../../src/backend/wasm/index.js'
import { mulberry32 } from '../rng.js'

/**
 * The nllLoss and targetMask kernels (class-index targets of crossEntropy and nllLoss): wasm
 * against the ts kernel bit for bit, forced through wasm at every size, and cases worked by hand.
 */

beforeAll(() => {
  expect(wasmLoader.loadSync()).not.toBeNull()
})

type Arr = Float32Array | Float64Array

function run(be: typeof ts, dtype: string, x: number[], t: Int32Array, w: number[] | null, outer: number, classes: number, inner: number, ignore: number, reduction: number) {
  const make = (v: number[]): Arr => (dtype === 'float32' ? Float32Array.from(v) : Float64Array.from(v))
  const out = make(new Array(reduction === 0 ? t.length : 1).fill(0))
  const xs = make(x)
  const ws = w && make(w)
  be.nllLoss(xs, t, ws, out, outer, classes, inner, ignore, reduction)
  const g = make(Array.from(out, (_, i) => 0.5 + i / 7))
  const gx = make(new Array(x.length).fill(3)) // the kernel writes every element
  be.nllLossBackward(g, t, ws, gx, outer, classes, inner, ignore, reduction)
  return [...Array.from(out), ...Array.from(gx)]
}

describe('nllLoss kernel: wasm = ts', () => {
  for (const dtype of ['float32', 'float64']) {
    it(`${dtype}: reductions, weights (one of them 0), ignoreIndex, inner dims, >64 targets`, () => {
      const r = mulberry32(3)
      for (const [outer, classes, inner] of [[1, 5, 1], [7, 4, 1], [5, 3, 4], [100, 6, 1], [9, 83, 2]]) {
        const x = Array.from({ length: outer * classes * inner }, () => Math.log(r() + 1e-3))
        // −5 000 000 is a signalling-NaN pattern as float32: staging ≤ 64 targets may change its bits.
        for (const ignore of [-100, 2, -5000000]) {
          const t = Int32Array.from({ length: outer * inner }, () => (r() < 0.2 ? ignore : Math.floor(r() * classes)))
          for (const w of [null, Array.from({ length: classes }, (_, c) => (c === 1 ? 0 : r() * 2))]) {
            for (const reduction of [0, 1, 2]) {
              expect(run(wasm, dtype, x, t, w, outer, classes, inner, ignore, reduction)).toEqual(run(ts, dtype, x, t, w, outer, classes, inner, ignore, reduction))
            }
          }
        }
      }
    })
  }

  it('by hand: weighted mean, an ignored target, and NaN when no target counts', () => {
    // x [2, 3]: targets 2 and ignored; weight 4 for class 2: loss = −4·(−0.5) / 4 = 0.5.
    const x = [-1, -2, -0.5, -3, -1, -1]
    for (const be of [ts, wasm]) {
      const out = run(be, 'float64', x, Int32Array.from([2, -100]), [1, 1, 4], 2, 3, 1, -100, 2)
      // The gradient: −4·(1/4)·g at x[0, 2], 0 elsewhere (g = 0.5).
      expect(out).toEqual([0.5, 0, 0, -0.5, 0, 0, 0])
      expect(run(be, 'float64', x, Int32Array.from([-100, -100]), null, 2, 3, 1, -100, 2)[0]).toBeNaN()
    }
  })
})

describe('targetMask kernel (label smoothing with class-index targets): wasm = ts', () => {
  const mask = (be: typeof ts, dtype: string, t: Int32Array, w: number[] | null, classes: number, ignore: number): number[] => {
    const make = (n: number): Arr => (dtype === 'float32' ? new Float32Array(n) : new Float64Array(n))
    const kept = make(t.length).fill(7) // the kernel writes every element
    const sum = make(1)
    const ws = w && (dtype === 'float32' ? Float32Array.from(w) : Float64Array.from(w))
    be.targetMask(t, ws, kept, sum, classes, ignore)
    return [...Array.from(kept), sum[0]]
  }

  for (const dtype of ['float32', 'float64']) {
    it(`${dtype}: weights or none, ignoreIndex in and out of the classes, >64 targets`, () => {
      const r = mulberry32(5)
      for (const [n, classes] of [[1, 5], [7, 4], [100, 6], [300, 83]]) {
        for (const ignore of [-100, 2, -5000000]) {
          const t = Int32Array.from({ length: n }, () => (r() < 0.2 ? ignore : Math.floor(r() * classes)))
          for (const w of [null, Array.from({ length: classes }, () => r() * 2)]) {
            expect(mask(wasm, dtype, t, w, classes, ignore)).toEqual(mask(ts, dtype, t, w, classes, ignore))
          }
        }
      }
    })
  }

  it('by hand: 1 where a target counts, the sum of their weights', () => {
    for (const be of [ts, wasm]) {
      expect(mask(be, 'float64', Int32Array.from([2, -100, 0, 2]), [0.5, 1, 4], 3, -100)).toEqual([1, 0, 1, 1, 8.5])
      expect(mask(be, 'float64', Int32Array.from([2, 1, 1]), null, 3, 1)).toEqual([1, 0, 0, 1])
    }
  })
})
