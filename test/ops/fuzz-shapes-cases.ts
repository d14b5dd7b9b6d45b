import { F, Tensor, argmax, argmin, bmm, cat, chunk, cumsum, gather, indexSelect, logsumexp, mm, prod, scatterAdd, split, stack, where } from '../../src/index.js'
import { bools, broadcastable, ints, leaf, type Leaf, type Rng } from './fuzz-shapes-gen.js'

/**
 * The ops test/ops/fuzz-shapes.test.ts runs: each draws its inputs (leaves, turned into the op's
 * inputs by a view) and returns the op applied to them. Index and mask arguments are made
 * fresh for each run from the drawn values.
 */

export type Out = Tensor | Tensor[] | { values: Tensor; indices: Tensor }
export interface Case {
  leaves: Leaf[]
  run: (xs: Tensor[]) => Out
  /** Also run with int32 inputs (forward only). */
  ints?: boolean
  /** float32 tolerance where cancellation amplifies rounding (default 2e-6). */
  tol32?: number
  note: string
}
type Gen = (r: Rng) => Case

const rank = (r: Rng, lo: number, hi: number) => r.range(lo, hi)
/** A dim of a tensor of `n` dims, sometimes negative; 0 for a 0-d tensor. */
const dimOf = (r: Rng, n: number) => (n === 0 ? 0 : r.chance(0.3) ? r.int(n) - n : r.int(n))
/** 1–3 distinct dims of an n-d tensor (a list), or all of them. */
function dimList(r: Rng, n: number): number[] {
  const p = r.perm(n)
  return p.slice(0, r.range(1, n)).map((d) => (r.chance(0.3) ? d - n : d))
}
const one = (r: Rng, shape: number[], note: string, run: (x: Tensor) => Out, o: Parameters<typeof leaf>[2] & { ints?: boolean } = {}): Case => ({
  leaves: [leaf(r, shape, o)],
  run: ([x]) => run(x),
  ints: o.ints,
  note,
})
const kd = (r: Rng) => ({ keepdim: r.chance(0.5) })

