import { afterAll, describe, expect, it } from 'vitest'
import { setBackend, type BackendName } from '../../src/backend/index.js'
import { Tensor } from '../../src/index.js'
import { GENS, type Case, type Out } from './fuzz-shapes-cases.js'
import { NN_GENS } from './fuzz-shapes-nn.js'
import { Rng } from './fuzz-shapes-gen.js'
import { agree } from './agree.js'

/**
 * Differential fuzz of the non-elementwise ops (reductions, softmax, products, gathers and
 * indexing, joins, sorting, conv, pooling, norms, attention, losses, pad): seeded random
 * cases, each run on the ts backend, on wasm with every kernel forced through wasm and on wasm
 * with its small-input dispatch, in float32 and float64 (and int32 where the op takes it),
 * forward and backward (the gradients of a weighted sum of every output). Shapes hold size-0
 * and size-1 dims, odd lengths (SIMD tails) and lengths around the dispatch thresholds; inputs
 * come through permute, narrow, step slices and expand. An error must be the same on every
 * backend. float64 agrees to 1e-12 relative, float32 to 2e-6 (as test/ops/table.test.ts),
 * scaled by the length summed over. PyTorch's fixtures stay the ground truth: this checks two
 * implementations against each other.
 *
 * CASES per op (default 40) and the seed base: YANN_FUZZ_CASES=2000 YANN_FUZZ_SEED=7 npx vitest run
 * --project wasm test/ops/fuzz-shapes.test.ts to run longer.
 */

const CASES = Number(process.env.YANN_FUZZ_CASES ?? 40)
const SEED = Number(process.env.YANN_FUZZ_SEED ?? 1)
const project = (process.env.YANN_BACKEND ?? 'ts') as BackendName
afterAll(() => setBackend(project, project === 'wasm' ? { dispatchSmall: false } : {}))

type DType = 'float32' | 'float64' | 'int32'
const ARRAYS = { float32: Float32Array, float64: Float64Array, int32: Int32Array }
const MODES: [string, () => void][] = [
  ['wasm forced', () => setBackend('wasm', { dispatchSmall: false })],
  ['wasm', () => setBackend('wasm')],
]

function outputs(out: Out): Tensor[] {
  if (out instanceof Tensor) return [out]
  if (Array.isArray(out)) return out
  return [out.values, out.indices]
}

/** Every output, then every leaf's gradient of Σ out·sin(i + 1) (float inputs), as plain numbers. */
function evaluate(c: Case, dtype: DType): (number[] | string)[] {
  const leaves = c.leaves.map((l) => {
    const data = dtype === 'int32' ? l.data.map((v) => (Number.isNaN(v) ? 0 : Math.round(v))) : l.data
    const t = new Tensor(ARRAYS[dtype].from(data), l.leafShape)
    if (dtype !== 'int32') t.requiresGrad = true
    return t
  })
  let outs: Tensor[]
  try {
    outs = outputs(c.run(leaves.map((t, k) => c.leaves[k].view(t))))
  } catch (e) {
    return [`${(e as Error).constructor.name}: ${(e as Error).message}`]
  }
  const result: (number[] | string)[] = outs.map((t) => [...t.shape, NaN, ...Array.from(t.data as ArrayLike<number>)])
  let loss: Tensor | null = null
  for (const t of outs) {
    if (!t.requiresGrad) continue
    const w = new Tensor(ARRAYS[t.dtype as 'float32'].from({ length: t.numel() }, (_, i) => Math.sin(i + 1)), t.shape)
    const term = t.mul(w).sum()
    loss = loss === null ? term : loss.add(term)
  }
  if (loss !== null) {
    try {
      loss.backward()
    } catch (e) {
      return [...result, `backward ${(e as Error).constructor.name}: ${(e as Error).message}`]
    }
  }
  for (const l of leaves) result.push(l.grad ? Array.from(l.grad.data as ArrayLike<number>) : [])
  return result
}

function compare(want: (number[] | string)[], got: (number[] | string)[], tol: number): string | null {
  if (want.length !== got.length) return `${want.length} results (ts) vs ${got.length}: ${JSON.stringify(want.slice(-1))} vs ${JSON.stringify(got.slice(-1))}`
  for (let k = 0; k < want.length; k++) {
    const [w, g] = [want[k], got[k]]
    if (typeof w === 'string' || typeof g === 'string') {
      if (w !== g) return `result ${k}: ts ${JSON.stringify(w).slice(0, 300)} vs ${JSON.stringify(g).slice(0, 300)}`
      continue
    }
    if (w.length !== g.length) return `result ${k}: ${w.length} numbers (ts) vs ${g.length}`
    const i = w.findIndex((v, j) => !agree(v, g[j], tol))
    if (i >= 0) return `result ${k}[${i}]: ts ${w[i]} vs ${g[i]}`
  }
  return null
}

/** Mismatches of one case, and whether it was an error (then every backend must give the same). */
function fuzz(gen: (r: Rng) => Case, seed: number): { found: string[]; error: boolean } {
  const found: string[] = []
  let error = false
  const c = gen(new Rng(seed))
  const dtypes: DType[] = c.ints ? ['float64', 'float32', 'int32'] : ['float64', 'float32']
  const longest = Math.max(1, ...c.leaves.map((l) => l.shape.reduce((a, b) => a * b, 1))) // the length a gradient sums over
  for (const dtype of dtypes) {
    setBackend('ts')
    const want = evaluate(c, dtype)
    error ||= typeof want[0] === 'string'
    const tol = (dtype === 'float32' ? (c.tol32 ?? 2e-6) : 1e-12) * Math.sqrt(longest)
    for (const [mode, use] of MODES) {
      use()
      const why = compare(want, evaluate(c, dtype), tol)
      if (why) found.push(`seed ${seed} ${dtype} ${mode}: ${c.note}; inputs ${c.leaves.map((l) => `${JSON.stringify(l.shape)} via ${l.what}`).join(', ')}: ${why}`)
    }
  }
  return { found, error }
}

describe('differential fuzz of the non-elementwise ops: ts against wasm (forced and dispatching)', () => {
  for (const [name, gen] of Object.entries({ ...GENS, ...NN_GENS })) {
    it(`${name}: ${CASES} random cases agree`, () => {
      const found: string[] = []
      let errors = 0
      for (let k = 0; k < CASES; k++) {
        const r = fuzz(gen, SEED * 100_003 + k * 7919 + [...name].reduce((h, ch) => h * 31 + ch.charCodeAt(0), 0) % 9973)
        found.push(...r.found)
        if (r.error) errors++
      }
      expect(found.slice(0, 4)).toEqual([])
      // Most cases are valid calls: a generator whose inputs mostly fail tests nothing.
      expect(errors / CASES, `${errors} of ${CASES} cases were errors`).toBeLessThan(0.25)
    })
  }
})
