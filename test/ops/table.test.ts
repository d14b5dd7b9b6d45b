import { afterAll, describe, expect, it } from 'vitest'
import { getBackend, setBackend, type BackendName } from '../../src/backend/index.js'
import { UNARY_TABLE } from '../../src/backend/optable.js'
import { BINARY_TABLE } from '../../src/backend/optable-binary.js'
import { SMALL } from '../../src/backend/wasm/index.js'
import { gradcheck, Tensor } from '../../src/index.js'
import { erf } from '../../src/ops/unary.js'
import * as F from '../../src/functional.js'
import { mulberry32 } from '../rng.js'

/**
 * The per-op table test (tinygrad's helper_test_op): every op, forward and backward, on the ts
 * backend, the wasm backend with every kernel forced through wasm and the wasm backend with its
 * small-input dispatch, at sizes around each dispatch threshold and odd lengths (SIMD tails),
 * in float32 and float64, against the float64 ts result; then a float64 gradcheck.
 */

type Fn = (...xs: Tensor[]) => Tensor
interface OpCase {
  name: string
  fn: Fn
  arity: 1 | 2
  domain: readonly [number, number]
  /** Piecewise constant or kinked where inputs land: no finite-difference check. */
  noGradcheck?: boolean
}

const table = (name: keyof typeof UNARY_TABLE, fn: Fn): OpCase => ({
  name,
  fn,
  arity: 1,
  domain: UNARY_TABLE[name].domain,
  noGradcheck: 'stepwise' in UNARY_TABLE[name],
})
const unary = (name: string, fn: Fn, domain: readonly [number, number] = [-3, 3]): OpCase => ({ name, fn, arity: 1, domain })
const binary = (name: string, fn: Fn, domain: readonly [number, number] = [-2, 2]): OpCase => ({ name, fn, arity: 2, domain })
const binaryTable = (name: keyof typeof BINARY_TABLE, fn: Fn): OpCase => binary(name, fn, BINARY_TABLE[name].domain)

/** One line per op. Table ops take their test domain from src/backend/optable.ts and optable-binary.ts. */
export const CASES: OpCase[] = [
  table('neg', (x) => x.neg()),
  table('exp', (x) => x.exp()),
  table('log', (x) => x.log()),
  table('sqrt', (x) => x.sqrt()),
  table('abs', (x) => x.abs()),
  table('relu', (x) => x.relu()),
  table('sigmoid', (x) => x.sigmoid()),
  table('tanh', (x) => x.tanh()),
  table('log1p', (x) => x.log1p()),
  table('sin', (x) => x.sin()),
  table('cos', (x) => x.cos()),
  table('expm1', (x) => x.expm1()),
  table('square', (x) => x.square()),
  table('rsqrt', (x) => x.rsqrt()),
  table('reciprocal', (x) => x.reciprocal()),
  table('sign', (x) => x.sign()),
  table('floor', (x) => x.floor()),
  table('round', (x) => x.round()),
  table('erf', (x) => erf(x)),
  unary('pow 3', (x) => x.pow(3)),
  unary('clamp', (x) => x.clamp(-1, 1)),
  unary('softmax', (x) => F.softmax(x, -1)),
  binaryTable('add', (a, b) => a.add(b)),
  binaryTable('sub', (a, b) => a.sub(b)),
  binaryTable('mul', (a, b) => a.mul(b)),
  binaryTable('div', (a, b) => a.div(b)),
  binaryTable('maximum', (a, b) => a.maximum(b)),
  binary('minimum', (a, b) => a.minimum(b)),
  binary('pow tensor', (a, b) => a.pow(b), BINARY_TABLE.pow.domain),
  unary('silu', (x) => F.silu(x)),
  unary('mish', (x) => F.mish(x)),
  unary('logSigmoid', (x) => F.logSigmoid(x)),
  unary('softsign', (x) => F.softsign(x)),
  unary('relu6', (x) => F.relu6(x.mul(3))),
  unary('leakyRelu', (x) => F.leakyRelu(x, { negativeSlope: 0.2 })),
  unary('elu', (x) => F.elu(x, { alpha: 0.7 })),
  unary('gelu', (x) => F.gelu(x)),
  unary('gelu tanh', (x) => F.gelu(x, { approximate: 'tanh' })),
  unary('softplus', (x) => F.softplus(x, { beta: 2, threshold: 3 })),
  unary('hardtanh', (x) => F.hardtanh(x, { minVal: -0.5, maxVal: 2 })),
  unary('clip', (x) => x.clip(-1, 1)),
  unary('flip', (x) => x.flip(-1)),
  unary('sort values', (x) => x.sort({ descending: true }).values),
  unary('topk values', (x) => x.topk(1).values),
]