/** Reductions: over one dim, several, or all, with keepdim. */
const reductions: Record<string, Gen> = {
  sum: (r) => {
    const s = r.shape(rank(r, 0, 4))
    const how = r.int(3)
    const dims = how === 0 || s.length === 0 ? undefined : how === 1 ? dimOf(r, s.length) : dimList(r, s.length)
    const keepdim = r.chance(0.5)
    return one(r, s, `dims ${JSON.stringify(dims)} keepdim ${keepdim}`, (x) => (dims === undefined ? x.sum() : x.sum(dims, keepdim)), { ints: true, nan: true })
  },
  mean: (r) => {
    const s = r.shape(rank(r, 0, 4))
    const dims = s.length === 0 || r.chance(0.3) ? undefined : r.chance(0.5) ? dimOf(r, s.length) : dimList(r, s.length)
    const keepdim = r.chance(0.5)
    return one(r, s, `dims ${JSON.stringify(dims)} keepdim ${keepdim}`, (x) => (dims === undefined ? x.mean() : x.mean(dims, keepdim)), { nan: true })
  },
  varStd: (r) => {
    const s = r.shape(rank(r, 0, 4))
    const dims = s.length === 0 || r.chance(0.3) ? undefined : r.chance(0.5) ? dimOf(r, s.length) : dimList(r, s.length)
    const o = { correction: r.pick([0, 1, 2]), ...kd(r) }
    const std = r.chance(0.5)
    return one(r, s, `${std ? 'std' : 'var'} ${JSON.stringify(dims)} ${JSON.stringify(o)}`, (x) => (std ? x.std(dims, o) : x.var(dims, o)))
  },
  prod: (r) => {
    const s = r.shape(rank(r, 0, 3))
    const dim = s.length === 0 || r.chance(0.3) ? undefined : dimOf(r, s.length)
    const o = kd(r)
    return one(r, s, `dim ${dim} ${JSON.stringify(o)}`, (x) => (dim === undefined ? prod(x) : prod(x, dim, o)), { ties: true, ints: true })
  },
  amaxAmin: (r) => {
    const s = r.shape(rank(r, 0, 4))
    const dims = s.length === 0 || r.chance(0.3) ? undefined : r.chance(0.5) ? dimOf(r, s.length) : dimList(r, s.length)
    const o = kd(r)
    const min = r.chance(0.5)
    return one(r, s, `${min ? 'amin' : 'amax'} ${JSON.stringify(dims)} ${JSON.stringify(o)}`, (x) => (min ? x.amin(dims, o) : x.amax(dims, o)), { ties: true, nan: true, ints: true })
  },
  maxMinDim: (r) => {
    const s = r.shape(rank(r, 0, 4))
    const dim = dimOf(r, s.length)
    const o = kd(r)
    const min = r.chance(0.5)
    return one(r, s, `${min ? 'min' : 'max'}(${dim}) ${JSON.stringify(o)}`, (x) => (min ? x.min(dim, o) : x.max(dim, o)), { ties: true, nan: true, ints: true })
  },
  maxMinAll: (r) => {
    const min = r.chance(0.5)
    return one(r, r.shape(rank(r, 0, 3), 1), min ? 'min()' : 'max()', (x) => (min ? x.min() : x.max()), { ties: true, nan: true, ints: true })
  },
  argmaxArgmin: (r) => {
    const s = r.shape(rank(r, 0, 4), 1)
    const dim = r.chance(0.3) ? undefined : dimOf(r, s.length)
    const o = kd(r)
    const min = r.chance(0.5)
    return one(r, s, `${min ? 'argmin' : 'argmax'}(${dim}) ${JSON.stringify(o)}`, (x) => (min ? argmin : argmax)(x, dim, o), { ties: true, nan: true, ints: true })
  },
  logsumexp: (r) => {
    const s = r.shape(rank(r, 0, 4))
    const dims = s.length === 0 ? 0 : r.chance(0.5) ? dimOf(r, s.length) : dimList(r, s.length)
    const o = kd(r)
    return one(r, s, `dims ${JSON.stringify(dims)} ${JSON.stringify(o)}`, (x) => logsumexp(x, dims, o), { nan: true })
  },
  cumsum: (r) => {
    const s = r.shape(rank(r, 0, 4))
    const dim = dimOf(r, s.length)
    return one(r, s, `dim ${dim}`, (x) => cumsum(x, dim), { ints: true, nan: true })
  },
  anyAll: (r) => {
    const s = r.shape(rank(r, 0, 3))
    const dims = s.length === 0 || r.chance(0.3) ? undefined : r.chance(0.5) ? dimOf(r, s.length) : dimList(r, s.length)
    const o = kd(r)
    const all = r.chance(0.5)
    return one(r, s, `${all ? 'all' : 'any'} ${JSON.stringify(dims)}`, (x) => (all ? x.gt(0).all(dims, o) : x.gt(2).any(dims, o)), { ties: true, ints: true })
  },
  softmax: (r) => {
    const s = r.shape(rank(r, 0, 4))
    const dim = dimOf(r, s.length)
    const log = r.chance(0.5)
    return one(r, s, `${log ? 'logSoftmax' : 'softmax'}(${dim})`, (x) => (log ? F.logSoftmax(x, dim) : F.softmax(x, dim)), { nan: true })
  },
}

