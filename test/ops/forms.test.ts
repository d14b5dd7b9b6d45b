import { describe, expect, it } from 'vitest'
import { Tensor } from '../../src/index.js'
import { mulberry32 } from '../rng.js'

/**
 * Forward values of the broadcasting and matmul forms the oracle fixture does not cover, against
 * naive references written here with explicit index arithmetic (gradcheck proves the gradients
 * consistent with the forward; this proves the forward).
 */

const next = mulberry32(1234)
const numel = (s: number[]) => s.reduce((a, b) => a * b, 1)
const rnd = (shape: number[]) => new Tensor(Float64Array.from({ length: numel(shape) }, () => next() * 4 - 2), shape)

/** Element at a multi-index of a broadcast-aligned shape (size-1 and missing dims read index 0). */
function at(t: Tensor, index: number[]): number {
  const off = index.length - t.ndim
  let flat = 0
  for (let d = 0; d < t.ndim; d++) flat = flat * t.shape[d] + (t.shape[d] === 1 ? 0 : index[off + d])
  return t.data[flat]
}

function* indices(shape: number[]): Generator<number[]> {
  const idx = shape.map(() => 0)
  for (let n = 0; n < numel(shape); n++) {
    yield [...idx]
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break
      idx[d] = 0
    }
  }
}

const fns = {
  add: (a: number, b: number) => a + b,
  sub: (a: number, b: number) => a - b,
  mul: (a: number, b: number) => a * b,
  div: (a: number, b: number) => a / b,
  maximum: (a: number, b: number) => Math.max(a, b),
}

const broadcastCases: [number[], number[], number[]][] = [
  [[3, 1], [1, 4], [3, 4]],
  [[2, 3, 4], [4], [2, 3, 4]],
  [[4], [2, 3, 4], [2, 3, 4]],
  [[2, 1, 4], [3, 1], [2, 3, 4]],
  [[1, 3, 1], [2, 1, 5], [2, 3, 5]],
  [[], [2, 3], [2, 3]],
  [[2, 3], [], [2, 3]],
  [[5, 1, 1, 2], [3, 1], [5, 1, 3, 2]],
]

describe('binary ops broadcast like NumPy', () => {
  for (const [op, f] of Object.entries(fns)) {
    it.each(broadcastCases)(`${op} [%s] · [%s] → [%s]`, (sa, sb, so) => {
      const a = rnd(sa)
      const b = rnd(sb)
      const y = (a as any)[op](b) as Tensor
      expect(y.shape).toEqual(so)
      const want = [...indices(so)].map((i) => f(at(a, i), at(b, i)))
      expect(Array.from(y.data)).toEqual(want)
    })
  }
})

/** Naive matmul with PyTorch's rules for 1-D operands and batch broadcasting. */
function naiveMatmul(a: Tensor, b: Tensor): { shape: number[]; data: number[] } {
  const A = a.ndim === 1 ? new Tensor(a.data, [1, a.shape[0]]) : a
  const B = b.ndim === 1 ? new Tensor(b.data, [b.shape[0], 1]) : b
  const [m, k] = A.shape.slice(-2)
  const n = B.shape[B.ndim - 1]
  const ba = A.shape.slice(0, -2)
  const bb = B.shape.slice(0, -2)
  const rank = Math.max(ba.length, bb.length)
  const batch = Array.from({ length: rank }, (_, i) => Math.max(ba[ba.length - rank + i] ?? 1, bb[bb.length - rank + i] ?? 1))
  const data: number[] = []
  for (const bi of indices(batch)) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0
        for (let p = 0; p < k; p++) s += at(A, [...bi, i, p]) * at(B, [...bi, p, j])
        data.push(s)
      }
    }
  }
  return { shape: [...batch, ...(a.ndim === 1 ? [] : [m]), ...(b.ndim === 1 ? [] : [n])], data }
}

const matmulCases: [string, number[], number[]][] = [
  ['1·1', [4], [4]],
  ['1·2', [4], [4, 3]],
  ['2·1', [3, 4], [4]],
  ['2·2', [3, 4], [4, 5]],
  ['3·2', [2, 3, 4], [4, 5]],
  ['2·3', [3, 4], [2, 4, 5]],
  ['3·3', [2, 3, 4], [2, 4, 5]],
  ['3·3 broadcast', [1, 3, 4], [2, 4, 5]],
  ['4·3 broadcast', [2, 1, 3, 4], [5, 4, 2]],
  ['1·3', [4], [2, 4, 3]],
  ['3·1', [2, 3, 4], [4]],
  ['4·4', [2, 3, 2, 4], [2, 1, 4, 3]],
  ['k = 1', [3, 1], [1, 2]],
  ['a large one (17×33·33×9)', [17, 33], [33, 9]],
]

describe('matmul forms', () => {
  it.each(matmulCases)('%s: [%s] · [%s]', (_, sa, sb) => {
    const a = rnd(sa)
    const b = rnd(sb)
    const want = naiveMatmul(a, b)
    const y = a.matmul(b)
    expect(y.shape).toEqual(want.shape)
    // Summation order may differ between backends: compare to 1e-12.
    Array.from(y.data).forEach((v, i) => expect(v).toBeCloseTo(want.data[i], 12))
  })
})
