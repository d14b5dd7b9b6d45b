import { afterAll, describe, expect, it } from 'vitest'
import { setBackend, type BackendName } from '../../src/backend/index.js'
import { Tensor } from '../../src/index.js'
import { mulberry32 } from '../rng.js'
import { FUZZ_BINARY, FUZZ_UNARY } from './fuzz-ops.js'
import { agree } from './agree.js'

/**
 * Differential fuzz: 10 000 seeded random op graphs (broadcast shapes, every elementwise op,
 * float32 and float64), each run forward and backward on the ts backend and on the wasm backend
 * with every kernel forced through wasm; outputs and gradients must agree.
 */

const GRAPHS = 10_000
const project = (process.env.YANN_BACKEND ?? 'ts') as BackendName
afterAll(() => setBackend(project, project === 'wasm' ? { dispatchSmall: false } : {}))

interface Graph {
  dtype: 'float32' | 'float64'
  shapes: number[][]
  data: Float64Array[]
  /** Each step: a unary op index, or a binary op index with the leaf it combines with. */
  steps: { unary?: number; binary?: number; leaf: number }[]
}

function randomGraph(seed: number): Graph {
  const next = mulberry32(seed)
  const int = (n: number) => Math.floor(next() * n)
  const rank = 1 + int(3)
  const full = Array.from({ length: rank }, () => 1 + int(9))
  // The second leaf broadcasts: some dims 1, maybe fewer dims.
  const drop = int(rank)
  const other = full.slice(drop).map((d) => (next() < 0.4 ? 1 : d))
  const shapes = [full, other]
  const data = shapes.map((s) => Float64Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => next() * 6 - 3))
  const steps = Array.from({ length: 1 + int(4) }, () =>
    next() < 0.6 ? { unary: int(FUZZ_UNARY.length), leaf: 0 } : { binary: int(FUZZ_BINARY.length), leaf: int(2) },
  )
  return { dtype: next() < 0.5 ? 'float32' : 'float64', shapes, data, steps }
}

function evaluate(g: Graph): number[][] {
  const leaves = g.shapes.map((s, k) => {
    const t = new Tensor(g.dtype === 'float64' ? Float64Array.from(g.data[k]) : Float32Array.from(g.data[k]), s)
    t.requiresGrad = true
    return t
  })
  let y = leaves[0]
  for (const s of g.steps) y = s.unary !== undefined ? FUZZ_UNARY[s.unary](y) : FUZZ_BINARY[s.binary!](y, leaves[s.leaf])
  const r = new Tensor(g.dtype === 'float64' ? new Float64Array(y.numel()) : new Float32Array(y.numel()), y.shape)
  for (let i = 0; i < r.numel(); i++) r.data[i] = Math.sin(i + 1)
  y.mul(r).sum().backward()
  const out = [Array.from(y.data as ArrayLike<number>)]
  for (const l of leaves) out.push(l.grad ? Array.from(l.grad.data as ArrayLike<number>) : [])
  return out
}

describe('differential fuzz: ts against forced wasm', () => {
  it(`${GRAPHS} random op graphs agree, float32 and float64`, () => {
    const mismatches: string[] = []
    for (let seed = 1; seed <= GRAPHS; seed++) {
      const g = randomGraph(seed)
      setBackend('ts')
      const want = evaluate(g)
      setBackend('wasm', { dispatchSmall: false })
      const got = evaluate(g)
      const tol = g.dtype === 'float64' ? 1e-10 : 1e-4
      want.forEach((w, k) => {
        const i = w.findIndex((v, j) => !agree(v, got[k][j], tol))
        if (i >= 0 || w.length !== got[k].length) mismatches.push(`seed ${seed} (${g.dtype}, ${JSON.stringify(g.steps)}): array ${k}[${i}] ts ${w[i]} wasm ${got[k][i]}`)
      })
    }
    expect(mismatches.slice(0, 5)).toEqual([])
  })
})
