import { afterAll, describe, expect, it } from 'vitest'
import { setBackend, type BackendName } from '../src/backend/index.js'
import { arange, Tensor } from '../src/index.js'
import { ENTRIES, SPECIFIC, type Entry, type Kind } from './errors-fuzz-entries.js'
import { mulberry32 } from './rng.js'

/**
 * Bad-input fuzz: every public call of ./errors-fuzz-entries.ts, with one argument made wrong
 * whatever the others are (a float-only tensor as int32 or bool, a rank the op does not take,
 * a shape that does not fit (every dim one more), an index out of range, a float or int32 mask,
 * an empty list of tensors, a dim out of range or not an integer, a negative, NaN or
 * fractional size an unknown option key or an option of the wrong type), on the ts backend and on wasm with every kernel forced through wasm. Each must throw
 * an Error whose message names the op: never return, never a TypeError or RangeError from
 * inside our code or a typed array, never a WebAssembly.RuntimeError. Every wrong input is
 * tried, in a seeded random order, and then ROUNDS more rounds with two arguments wrong at
 * once (default 200; YANN_FUZZ_ROUNDS=5000 YANN_FUZZ_SEED=3 npx vitest run test/errors-fuzz.test.ts
 * to run longer).
 */

const ROUNDS = Number(process.env.YANN_FUZZ_ROUNDS ?? 200)
const SEED = Number(process.env.YANN_FUZZ_SEED ?? 1)
const project = (process.env.YANN_BACKEND ?? 'ts') as BackendName
afterAll(() => setBackend(project, project === 'wasm' ? { dispatchSmall: false } : {}))

const shaped = (shape: number[]) => arange(0, shape.reduce((a, b) => a * b, 1)).div(5).reshape(shape)

/** Values that are wrong for an argument of this kind, whatever the other arguments are. */
function wrong(v: unknown, k: Kind): [string, unknown][] {
  if ('tensor' in k) {
    const t = v as Tensor
    const out: [string, unknown][] = []
    if (k.float) out.push(['int32', t.int()], ['bool', t.gt(0)])
    if (k.ranks) for (let r = 0; r <= 5; r++) if (!k.ranks.includes(r)) out.push([`rank ${r}`, shaped(Array(r).fill(2))])
    if (k.exact && t.ndim > 0) out.push([`every dim +1`, shaped(t.shape.map((s) => s + 1))])
    return out
  }
  if ('index' in k) {
    const t = v as Tensor
    const at = (value: number) => new Tensor(Int32Array.from(t.data, (e, i) => (i === 0 ? value : e)), t.shape)
    return [[`index ${k.index}`, at(k.index)], [`index ${-k.index - 1}`, at(-k.index - 1)], ...(k.negative ? [] : [[`index -1`, at(-1)] as [string, unknown]]), ['float index', t.float()]]
  }
  if ('mask' in k) {
    const t = v as Tensor
    return [['float mask', t.float()], ...(k.intIndexes ? [] : [['int32 mask', t.int()] as [string, unknown]]), ['mask of every dim +1', shaped(t.shape.map((s) => s + 1)).gt(0)]]
  }
  if ('list' in k) return [['an empty list', []]]
  if ('step' in k) return [['step 0', 0], ['step NaN', NaN], ["step '1'", '1']]
  if ('position' in k) return [[`position ${k.position + 1}`, k.position + 1], [`position ${-k.position - 1}`, -k.position - 1], ['position 1.5', 1.5], ['position NaN', NaN]]
  if ('dim' in k) return [['dim = ndim', k.dim], ['dim < -ndim', -k.dim - 1], ['dim 1.5', 1.5], ['dim NaN', NaN], ["dim '1'", '1']]
  if ('dims' in k) return [['dims [ndim]', [k.dims]], ['dims [0, 0]', [0, 0]], ['dims [0.5]', [0.5]], ['dims [-ndim - 1]', [-k.dims - 1]]]
  if ('size' in k) {
    const sizes: [string, unknown][] = [['size -1', -1], ['size 1.5', k.size + 0.5], ['size NaN', NaN], ['size Infinity', Infinity], ["size '2'", '2']]
    return k.size > 0 ? [...sizes, [`size ${k.size - 1}`, k.size - 1]] : sizes
  }
  if ('sizes' in k) return [['sizes [2, -2]', [2, -2]], ['sizes [1.5]', [1.5]], ['sizes [NaN]', [NaN]], ["sizes ['2']", ['2']], ['sizes a string', 'abc']]
  if ('options' in k) {
    const o = v as object
    const out: [string, unknown][] = [['unknown option', { ...o, bogusOption: 1 }], ['options a string', 'abc']]
    for (const [key, type] of Object.entries(k.options)) {
      const bad = { bool: 'yes', number: 'x', int: 1.5, dims: 'x', enum: 'bogus' }[type]
      out.push([`option ${key}: ${JSON.stringify(bad)}`, { ...o, [key]: bad }])
    }
    return out
  }
  return []
}

