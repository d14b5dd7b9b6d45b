import { afterAll, describe, expect, it } from 'vitest'
import { setBackend, type BackendName } from '../../src/backend/index.js'
import { F, tensor, type Tensor } from '../../src/index.js'
import { mulberry32 } from '../rng.js'

/**
 * float32 3 × 3 stride-1 convolutions with ≥ 8 input and output channels per group run on wasm as
 * Winograd F(2 × 2, 3 × 3) (assembly/convwinograd.ts): the forward, and the input gradient
 * (the forward kernel on dy). Each case, on forced wasm in float32, against the same inputs
 * convolved on the ts backend in float64: odd and even output sizes (ragged tile groups and a
 * ragged last tile row), no padding, padding past the kernel, asymmetric padding, groups, bias,
 * batch 1, and planes that take several blocks of tile rows.
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
  { name: '8 → 8, 14 × 14, padding 1, bias', x: [2, 8, 14, 14], w: [8, 8, 3, 3], bias: true, options: { padding: 1 } },
  { name: 'batch 1, 8 → 9 (a ragged row tile), odd 7 × 9', x: [1, 8, 7, 9], w: [9, 8, 3, 3], bias: false, options: { padding: 1 } },
  { name: 'no padding, 10 → 8, 5 × 12 (a 3 × 10 output)', x: [2, 10, 5, 12], w: [8, 10, 3, 3], bias: true, options: {} },
  { name: 'padding past the kernel [3, 4], 1 × 1 planes', x: [1, 8, 1, 1], w: [8, 8, 3, 3], bias: true, options: { padding: [3, 4] } },
  { name: 'asymmetric padding [2, 0], 13 × 11', x: [3, 16, 13, 11], w: [16, 16, 3, 3], bias: false, options: { padding: [2, 0] } },
  { name: "3 groups of 8 → 8, padding 'same', 10 × 17", x: [2, 24, 10, 17], w: [24, 8, 3, 3], bias: true, options: { padding: 'same', groups: 3 } },
  { name: 'several blocks of tile rows: 32 → 24, 30 × 30', x: [1, 32, 30, 30], w: [24, 32, 3, 3], bias: true, options: { padding: 1 } },
]

function random(shape: readonly number[], seed: number): number[] {
  const rng = mulberry32(seed)
  return Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => Math.fround(rng() * 2 - 1))
}

function leaf(values: number[], shape: readonly number[], dtype: 'float32' | 'float64'): Tensor {
  const t = tensor(values, { dtype }).reshape(shape)
  t.requiresGrad = true
  return t
}

/** The output and the input gradient of sum(conv2d · r) for a fixed r. */
function run(c: Case, dtype: 'float32' | 'float64'): Float64Array[] {
  const x = leaf(random(c.x, 1), c.x, dtype)
  const w = leaf(random(c.w, 2), c.w, dtype)
  const b = c.bias ? leaf(random([c.w[0]], 3), [c.w[0]], dtype) : null
  const y = F.conv2d(x, w, b, c.options)
  y.mul(tensor(random(y.shape, 4), { dtype }).reshape(y.shape)).sum().backward()
  return [y, x.grad!].map((t) => Float64Array.from(t.data as ArrayLike<number>))
}

describe('conv2d 3 × 3 as Winograd F(2, 3): float32 on forced wasm against float64', () => {
  for (const c of CASES) {
    it(c.name, () => {
      setBackend('ts')
      const want = run(c, 'float64')
      setBackend('wasm', { dispatchSmall: false })
      const got = run(c, 'float32')
      // Sums of up to 9·C products of values in [−1, 1]: float32 rounding, not a misplaced term (~0.1 and more).
      const tol = 2e-6 * 9 * Math.max(c.x[1], c.w[0])
      want.forEach((w, k) => {
        expect(got[k].length).toBe(w.length)
        const bad = w.findIndex((v, i) => !(Math.abs(v - got[k][i]) <= tol))
        expect(bad < 0 ? null : `${k === 0 ? 'y' : 'dx'}[${bad}]: float64 ${w[bad]}, wasm float32 ${got[k][bad]}`).toBeNull()
      })
    })
  }
})
