import { beforeAll, describe, expect, it } from 'vitest'
import { tsBackend as ts } from '../../src/backend/ts/index.js'
import type { AdagradOptions, RmspropOptions } from '../../src/backend/types.js'
import { wasmLoader, wasmOnlyBackend as wasm } from '../../src/backend/wasm/index.js'
import { dtypes, expectClose, make, random, rng } from '../backend/helpers.js'

/** The rmspropStep and adagradStep wasm kernels against the ts reference, wasm forced for every size (SIMD body and tails). */

beforeAll(() => {
  expect(wasmLoader.loadSync()).not.toBeNull()
})

const sizes = [1, 2, 3, 4, 5, 7, 8, 9, 17, 131]

describe.each(dtypes)('optimiser kernels, wasm against ts: %s', (dtype) => {
  const r = rng(5)
  it('rmspropStep: plain, momentum, centered, weight decay; several steps', () => {
    const configs: [RmspropOptions, boolean, boolean][] = [
      [{ lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0 }, false, false],
      [{ lr: 5e-2, alpha: 0.9, eps: 1e-6, weightDecay: 0.1, momentum: 0.9 }, true, false],
      [{ lr: 1e-2, alpha: 0.95, eps: 1e-8, weightDecay: 0, momentum: 0 }, false, true],
      [{ lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0.01, momentum: 0.5 }, true, true],
    ]
    for (const [o, momentum, centered] of configs) {
      for (const n of sizes) {
        const p0 = random(dtype, n, r)
        const [pRef, pGot] = [p0.slice(), p0.slice()]
        const state = () => [make(dtype, n), centered ? make(dtype, n) : null, momentum ? make(dtype, n) : null] as const
        const [sRef, aRef, bRef] = state()
        const [sGot, aGot, bGot] = state()
        for (let step = 1; step <= 4; step++) {
          const g = random(dtype, n, r)
          ts.rmspropStep(pRef, g, sRef, aRef, bRef, o)
          wasm.rmspropStep(pGot, g, sGot, aGot, bGot, o)
        }
        const what = `rmsprop ${JSON.stringify(o)} centered=${centered} n=${n}`
        expectClose(pGot, pRef, `${what} param`)
        expectClose(sGot, sRef, `${what} squareAvg`)
        if (aGot && aRef) expectClose(aGot, aRef, `${what} gradAvg`)
        if (bGot && bRef) expectClose(bGot, bRef, `${what} momentum`)
      }
    }
  })

  it('adagradStep: with and without weight decay, several steps', () => {
    const configs: AdagradOptions[] = [
      { lr: 1e-2, eps: 1e-10, weightDecay: 0 },
      { lr: 0.1, eps: 1e-6, weightDecay: 0.05 },
    ]
    for (const o of configs) {
      for (const n of sizes) {
        const p0 = random(dtype, n, r)
        const [pRef, pGot] = [p0.slice(), p0.slice()]
        const [sRef, sGot] = [make(dtype, n), make(dtype, n)]
        for (let step = 1; step <= 4; step++) {
          const g = random(dtype, n, r)
          const lr = o.lr / (1 + (step - 1) * 0.1)
          ts.adagradStep(pRef, g, sRef, { ...o, lr })
          wasm.adagradStep(pGot, g, sGot, { ...o, lr })
        }
        expectClose(pGot, pRef, `adagrad ${JSON.stringify(o)} n=${n} param`)
        expectClose(sGot, sRef, `adagrad n=${n} sum`)
      }
    }
  })
})
