import { beforeAll, describe, expect, it } from 'vitest'
import { tsBackend as ts } from '../../src/backend/ts/index.js'
import type { AdamOptions, RmspropOptions, SgdOptions } from '../../src/backend/types.js'
import { wasmLoader, wasmOnlyBackend as wasm } from '../../src/backend/wasm/index.js'
import { bytes, dtypes, make, random, rng } from './helpers.js'

/** The optimiser kernels of the wasm backend against the ts reference, wasm forced at every size. */

beforeAll(() => {
  expect(wasmLoader.loadSync()).not.toBeNull()
})

const sizes = [1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31, 64, 131]

describe.each(dtypes)('wasm optimiser kernels vs ts: %s', (dtype) => {
  const r = rng(dtype === 'float32' ? 3 : 4)

  it('sgdStep, the same bits: plain, momentum (first and later steps), dampening, nesterov, weight decay', () => {
    const configs: SgdOptions[] = [
      { lr: 0.1, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 },
      { lr: 0.05, momentum: 0.9, dampening: 0, nesterov: false, weightDecay: 0 },
      { lr: 0.05, momentum: 0.9, dampening: 0.1, nesterov: false, weightDecay: 1e-2 },
      { lr: 0.01, momentum: 0.8, dampening: 0, nesterov: true, weightDecay: 5e-4 },
    ]
    for (const o of configs) {
      for (const n of sizes) {
        const p0 = random(dtype, n, r)
        const pRef = p0.slice()
        const pGot = p0.slice()
        const bRef = o.momentum ? make(dtype, n) : null
        const bGot = o.momentum ? make(dtype, n) : null
        for (let step = 0; step < 3; step++) {
          const g = random(dtype, n, r)
          ts.sgdStep(pRef, g, bRef, step === 0, o)
          wasm.sgdStep(pGot, g, bGot, step === 0, o)
        }
        // Bit for bit: a compiled step runs the wasm kernel where eager ran the ts one (small parameters).
        expect(bytes(pGot), `sgd param ${JSON.stringify(o)} n=${n}`).toEqual(bytes(pRef))
        if (bRef && bGot) expect(bytes(bGot), `sgd buffer ${JSON.stringify(o)} n=${n}`).toEqual(bytes(bRef))
      }
    }
  })

  it('plain SGD leaves an infinite parameter infinite, as PyTorch (no 0·p for a zero weight decay)', () => {
    const o: SgdOptions = { lr: 0.5, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 }
    for (const be of [ts, wasm]) {
      const p = make(dtype, 5)
      p.set([Infinity, -Infinity, 1, 2, 3])
      be.sgdStep(p, make(dtype, 5).fill(1), null, true, o)
      expect(Array.from(p), be.name).toEqual([Infinity, -Infinity, 0.5, 1.5, 2.5])
    }
  })

  it('adamStep, the same bits: Adam and AdamW, several steps', () => {
    const configs: AdamOptions[] = [
      { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false },
      { lr: 1e-2, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.1, decoupled: false },
      { lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, decoupled: true },
    ]
    for (const o of configs) {
      for (const n of sizes) {
        const p0 = random(dtype, n, r)
        const [pRef, pGot] = [p0.slice(), p0.slice()]
        const [mRef, mGot, vRef, vGot] = [make(dtype, n), make(dtype, n), make(dtype, n), make(dtype, n)]
        for (let step = 1; step <= 4; step++) {
          const g = random(dtype, n, r)
          ts.adamStep(pRef, g, mRef, vRef, step, o)
          wasm.adamStep(pGot, g, mGot, vGot, step, o)
        }
        expect(bytes(pGot), `adam param ${JSON.stringify(o)} n=${n}`).toEqual(bytes(pRef))
        expect(bytes(mGot), `adam m n=${n}`).toEqual(bytes(mRef))
        expect(bytes(vGot), `adam v n=${n}`).toEqual(bytes(vRef))
      }
    }
  })

  it('rmspropStep, the same bits: plain, centred, momentum, weight decay', () => {
    const configs: (RmspropOptions & { centered: boolean })[] = [
      { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false },
      { lr: 1e-2, alpha: 0.9, eps: 1e-6, weightDecay: 0.1, momentum: 0.5, centered: true },
    ]
    for (const o of configs) {
      for (const n of sizes) {
        const p0 = random(dtype, n, r)
        const [pRef, pGot] = [p0.slice(), p0.slice()]
        const [sRef, sGot] = [make(dtype, n), make(dtype, n)]
        const [aRef, aGot] = o.centered ? [make(dtype, n), make(dtype, n)] : [null, null]
        const [bRef, bGot] = o.momentum ? [make(dtype, n), make(dtype, n)] : [null, null]
        for (let step = 0; step < 4; step++) {
          const g = random(dtype, n, r)
          ts.rmspropStep(pRef, g, sRef, aRef, bRef, o)
          wasm.rmspropStep(pGot, g, sGot, aGot, bGot, o)
        }
        expect(bytes(pGot), `rmsprop param ${JSON.stringify(o)} n=${n}`).toEqual(bytes(pRef))
        expect(bytes(sGot), `rmsprop square average n=${n}`).toEqual(bytes(sRef))
        if (aRef && aGot) expect(bytes(aGot), `rmsprop average n=${n}`).toEqual(bytes(aRef))
        if (bRef && bGot) expect(bytes(bGot), `rmsprop buffer n=${n}`).toEqual(bytes(bRef))
      }
    }
  })

  it('adagradStep, the same bits: with and without weight decay', () => {
    for (const o of [{ lr: 0.1, eps: 1e-10, weightDecay: 0 }, { lr: 0.05, eps: 1e-6, weightDecay: 0.01 }]) {
      for (const n of sizes) {
        const p0 = random(dtype, n, r)
        const [pRef, pGot] = [p0.slice(), p0.slice()]
        const [sRef, sGot] = [make(dtype, n), make(dtype, n)]
        for (let step = 0; step < 4; step++) {
          const g = random(dtype, n, r)
          ts.adagradStep(pRef, g, sRef, o)
          wasm.adagradStep(pGot, g, sGot, o)
        }
        expect(bytes(pGot), `adagrad param ${JSON.stringify(o)} n=${n}`).toEqual(bytes(pRef))
        expect(bytes(sGot), `adagrad sum n=${n}`).toEqual(bytes(sRef))
      }
    }
  })
})
