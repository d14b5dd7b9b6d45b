// Comparisons (→ one byte per element) and max/min with the index along an axis.
// Pointers are byte addresses; counts are elements. SIMD over 16 elements at a time for
// comparisons (their masks narrowed to bytes), a scalar loop for the tail.

import { lanes } from './math'

const lanesTmp: usize = memory.data(16, 16)

// Op codes, in the order of CompareOp in src/backend/types.ts: gt lt ge le eq ne.

// @ts-ignore: decorator
@inline function cmpScalar<T>(op: i32, a: T, b: T): u8 {
  if (op == 0) return a > b ? 1 : 0
  if (op == 1) return a < b ? 1 : 0
  if (op == 2) return a >= b ? 1 : 0
  if (op == 3) return a <= b ? 1 : 0
  if (op == 4) return a == b ? 1 : 0
  return a != b ? 1 : 0
}

// @ts-ignore: decorator
@inline function cmpVec<T>(op: i32, a: v128, b: v128): v128 {
  if (op == 0) return v128.gt<T>(a, b)
  if (op == 1) return v128.lt<T>(a, b)
  if (op == 2) return v128.ge<T>(a, b)
  if (op == 3) return v128.le<T>(a, b)
  if (op == 4) return v128.eq<T>(a, b)
  return v128.ne<T>(a, b)
}

/** Four lanes of comparison masks (all ones or zeros) as an i32x4, from elements j..j+3. */
// @ts-ignore: decorator
@inline function mask4<T>(op: i32, a: usize, sa: isize, av: v128, b: usize, sb: isize, bv: v128, j: i32): v128 {
  const sz = <usize>sizeof<T>()
  if (sizeof<T>() == 4) {
    return cmpVec<T>(op, sa == 0 ? av : v128.load(a + <usize>j * sz), sb == 0 ? bv : v128.load(b + <usize>j * sz))
  }
  // f64: two i64x2 masks, their low halves packed into one i32x4.
  const m0 = cmpVec<T>(op, sa == 0 ? av : v128.load(a + <usize>j * sz), sb == 0 ? bv : v128.load(b + <usize>j * sz))
  const m1 = cmpVec<T>(op, sa == 0 ? av : v128.load(a + <usize>(j + 2) * sz), sb == 0 ? bv : v128.load(b + <usize>(j + 2) * sz))
  return v128.shuffle<i32>(m0, m1, 0, 2, 4, 6)
}

/** out[i] = op(a[i·sa], b[i·sb]) for a row; strides 0 or 1 run 16 at a time. */
// @ts-ignore: decorator
@inline function cmpRow<T>(op: i32, a: usize, sa: isize, b: usize, sb: isize, out: usize, len: i32): void {
  const sz = <isize>sizeof<T>()
  let i = 0
  if (sa <= 1 && sb <= 1 && sa >= 0 && sb >= 0) {
    const av = v128.splat<T>(load<T>(a))
    const bv = v128.splat<T>(load<T>(b))
    const one = i8x16.splat(1)
    for (; i + 16 <= len; i += 16) {
      const w0 = i16x8.narrow_i32x4_s(mask4<T>(op, a, sa, av, b, sb, bv, i), mask4<T>(op, a, sa, av, b, sb, bv, i + 4))
      const w1 = i16x8.narrow_i32x4_s(mask4<T>(op, a, sa, av, b, sb, bv, i + 8), mask4<T>(op, a, sa, av, b, sb, bv, i + 12))
      v128.store(out + <usize>i, v128.and(i8x16.narrow_i16x8_s(w0, w1), one))
    }
  }
  for (; i < len; i++) {
    store<u8>(out + <usize>i, cmpScalar<T>(op, load<T>(a + <usize>(<isize>i * sa * sz)), load<T>(b + <usize>(<isize>i * sb * sz))))
  }
}

// @ts-ignore: decorator
@inline function compareOp<T>(op: i32, a: usize, aLen: i32, b: usize, bLen: i32, out: usize, n: i32, rank: i32, meta: usize): void {
  // The same cases as the ts reference, then the odometer over every dim but the last.
  if (aLen == n && bLen == n) return cmpRow<T>(op, a, 1, b, 1, out, n)
  if (bLen == 1 && aLen == n) return cmpRow<T>(op, a, 1, b, 0, out, n)
  if (rank == 0) return cmpRow<T>(op, a, 0, b, 0, out, n)
  const sz = <isize>sizeof<T>()
  const last = rank - 1
  const shape = meta
  const aS = meta + <usize>rank * 4
  const bS = meta + <usize>rank * 8
  const idx = meta + <usize>rank * 12 // scratch counters, zeroed by the caller
  const len = load<i32>(shape + <usize>last * 4)
  const sa = <isize>load<i32>(aS + <usize>last * 4)
  const sb = <isize>load<i32>(bS + <usize>last * 4)
  if (len == 0) return
  const rows = n / len
  let ai: isize = 0
  let bi: isize = 0
  let po = out
  for (let r = 0; r < rows; r++) {
    cmpRow<T>(op, a + <usize>(ai * sz), sa, b + <usize>(bi * sz), sb, po, len)
    po += <usize>len
    for (let d = last - 1; d >= 0; d--) {
      const dp = <usize>d * 4
      const c = load<i32>(idx + dp) + 1
      const ext = load<i32>(shape + dp)
      const da = <isize>load<i32>(aS + dp)
      const db = <isize>load<i32>(bS + dp)
      ai += da
      bi += db
      if (c < ext) {
        store<i32>(idx + dp, c)
        break
      }
      ai -= da * <isize>ext
      bi -= db * <isize>ext
      store<i32>(idx + dp, 0)
    }
  }
}