const project = (process.env.YANN_BACKEND ?? 'ts') as BackendName
afterAll(() => setBackend(project, project === 'wasm' ? { dispatchSmall: false } : {}))

const MODES: [string, () => void][] = [
  ['ts', () => setBackend('ts')],
  ['wasm forced', () => setBackend('wasm', { dispatchSmall: false })],
  ['wasm', () => setBackend('wasm')],
]
// Below and above each dispatch threshold, odd lengths for the SIMD tails.
const SIZES = [1, 3, SMALL.transcendental - 1, SMALL.transcendental + 1, SMALL.elements - 1, SMALL.elements + 3, SMALL.reduce + 5, 1027]

function inputs(c: OpCase, n: number, seed: number): Float64Array[] {
  const next = mulberry32(seed)
  const [lo, hi] = c.domain
  return Array.from({ length: c.arity }, () => Float64Array.from({ length: n }, () => lo + (hi - lo) * next()))
}

/** Output and input gradients of Σ y·R, in float64. */
function run(c: OpCase, data: Float64Array[], dtype: 'float32' | 'float64', shape: number[]): { y: number[]; grads: number[][] } {
  const xs = data.map((d) => {
    const t = new Tensor(dtype === 'float64' ? Float64Array.from(d) : Float32Array.from(d), shape)
    t.requiresGrad = true
    return t
  })
  const y = c.fn(...xs)
  const r = new Tensor(dtype === 'float64' ? new Float64Array(y.numel()) : new Float32Array(y.numel()), y.shape)
  for (let i = 0; i < y.numel(); i++) r.data[i] = Math.cos(i)
  y.mul(r).sum().backward()
  return { y: Array.from(y.data as ArrayLike<number>), grads: xs.map((x) => Array.from(x.grad!.data as ArrayLike<number>)) }
}

function expectNear(got: number[], want: number[], tol: number, what: string): void {
  expect(got.length, what).toBe(want.length)
  for (let i = 0; i < want.length; i++) {
    if (Number.isNaN(want[i])) expect(got[i], `${what}[${i}]`).toBeNaN()
    else if (Math.abs(got[i] - want[i]) > tol * (1 + Math.abs(want[i]))) expect(got[i], `${what}[${i}]`).toBe(want[i])
  }
}

describe.each(CASES)('$name', (c) => {
  it.each(SIZES)('forward and backward, every backend and dtype, against float64 ts (n = %i)', (n) => {
    const data = inputs(c, n, n * 7 + c.name.length)
    const shape = [n]
    setBackend('ts')
    const ref = run(c, data, 'float64', shape)
    for (const [mode, use] of MODES) {
      use()
      for (const dtype of ['float64', 'float32'] as const) {
        const got = run(c, data, dtype, shape)
        const tol = dtype === 'float64' ? 1e-12 : 2e-6
        expectNear(got.y, ref.y, tol, `${mode} ${dtype} y`)
        got.grads.forEach((g, k) => expectNear(g, ref.grads[k], tol * 4, `${mode} ${dtype} grad ${k}`))
      }
    }
  })

  const grad64 = () => {
    setBackend(project, project === 'wasm' ? { dispatchSmall: false } : {})
    expect(getBackend()).toBe(project)
    return inputs(c, 12, 99).map((d) => {
      const t = new Tensor(d, [3, 4])
      t.requiresGrad = true
      return t
    })
  }
  if (c.noGradcheck) {
    it('piecewise constant: a zero gradient on the project backend', () => {
      const xs = grad64()
      c.fn(...xs).sum().backward()
      for (const x of xs) expect(Array.from(x.grad!.data as ArrayLike<number>).every((v) => v === 0)).toBe(true)
    })
  } else {
    it('float64 gradcheck on the project backend', () => {
      const xs = grad64()
      expect(gradcheck(c.fn, xs)).toBe(true)
    })
  }
})