const INTERNAL = /Cannot read|Cannot convert|is not a function|is not iterable|Invalid typed array length|Invalid array length|Maximum call stack|out of bounds|unreachable|toFixed|NaN elements/

/** Why a call is not a clear error naming the op, or null when it is. */
function failure(e: Entry, call: () => unknown): string | null {
  try {
    const r = call()
    return `returned ${r instanceof Tensor ? `a tensor of shape [${r.shape}]` : typeof r}`
  } catch (err) {
    if (!(err instanceof Error)) return `threw a non-Error ${String(err)}`
    if (err instanceof WebAssembly.RuntimeError) return `threw a WebAssembly.RuntimeError: ${err.message}`
    if (!err.message.toLowerCase().includes(e.op.toLowerCase())) return `threw ${err.constructor.name} not naming ${e.op}: ${err.message}`
    if (INTERNAL.test(err.message)) return `threw an internal error: ${err.message}`
    return null
  }
}

const BACKENDS: [string, () => void][] = [
  ['ts', () => setBackend('ts')],
  ['wasm', () => setBackend('wasm', { dispatchSmall: false })],
]

describe('bad-input fuzz: every wrong input is a clear error naming the op, on both backends', () => {
  it('the valid calls succeed', () => {
    const failed = ENTRIES.flatMap((e) => {
      const args = e.args()
      try {
        e.call(...args.map(([v]) => v))
        return []
      } catch (err) {
        return [`${e.op}: ${(err as Error).message}`]
      }
    })
    expect(failed).toEqual([])
  })

  for (const [backend, use] of BACKENDS) {
    it(`one wrong argument at a time (${backend})`, () => {
      use()
      const found: string[] = []
      for (const e of ENTRIES) {
        const args = e.args()
        args.forEach(([v, k], i) => {
          for (const [what, bad] of wrong(v, k)) {
            const why = failure(e, () => e.call(...args.map(([a], j) => (j === i ? bad : a))))
            if (why) found.push(`${e.op} argument ${i} ${what}: ${why}`)
          }
        })
      }
      expect(found).toEqual([])
    })

    it(`wrong inputs that depend on the other arguments (${backend})`, () => {
      use()
      const found = SPECIFIC.flatMap(([op, what, call]) => {
        const why = failure({ op, args: () => [], call }, call)
        return why ? [`${op}, ${what}: ${why}`] : []
      })
      expect(found).toEqual([])
    })

    it(`${ROUNDS} rounds of two wrong arguments (${backend})`, () => {
      use()
      const next = mulberry32(SEED)
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]
      const found: string[] = []
      for (let round = 0; round < ROUNDS; round++) {
        const e = pick(ENTRIES)
        const args = e.args()
        const bad = args.map(([v, k]) => wrong(v, k))
        const wrongAt = args.map((_, i) => i).filter((i) => bad[i].length > 0)
        if (wrongAt.length < 2) continue
        const [i, j] = [pick(wrongAt), pick(wrongAt)]
        const [wi, wj] = [pick(bad[i]), pick(bad[j])]
        if (wi[0].includes('+1') && wj[0].includes('+1')) continue // two shapes grown alike may fit again
        const why = failure(e, () => e.call(...args.map(([a], n) => (n === i ? wi[1] : n === j ? wj[1] : a))))
        if (why) found.push(`${e.op} argument ${i} ${wi[0]}, argument ${j} ${wj[0]}: ${why}`)
      }
      expect(found.slice(0, 10)).toEqual([])
    })
  }
})
