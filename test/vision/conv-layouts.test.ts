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
 * with the ts backend. A float32 3 × 3 stride-1 case with ≥ 8 channels in and out per group runs
 * as Winograd F(2 × 2, 3 × 3) instead (assembly/convwinograd.ts: the forward and the input
 * gradient, which is the forward kernel on dy), so 'large planes' takes the shifted copies in
 * float64 only; the WINOGRAD cases check that path, in float32, against float64 on ts: odd and
 * even sizes (ragged tile groups, a ragged last tile row), no padding, padding past the kernel,
 * asymmetric padding, groups, bias, batch 1, planes in several blocks of tile rows.
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

const WINOGRAD: Case[] = [
  { name: '8 → 8, 14 × 14, padding 1, bias', x: [2, 8, 14, 14], w: [8, 8, 3, 3], bias: true, options: { padding: 1 } },
  { name: 'batch 1, 8 → 9 (a ragged row tile), odd 7 × 9', x: [1, 8, 7, 9], w: [9, 8, 3, 3], bias: false, options: { padding: 1 } },
  { name: 'no padding, 10 → 8, 5 × 12 (a 3 × 10 output)', x: [2, 10, 5, 12], w: [8, 10, 3, 3], bias: true, options: {} },
  { name: 'padding past the kernel [3, 4], 1 × 1 planes', x: [1, 8, 1, 1], w: [8, 8, 3, 3], bias: true, options: { padding: [3, 4] } },
  { name: 'asymmetric padding [2, 0], 13 × 11', x: [3, 16, 13, 11], w: [16, 16, 3, 3], bias: false, options: { padding: [2, 0] } },
  { name: "3 groups of 8 → 8, padding 'same', 10 × 17", x: [2, 24, 10, 17], w: [24, 8, 3, 3], bias: true, options: { padding: 'same', groups: 3 } },
  { name: 'several blocks of tile rows: 32 → 24, 30 × 30', x: [1, 32, 30, 30], w: [24, 32, 3, 3], bias: true, options: { padding: 1 } },
]

/** Values in [−1, 1) that float32 holds exactly, so float32 and float64 runs see the same inputs. */
function random(shape: readonly number[], dtype: 'float32' | 'float64', seed: number): Tensor {
  const rng = mulberry32(seed)
  const t = tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => Math.fround(rng() * 2 - 1)), { dtype }).reshape(shape)
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

/** Every array of `got` within tol·(1 + |want|) of `want`. */
function expectClose(want: Float64Array[], got: Float64Array[], tol: number): void {
  want.forEach((w, k) => {
    expect(got[k].length).toBe(w.length)
    const bad = w.findIndex((v, i) => !(Math.abs(v - got[k][i]) <= tol * (1 + Math.abs(v))))
    expect(bad < 0 ? null : `array ${k}[${bad}]: ts ${w[bad]} wasm ${got[k][bad]}`).toBeNull()
  })
}

describe('conv2d forward layouts: ts against forced wasm', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    for (const c of CASES) {
      it(`${c.name} (${dtype})`, () => {
        setBackend('ts')
        const want = run(c, dtype)
        setBackend('wasm', { dispatchSmall: false })
        expectClose(want, run(c, dtype), dtype === 'float64' ? 1e-10 : 1e-4)
      })
    }
  }
})

describe('conv2d 3 × 3 as Winograd F(2, 3): float32 on forced wasm against float64 on ts', () => {
  for (const c of WINOGRAD) {
    it(c.name, () => {
      setBackend('ts')
      const want = run(c, 'float64')
      setBackend('wasm', { dispatchSmall: false })
      expectClose(want, run(c, 'float32'), 1e-4)
    })
  }
})