/** matmul with every operand rank (1-d vectors, batch broadcasting), mm, bmm, linear. */
const products: Record<string, Gen> = {
  matmul: (r) => {
    const [m, k, n] = [r.size(), r.size(), r.size()]
    const ra = r.range(1, 4)
    const rb = r.range(1, 4)
    const batch = r.shape(Math.max(ra, rb) - 2)
    const bb = (rk: number) => batch.slice(batch.length - Math.max(rk - 2, 0)).map((d) => (r.chance(0.3) ? 1 : d))
    const a = ra === 1 ? [k] : [...bb(ra), m, k]
    const b = rb === 1 ? [k] : [...bb(rb), k, n]
    return { leaves: [leaf(r, a), leaf(r, b)], run: ([x, y]) => x.matmul(y), note: `${JSON.stringify(a)} @ ${JSON.stringify(b)}` }
  },
  mmBmm: (r) => {
    const [m, k, n] = [r.size(), r.size(), r.size()]
    const b = r.chance(0.5) ? r.size() : -1
    const s = (p: number, q: number) => (b < 0 ? [p, q] : [b, p, q])
    return { leaves: [leaf(r, s(m, k)), leaf(r, s(k, n))], run: ([x, y]) => (b < 0 ? mm(x, y) : bmm(x, y)), note: `${b < 0 ? 'mm' : 'bmm'}` }
  },
  linear: (r) => {
    const [i, o] = [r.size(), r.size()]
    const x = [...r.shape(r.range(0, 2)), i]
    const bias = r.chance(0.5)
    const leaves = [leaf(r, x), leaf(r, [o, i]), ...(bias ? [leaf(r, [o])] : [])]
    return { leaves, run: ([a, w, b]) => F.linear(a, w, b ?? null), note: `x ${JSON.stringify(x)} out ${o}` }
  },
}

/** Gathers, scatters and indexing. */
const gathers: Record<string, Gen> = {
  gather: (r) => {
    const s = r.shape(rank(r, 1, 3), 1)
    const d = dimOf(r, s.length)
    const is = s.map((v, i) => (i === (d + s.length) % s.length ? r.size() : r.range(0, v)))
    const idx = ints(r, is, 0, s[(d + s.length) % s.length] - 1)
    return one(r, s, `dim ${d} index ${JSON.stringify(is)}`, (x) => gather(x, d, idx()), { ints: true })
  },
  scatterAdd: (r) => {
    const s = r.shape(rank(r, 1, 3), 1)
    const d = dimOf(r, s.length)
    const is = s.map((v, i) => (i === (d + s.length) % s.length ? r.size() : r.range(0, v)))
    const idx = ints(r, is, 0, s[(d + s.length) % s.length] - 1)
    const src = is.map((v) => v + (r.chance(0.3) ? 1 : 0))
    return { leaves: [leaf(r, s), leaf(r, src)], run: ([x, y]) => scatterAdd(x, d, idx(), y), note: `dim ${d} index ${JSON.stringify(is)} src ${JSON.stringify(src)}` }
  },
  indexSelect: (r) => {
    const s = r.shape(rank(r, 1, 3), 1)
    const d = dimOf(r, s.length)
    const idx = ints(r, [r.size()], 0, s[(d + s.length) % s.length] - 1)
    return one(r, s, `dim ${d}`, (x) => indexSelect(x, d, idx()), { ints: true })
  },
  advancedIndex: (r) => {
    const s = r.shape(rank(r, 1, 4), 1)
    const at = r.int(s.length)
    const mask = r.chance(0.4)
    const is = r.shape(r.range(0, 2))
    const ix = mask ? bools(r, [s[at]]) : ints(r, is, -s[at], s[at] - 1)
    // A second index tensor (broadcasting with the first), next to it or not: PyTorch's rules put the result dims in place or in front.
    const at2 = !mask && s.length > 1 && r.chance(0.5) ? (at + 1 + r.int(s.length - 1)) % s.length : -1
    const ix2 = at2 < 0 ? null : ints(r, broadcastable(r, is), -s[at2], s[at2] - 1)
    const items = s.map((_, i) => (i === at || i === at2 ? null : r.pick([null, null, '1:', '::2', 0])))
    return one(r, s, `${mask ? 'mask' : `index ${JSON.stringify(is)}`} at ${at} and ${at2} with ${JSON.stringify(items)}`, (x) =>
      x.index(...items.map((it, i) => (i === at ? ix() : i === at2 ? ix2!() : it))),
    { ints: true })
  },
  embedding: (r) => {
    const [num, dim] = [r.size(1), r.size()]
    const is = r.shape(r.range(0, 2))
    const idx = ints(r, is, 0, num - 1)
    const paddingIdx = r.chance(0.4) ? r.int(num) : undefined
    return one(r, [num, dim], `indices ${JSON.stringify(is)} paddingIdx ${paddingIdx}`, (w) => F.embedding(idx(), w, { paddingIdx }))
  },
  whereMasked: (r) => {
    const s = r.shape(rank(r, 0, 3))
    const cond = bools(r, broadcastable(r, s))
    const other = broadcastable(r, s)
    const filled = r.chance(0.5)
    return {
      leaves: [leaf(r, s), leaf(r, other)],
      run: ([a, b]) => (filled ? a.maskedFill(cond(), 0.5) : where(cond(), a, b)),
      ints: true,
      note: filled ? 'maskedFill' : `where other ${JSON.stringify(other)}`,
    }
  },
}