function compare<T>(op: i32, a: usize, aLen: i32, b: usize, bLen: i32, out: usize, n: i32, rank: i32, meta: usize): void {
  switch (op) {
    case 0: compareOp<T>(0, a, aLen, b, bLen, out, n, rank, meta); break
    case 1: compareOp<T>(1, a, aLen, b, bLen, out, n, rank, meta); break
    case 2: compareOp<T>(2, a, aLen, b, bLen, out, n, rank, meta); break
    case 3: compareOp<T>(3, a, aLen, b, bLen, out, n, rank, meta); break
    case 4: compareOp<T>(4, a, aLen, b, bLen, out, n, rank, meta); break
    case 5: compareOp<T>(5, a, aLen, b, bLen, out, n, rank, meta); break
    default: unreachable() // an op code this binary does not know: the JS side reports it
  }
}

export function compare_f32(op: i32, a: usize, aLen: i32, b: usize, bLen: i32, out: usize, n: i32, rank: i32, meta: usize): void {
  compare<f32>(op, a, aLen, b, bLen, out, n, rank, meta)
}
export function compare_f64(op: i32, a: usize, aLen: i32, b: usize, bLen: i32, out: usize, n: i32, rank: i32, meta: usize): void {
  compare<f64>(op, a, aLen, b, bLen, out, n, rank, meta)
}

// ---------------------------------------------------------------- max / min with index

/** v beats best: larger (smaller when min), or NaN over a number (NaN propagates, as in PyTorch). */
// @ts-ignore: decorator
@inline function beats<T>(v: T, best: T, min: bool): bool {
  return (min ? v < best : v > best) || (v != v && best == best)
}

/**
 * values[o, i], indices[o, i] = the extreme of x[o, :, i] and its first index. Rows (inner = 1,
 * argmax over [N, C]) find the extreme with v128.max/min (which propagate NaN), then its first
 * position; otherwise one pass down the axis updates a whole inner row at a time.
 */
function maxAxis<T>(x: usize, values: usize, indices: usize, outer: i32, n: i32, inner: i32, min: bool): void {
  const sz = <usize>sizeof<T>()
  const L = lanes<T>()
  if (inner == 1) {
    for (let o = 0; o < outer; o++) {
      const row = x + <usize>o * <usize>n * sz
      let j = 0
      let m = load<T>(row)
      if (n >= 2 * L) {
        let mv = v128.load(row)
        for (j = L; j + L <= n; j += L) {
          const v = v128.load(row + <usize>j * sz)
          mv = min ? v128.min<T>(mv, v) : v128.max<T>(mv, v)
        }
        v128.store(lanesTmp, mv)
        m = load<T>(lanesTmp)
        for (let l = 1; l < L; l++) {
          const v = load<T>(lanesTmp + <usize>l * sz)
          if (beats<T>(v, m, min)) m = v
        }
      } else j = 1
      for (; j < n; j++) {
        const v = load<T>(row + <usize>j * sz)
        if (beats<T>(v, m, min)) m = v
      }
      // The first position holding it (NaN: the first NaN).
      let at = 0
      if (m != m) while (load<T>(row + <usize>at * sz) == load<T>(row + <usize>at * sz)) at++
      else while (load<T>(row + <usize>at * sz) != m) at++
      store<T>(values + <usize>o * sz, load<T>(row + <usize>at * sz)) // its own sign of zero
      store<i32>(indices + <usize>o * 4, at)
    }
    return
  }
  for (let o = 0; o < outer; o++) {
    const base = x + <usize>o * <usize>n * <usize>inner * sz
    const vo = values + <usize>o * <usize>inner * sz
    const io = indices + <usize>o * <usize>inner * 4
    memory.copy(vo, base, <usize>inner * sz)
    memory.fill(io, 0, <usize>inner * 4)
    for (let j = 1; j < n; j++) {
      const r = base + <usize>j * <usize>inner * sz
      for (let i = 0; i < inner; i++) {
        const v = load<T>(r + <usize>i * sz)
        if (beats<T>(v, load<T>(vo + <usize>i * sz), min)) {
          store<T>(vo + <usize>i * sz, v)
          store<i32>(io + <usize>i * 4, j)
        }
      }
    }
  }
}

export function maxAxis_f32(x: usize, values: usize, indices: usize, outer: i32, n: i32, inner: i32, min: bool): void {
  maxAxis<f32>(x, values, indices, outer, n, inner, min)
}
export function maxAxis_f64(x: usize, values: usize, indices: usize, outer: i32, n: i32, inner: i32, min: bool): void {
  maxAxis<f64>(x, values, indices, outer, n, inner, min)
}
