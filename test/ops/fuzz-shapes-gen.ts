import { SMALL } from '../../src/backend/wasm/index.js'
import { Tensor } from '../../src/index.js'
import { mulberry32 } from '../rng.js'

/**
 * The random pieces of test/ops/fuzz-shapes.test.ts: shapes (size-0 and size-1 dims, odd
 * lengths, lengths around the small-size dispatch thresholds), input data (ties, NaN) and
 * views (permute, narrow, slice with a step, expand) that turn a leaf into an op's input.
 */

export type FloatDType = 'float32' | 'float64'

/** Lengths just below and above each dispatch threshold (the wasm backend's ts/wasm switch). */
const NEAR = [SMALL.transcendental - 1, SMALL.transcendental + 1, SMALL.elements - 1, SMALL.elements + 1, SMALL.reduce - 1, SMALL.reduce + 3]

export class Rng {
  readonly next: () => number
  constructor(seed: number) {
    this.next = mulberry32(seed)
  }
  int(n: number): number {
    return Math.floor(this.next() * n)
  }
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1)
  }
  chance(p: number): boolean {
    return this.next() < p
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]
  }
  /** A dim size: mostly 2–7, sometimes 0 or 1, sometimes an odd 9–13. */
  size(min = 0): number {
    const u = this.next()
    const s = u < 0.06 ? 0 : u < 0.2 ? 1 : u < 0.85 ? this.range(2, 7) : this.range(9, 13)
    return Math.max(s, min)
  }
  /** A shape of `rank` dims; now and then one dim is a length around a dispatch threshold. */
  shape(rank: number, min = 0): number[] {
    const s = Array.from({ length: rank }, () => this.size(min))
    if (rank > 0 && this.chance(0.15)) s[this.int(rank)] = this.pick(NEAR)
    return s.map((d) => (s.reduce((a, b) => a * b, 1) > 4000 ? Math.min(d, 3) : d))
  }
  perm(n: number): number[] {
    const p = Array.from({ length: n }, (_, i) => i)
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1)
      ;[p[i], p[j]] = [p[j], p[i]]
    }
    return p
  }
}

/** A leaf and the view that turns it into an op's input of shape `shape`. */
export interface Leaf {
  shape: number[]
  leafShape: number[]
  data: Float64Array
  view: (t: Tensor) => Tensor
  what: string
}

/** Values in [-3, 3] (or at least 0.1 from 0: `away`); some inputs draw from few values (ties) and some hold NaN and ±Infinity. */
export function values(r: Rng, n: number, o: { ties?: boolean; nan?: boolean; positive?: boolean; away?: boolean } = {}): Float64Array {
  const ties = o.ties && r.chance(0.5)
  const nan = o.nan && r.chance(0.3)
  return Float64Array.from({ length: n }, () => {
    if (nan && r.chance(0.1)) return r.pick([NaN, NaN, Infinity, -Infinity])
    const v = ties ? r.int(5) - 2 : r.next() * 6 - 3
    return o.positive ? Math.abs(v) + 0.1 : o.away ? v + Math.sign(v) * 0.1 : v
  })
}

const numel = (s: readonly number[]) => s.reduce((a, b) => a * b, 1)

/** A leaf whose view (random: none, permute, narrow, step slice, expand) has shape `shape`. */
export function leaf(r: Rng, shape: number[], o: Parameters<typeof values>[2] & { plain?: boolean; noExpand?: boolean } = {}): Leaf {
  const rank = shape.length
  const kind = rank === 0 || o.plain ? 'plain' : r.pick(['plain', 'plain', 'permute', 'narrow', 'step', ...(o.noExpand ? [] : ['expand'])])
  let leafShape = [...shape]
  let view = (t: Tensor) => t
  let what: string = kind
  if (kind === 'permute') {
    const q = r.perm(rank)
    q.forEach((src, i) => (leafShape[src] = shape[i]))
    view = (t) => t.permute(q)
    what = `permute(${q})`
  } else if (kind === 'narrow' || kind === 'step') {
    const d = r.int(rank)
    const extra = r.range(1, 2)
    leafShape[d] = kind === 'narrow' ? shape[d] + extra : 2 * shape[d]
    view = kind === 'narrow' ? (t) => t.narrow(d, extra, shape[d]) : (t) => t.slice(d, 0, null, 2)
    what = `${kind}(${d})`
  } else if (kind === 'expand') {
    leafShape = shape.map((s) => (r.chance(0.4) ? 1 : s))
    if (r.chance(0.3)) leafShape = leafShape.slice(r.int(rank + 1))
    view = (t) => t.expand(shape)
    what = `expand(${JSON.stringify(leafShape)})`
  }
  return { shape, leafShape, data: values(r, numel(leafShape), o), view, what }
}

/** An int32 tensor of `shape` with entries in [lo, hi]: made fresh for each run. */
export function ints(r: Rng, shape: number[], lo: number, hi: number): () => Tensor {
  const d = Int32Array.from({ length: numel(shape) }, () => r.range(lo, hi))
  return () => new Tensor(Int32Array.from(d), shape)
}

/** A bool tensor of `shape`, each entry true with probability p. */
export function bools(r: Rng, shape: number[], p = 0.5): () => Tensor {
  const d = Uint8Array.from({ length: numel(shape) }, () => (r.chance(p) ? 1 : 0))
  return () => new Tensor(Uint8Array.from(d), shape)
}

/** A shape that broadcasts to `shape`: some dims 1, maybe fewer dims. */
export function broadcastable(r: Rng, shape: number[]): number[] {
  return shape.slice(r.int(shape.length + 1)).map((d) => (r.chance(0.35) ? 1 : d))
}