/** Joining, splitting, sorting and the triangle/flip copies. */
const layout: Record<string, Gen> = {
  catStack: (r) => {
    const s = r.shape(rank(r, 1, 3))
    const d = r.int(s.length)
    const n = r.range(1, 3)
    const stacked = r.chance(0.4)
    const shapes = Array.from({ length: n }, () => s.map((v, i) => (i === d && !stacked ? r.size() : v)))
    const dim = stacked ? r.int(s.length + 1) : d
    return { leaves: shapes.map((sh) => leaf(r, sh)), run: (xs) => (stacked ? stack(xs, dim) : cat(xs, dim)), ints: true, note: `${stacked ? 'stack' : 'cat'} ${JSON.stringify(shapes)} dim ${dim}` }
  },
  splitChunk: (r) => {
    const s = r.shape(rank(r, 1, 3))
    const d = dimOf(r, s.length)
    const size = s[(d + s.length) % s.length]
    const how = r.int(3)
    const sizes: number[] = []
    for (let left = size; left > 0; ) sizes.push(Math.min(left, r.range(0, 3))), (left -= sizes[sizes.length - 1])
    const n = r.range(1, 4)
    return one(r, s, `${['split', 'split sizes', 'chunk'][how]} ${n} ${JSON.stringify(sizes)} dim ${d}`, (x) =>
      how === 0 ? split(x, n, d) : how === 1 ? split(x, sizes, d) : chunk(x, n, d),
    { ints: true })
  },
  sort: (r) => {
    const s = r.shape(rank(r, 0, 3))
    const dim = dimOf(r, s.length)
    const descending = r.chance(0.5)
    const how = r.int(3)
    const k = r.range(0, s[(dim + s.length) % s.length] ?? 1)
    const largest = r.chance(0.5)
    return one(r, s, `${['sort', 'argsort', 'topk'][how]} dim ${dim} desc ${descending} k ${k} largest ${largest}`, (x) =>
      how === 0 ? x.sort(dim, { descending }) : how === 1 ? x.argsort(dim, { descending }) : x.topk(k, dim, { largest }),
    { ties: true, nan: true, ints: true })
  },
  trilTriuFlip: (r) => {
    const s = r.shape(rank(r, 2, 4))
    const diagonal = r.range(-3, 3)
    const dims = dimList(r, s.length)
    const how = r.int(3)
    return one(r, s, `${['tril', 'triu', 'flip'][how]} ${diagonal} ${JSON.stringify(dims)}`, (x) =>
      how === 0 ? x.tril(diagonal) : how === 1 ? x.triu(diagonal) : x.flip(dims),
    { ints: true })
  },
  pad: (r) => {
    const mode = r.pick(['constant', 'reflect', 'replicate'] as const)
    const dims = mode === 'constant' ? r.range(1, 3) : r.range(1, 2)
    const s = [...r.shape(r.range(mode === 'constant' ? 0 : 1, 2), 1), ...r.shape(dims, mode === 'reflect' ? 3 : 1)]
    const pads = Array.from({ length: 2 * dims }, () => r.range(mode === 'constant' ? -1 : 0, 2))
    return one(r, s, `${mode} ${JSON.stringify(pads)}`, (x) => F.pad(x, pads, { mode, value: 0.25 }))
  },
}

export const GENS: Record<string, Gen> = { ...reductions, ...products, ...gathers, ...layout }
