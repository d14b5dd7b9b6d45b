import { beforeAll, describe, expect, it } from 'vitest'
import type { FloatArray, FloatDType } from '../../src/dtype.js'
import { tsBackend as ts } from '../../src/backend/ts/index.js'
import type { AdamOptions, RmspropOptions, SgdOptions } from '../../src/backend/types.js'
import { wasmLoader, wasmOnlyBackend as wasm } from '../../src/backend/wasm/index.js'
import { bytes, dtypes, make, rng } from './helpers.js'

/**
 * Optimiser state that has decayed into the subnormals (a dead unit's momentum: its gradient is
 * exactly 0, so the buffer shrinks by `momentum` a step). The wasm kernels step a run of
 * elements holding a subnormal float32 in f64 (assembly/subnormal.ts, to avoid x86's microcode
 * assists); the values must stay those of float32 arithmetic, bit for bit.
 */

beforeAll(() => {
  expect(wasmLoader.loadSync()).not.toBeNull()
})

/** The smallest positive subnormal of each dtype. */
const TINY = { float32: 2 ** -149, float64: 2 ** -1074 }
// 37 elements: two whole runs of 16 (one holding subnormals, one not), a vector and a scalar tail.
const N = 37

/** Whether element i is a dead unit's: every other one of the first run and of the tail. */
const dead = (i: number): boolean => (i < 16 || i >= 32) && i % 2 === 0

/** A state array: subnormal (k · TINY, k < 2^20) at the dead units, normal elsewhere. */
function state(dtype: FloatDType, r: () => number): FloatArray {
  const a = make(dtype, N)
  for (let i = 0; i < N; i++) a[i] = dead(i) ? (r() < 0.5 ? -1 : 1) * Math.floor(1 + r() * 2 ** 20) * TINY[dtype] : (r() - 0.5) * 0.1
  return a
}

/** Gradients: exactly 0 at the dead units, random elsewhere. */
function gradients(dtype: FloatDType, r: () => number): FloatArray {
  const g = make(dtype, N)
  for (let i = 0; i < N; i++) g[i] = dead(i) ? 0 : (r() - 0.5) * 0.01
  return g
}

describe.each(dtypes)('optimiser kernels on subnormal state: %s', (dtype) => {
  const r = rng(dtype === 'float32' ? 5 : 6)

  it("SGD's plain momentum shrinks a subnormal buffer as float32 arithmetic does", () => {
    // 0.9 · k·2^-149 rounds to the nearest multiple of 2^-149, and k = 1 stays 1: a buffer never
    // reaches 0. k = 10 and k = 7 (6.3 rounds to 6) and k = 1 by hand, in float32.
    const o: SgdOptions = { lr: 0.5, momentum: 0.9, dampening: 0, nesterov: false, weightDecay: 0 }
    const tiny = TINY.float32
    const buf = new Float32Array(N).fill(10 * tiny)
    buf[1] = 7 * tiny
    buf[2] = tiny
    const p = new Float32Array(N).fill(0.25)
    wasm.sgdStep(p, new Float32Array(N), buf, false, o)
    expect([buf[0], buf[1], buf[2], buf[N - 1]]).toEqual([9 * tiny, 6 * tiny, tiny, 9 * tiny])
    expect(p.every((v) => v === 0.25)).toBe(true)
  })

  it('sgdStep: plain momentum, dampening, nesterov and weight decay give the ts bits', () => {
    const configs: SgdOptions[] = [
      { lr: 0.5, momentum: 0.9, dampening: 0, nesterov: false, weightDecay: 0 },
      { lr: 0.05, momentum: 0.9, dampening: 0.1, nesterov: false, weightDecay: 0 },
      { lr: 0.01, momentum: 0.8, dampening: 0, nesterov: true, weightDecay: 0 },
    ]
    for (const o of configs) {
      const p0 = state(dtype, r)
      const [pRef, pGot] = [p0.slice(), p0.slice()]
      const b0 = state(dtype, r)
      const [bRef, bGot] = [b0.slice(), b0.slice()]
      for (let step = 0; step < 5; step++) {
        const g = gradients(dtype, r)
        ts.sgdStep(pRef, g, bRef, false, o)
        wasm.sgdStep(pGot, g, bGot, false, o)
      }
      expect(bytes(bGot), `sgd buffer ${JSON.stringify(o)}`).toEqual(bytes(bRef))
      expect(bytes(pGot), `sgd param ${JSON.stringify(o)}`).toEqual(bytes(pRef))
    }
  })

  it('adamStep: Adam and AdamW with subnormal first and second moments give the ts bits', () => {
    const configs: AdamOptions[] = [
      { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false },
      { lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, decoupled: true },
    ]
    for (const o of configs) {
      const p0 = state(dtype, r)
      const [pRef, pGot] = [p0.slice(), p0.slice()]
      const [m0, v0] = [state(dtype, r), state(dtype, r).map(Math.abs)]
      const [mRef, mGot, vRef, vGot] = [m0.slice(), m0.slice(), v0.slice(), v0.slice()]
      for (let step = 1; step <= 5; step++) {
        const g = gradients(dtype, r)
        ts.adamStep(pRef, g, mRef, vRef, step, o)
        wasm.adamStep(pGot, g, mGot, vGot, step, o)
      }
      expect(bytes(mGot), `adam m ${JSON.stringify(o)}`).toEqual(bytes(mRef))
      expect(bytes(vGot), `adam v ${JSON.stringify(o)}`).toEqual(bytes(vRef))
      expect(bytes(pGot), `adam param ${JSON.stringify(o)}`).toEqual(bytes(pRef))
    }
  })

  it('rmspropStep: centred with momentum, subnormal averages and buffer, gives the ts bits', () => {
    const o: RmspropOptions = { lr: 1e-2, alpha: 0.9, eps: 1e-6, weightDecay: 0, momentum: 0.5 }
    const p0 = state(dtype, r)
    const [s0, a0, b0] = [state(dtype, r).map(Math.abs), state(dtype, r), state(dtype, r)]
    const [pRef, pGot, sRef, sGot] = [p0.slice(), p0.slice(), s0.slice(), s0.slice()]
    const [aRef, aGot, bRef, bGot] = [a0.slice(), a0.slice(), b0.slice(), b0.slice()]
    for (let step = 0; step < 5; step++) {
      const g = gradients(dtype, r)
      ts.rmspropStep(pRef, g, sRef, aRef, bRef, o)
      wasm.rmspropStep(pGot, g, sGot, aGot, bGot, o)
    }
    for (const [got, ref, what] of [[sGot, sRef, 'square average'], [aGot, aRef, 'average'], [bGot, bRef, 'buffer'], [pGot, pRef, 'param']] as const) {
      expect(bytes(got), `rmsprop ${what}`).toEqual(bytes(ref))
    }
  })
})
