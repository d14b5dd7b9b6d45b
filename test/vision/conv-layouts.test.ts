import { afterAll, describe, expect, it } from 'vitest'
import { setBackend, type BackendName } from '../../src/backend/index.js'
import { F, tensor, type Tensor } from '../../src/index.js'
import { mulberry32 } from '../rng.js'

/**
 * The stride-1 conv2d forward kernel reads the input in two layouts (assembly/convgemm.ts):
 * zero-bordered planes in place for small planes (rows sharing their zero columns), kw shifted
 * copies packed for narrow planes with ≥ 32 output channels per group and for large planes.
 * The cases take each, with groups, bias, dilation, asymmetric 'same' padding, no padding,
 * padding past the kernel and ragged tiles; forward and gradients on forced wasm must agree
 * with the ts backend. (A float32 3 × 3 stride-1 case with ≥ 8 channels in and out per group runs as
 * Winograd instead, test/vision/conv-winograd.test.ts: 'large planes' takes the shifted copies in
 * float64 only.)
 */

const project = (process.env.YANN_BACKEND ?? 'ts') as BackendName
afterAll(() => setBackend(project, project === 'wasm' ? { dispatchSmall: false } : {}))

interface Case {
  name: string
  x: number[]
  w: number[]
  bias: boolean
  options: Parameters<typeof F.conv2d>[3]
}

const CASES: Case[] = [
  { name: 'narrow planes, 2 groups of 32, bias, dilation 2 along x', x: [2, 6, 9, 11], w: [64, 3, 3, 3], bias: true, options: { groups: 2, padding: [1, 2], dilation: [1, 2] } },
  { name: 'narrow planes, padding past the kernel', x: [1, 2, 5, 4], w: [32, 2, 3, 3], bias: false, options: { padding: [3, 4] } },
  { name: 'large planes, 5 output channels, a ragged last strip', x: [1, 48, 26, 26], w: [5, 48, 3, 3], bias: true, options: { padding: 1 } },
  { name: 'in place: an even kernel, padding same (more zeros right than left), dilation 2 along y', x: [2, 3, 7, 9], w: [4, 3, 3, 4], bias: true, options: { padding: 'same', dilation: [2, 1] } },
  { name: 'in place: no padding', x: [1, 2, 6, 7], w: [5, 2, 3, 3], bias: false, options: {} },
  { name: 'in place: padding past the kernel', x: [1, 2, 5, 4], w: [3, 2, 3, 3], bias: false, options: { padding: [3, 4] } },
]

function random(shape: readonly number[], dtype: 'float32' | 'float64', seed: number): Tensor {
  const rng = mulberry32(seed)
  const t = tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng() * 2 - 1), { dtype }).reshape(shape)
  t.requiresGrad = true
  return t
}

/** The output and the three gradients of sum(conv2d · r) for a fixed r. */
function run(c: Case, dtype: 'float32' | 'float64'): Float64Array[] {
  const x = random(c.x, dtype, 1)
  const w = random(c.w, dtype, 2)
  const b = c.bias ? random([c.w[0]], dtype, 3) : null
  const y = F.conv2d(x, w, b, c.options)
  y.mul(random(y.shape, dtype, 4).detach()).sum().backward()
  return [y, x.grad!, w.grad!, ...(b ? [b.grad!] : [])].map((t) => Float64Array.from(t.data as ArrayLike<number>))
}

describe('conv2d forward layouts: ts against forced wasm', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    for (const c of CASES) {
      it(`${c.name} (${dtype})`, () => {
        setBackend('ts')
        const want = run(c, dtype)
        setBackend('wasm', { dispatchSmall: false })
        const got = run(c, dtype)
        const tol = dtype === 'float64' ? 1e-10 : 1e-4
        want.forEach((w, k) => {
          expect(got[k].length).toBe(w.length)
          const bad = w.findIndex((v, i) => Math.abs(v - got[k][i]) > tol * (1 + Math.abs(v)))
          expect(bad < 0 ? null : `array ${k}[${bad}]: ts ${w[bad]} wasm ${got[k][bad]}`).toBeNull()
        })
      })
    }
  }
})
