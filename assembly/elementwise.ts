// Elementwise kernels: powScalar, clamp and the broadcast binary loops (the strided gather is
// strided-copy.ts; the unary functions and the binary formulas are generated from the op table:
// unary.generated.ts, binary.generated.ts). Generic over T ∈ {f32, f64}: one v128 holds
// lanes<T>() values; a scalar loop finishes the tail. Pointers are byte addresses,
// counts are elements; no alignment is required.
//
// Op codes are the enums of opcodes.generated.ts (from src/backend/opcodes.ts); a code
// missing here traps (unreachable), which the JS side reports naming the kernel and code.

import { pow_, lanes } from './math'
import { binHasVec, binScalar, binVec } from './binary.generated'
import { firstRow, nextRow, rowA, rowB } from './broadcast'

// ---------------------------------------------------------------- pow, clamp

function powScalar<T>(x: usize, p: f64, out: usize, n: i32): void {
  const sz = <usize>sizeof<T>()
  const L = lanes<T>()
  let i = 0
  if (p == 2) {
    // x·x is exactly what pow(x, 2) returns.
    for (; i + L <= n; i += L) {
      const o = <usize>i * sz
      const v = v128.load(x + o)
      v128.store(out + o, v128.mul<T>(v, v))
    }
    for (; i < n; i++) {
      const v = load<T>(x + <usize>i * sz)
      store<T>(out + <usize>i * sz, v * v)
    }
  } else if (p == 1) {
    memory.copy(out, x, <usize>n * sz)
  } else if (p == 0) {
    for (; i < n; i++) store<T>(out + <usize>i * sz, <T>1) // even NaN ** 0 = 1
  } else {
    const pt = <T>p
    for (; i < n; i++) store<T>(out + <usize>i * sz, pow_<T>(load<T>(x + <usize>i * sz), pt))
  }
}

export function powScalar_f32(x: usize, p: f64, out: usize, n: i32): void { powScalar<f32>(x, p, out, n) }
export function powScalar_f64(x: usize, p: f64, out: usize, n: i32): void { powScalar<f64>(x, p, out, n) }

function powScalarBackward<T>(x: usize, p: f64, dy: usize, out: usize, n: i32): void {
  const sz = <usize>sizeof<T>()
  const L = lanes<T>()
  let i = 0
  if (p == 0) {
    memory.fill(out, 0, <usize>n * sz) // PyTorch's rule: all zeros
  } else if (p == 1) {
    memory.copy(out, dy, <usize>n * sz)
  } else if (p == 2) {
    const two = v128.splat<T>(<T>2)
    for (; i + L <= n; i += L) {
      const o = <usize>i * sz
      v128.store(out + o, v128.mul<T>(v128.mul<T>(v128.load(dy + o), two), v128.load(x + o)))
    }
    for (; i < n; i++) {
      const o = <usize>i * sz
      store<T>(out + o, load<T>(dy + o) * <T>2 * load<T>(x + o))
    }
  } else {
    const pt = <T>p
    const pm1 = <T>(p - 1)
    for (; i < n; i++) {
      const o = <usize>i * sz
      store<T>(out + o, load<T>(dy + o) * pt * pow_<T>(load<T>(x + o), pm1))
    }
  }
}

export function powScalarBackward_f32(x: usize, p: f64, dy: usize, out: usize, n: i32): void {
  powScalarBackward<f32>(x, p, dy, out, n)
}
export function powScalarBackward_f64(x: usize, p: f64, dy: usize, out: usize, n: i32): void {
  powScalarBackward<f64>(x, p, dy, out, n)
}

// The ts reference compares float32 values with the f64 bounds. The same decisions in T:
// x ≥ lo ⟺ x ≥ (lo rounded up to T), x ≤ hi ⟺ x ≤ (hi rounded down to T).
// @ts-ignore: decorator
@inline function roundUp<T>(x: f64): T {
  if (sizeof<T>() == 8) return <T>x
  let r = <f32>x
  if (<f64>r < x) {
    const bits = reinterpret<u32>(r)
    r = r == 0 ? reinterpret<f32>(<u32>1) : r > 0 ? reinterpret<f32>(bits + 1) : reinterpret<f32>(bits - 1)
  }
  return <T>r
}

// @ts-ignore: decorator
@inline function roundDown<T>(x: f64): T {
  if (sizeof<T>() == 8) return <T>x
  let r = <f32>x
  if (<f64>r > x) {
    const bits = reinterpret<u32>(r)
    r = r == 0 ? reinterpret<f32>(<u32>0x80000001) : r > 0 ? reinterpret<f32>(bits - 1) : reinterpret<f32>(bits + 1)
  }
  return <T>r
}

function clamp<T>(x: usize, lo: f64, hi: f64, out: usize, n: i32): void {
  const sz = <usize>sizeof<T>()
  const L = lanes<T>()
  const l = <T>lo // the values written: lo and hi rounded to nearest, as a store rounds them
  const h = <T>hi
  const lc = roundUp<T>(lo) // the values compared with
  const hc = roundDown<T>(hi)
  const lv = v128.splat<T>(l)
  const hv = v128.splat<T>(h)
  const lcv = v128.splat<T>(lc)
  const hcv = v128.splat<T>(hc)
  let i = 0
  for (; i + L <= n; i += L) {
    const o = <usize>i * sz
    const v = v128.load(x + o)
    // min(max(v, lo), hi) in this order (lo > hi gives hi, as in PyTorch); NaN passes through.
    const t = v128.bitselect(lv, v, v128.lt<T>(v, lcv))
    v128.store(out + o, v128.bitselect(hv, t, v128.gt<T>(t, hcv)))
  }
  for (; i < n; i++) {
    const o = <usize>i * sz
    const v = load<T>(x + o)
    const t = v < lc ? l : v
    store<T>(out + o, t > hc ? h : t)
  }
}

export function clamp_f32(x: usize, lo: f64, hi: f64, out: usize, n: i32): void { clamp<f32>(x, lo, hi, out, n) }
export function clamp_f64(x: usize, lo: f64, hi: f64, out: usize, n: i32): void { clamp<f64>(x, lo, hi, out, n) }

function clampBackward<T>(x: usize, lo: f64, hi: f64, dy: usize, out: usize, n: i32): void {
  const sz = <usize>sizeof<T>()
  const L = lanes<T>()
  const l = roundUp<T>(lo)
  const h = roundDown<T>(hi)
  const lv = v128.splat<T>(l)
  const hv = v128.splat<T>(h)
  let i = 0
  for (; i + L <= n; i += L) {
    const o = <usize>i * sz
    const v = v128.load(x + o)
    const inside = v128.and(v128.ge<T>(v, lv), v128.le<T>(v, hv))
    v128.store(out + o, v128.and(v128.load(dy + o), inside))
  }
  for (; i < n; i++) {
    const o = <usize>i * sz
    const v = load<T>(x + o)
    store<T>(out + o, v >= l && v <= h ? load<T>(dy + o) : <T>0)
  }
}

export function clampBackward_f32(x: usize, lo: f64, hi: f64, dy: usize, out: usize, n: i32): void {
  clampBackward<f32>(x, lo, hi, dy, out, n)
}
export function clampBackward_f64(x: usize, lo: f64, hi: f64, dy: usize, out: usize, n: i32): void {
  clampBackward<f64>(x, lo, hi, dy, out, n)
}

// ---------------------------------------------------------------- binary

/** out[0..len] = op(a[i·sa], b[i·sb]); strides in elements, vectorised for (1,1), (1,0), (0,1). */
// @ts-ignore: decorator
@inline function binRow<T>(op: i32, a: usize, sa: isize, b: usize, sb: isize, out: usize, len: i32): void {
  const sz = <usize>sizeof<T>()
  const L = lanes<T>()
  // An op without a vector form (pow) skips the vector loops (the condition is a constant).
  const vec = binHasVec(op)
  let i = 0
  if (sa == 1 && sb == 1) {
    if (vec) for (; i + L <= len; i += L) {
      const o = <usize>i * sz
      v128.store(out + o, binVec<T>(op, v128.load(a + o), v128.load(b + o)))
    }
    for (; i < len; i++) {
      const o = <usize>i * sz
      store<T>(out + o, binScalar<T>(op, load<T>(a + o), load<T>(b + o)))
    }
  } else if (sa == 1 && sb == 0) {
    const bs = load<T>(b)
    const bv = v128.splat<T>(bs)
    if (vec) for (; i + L <= len; i += L) {
      const o = <usize>i * sz
      v128.store(out + o, binVec<T>(op, v128.load(a + o), bv))
    }
    for (; i < len; i++) {
      const o = <usize>i * sz
      store<T>(out + o, binScalar<T>(op, load<T>(a + o), bs))
    }
  } else if (sa == 0 && sb == 1) {
    const as = load<T>(a)
    const av = v128.splat<T>(as)
    if (vec) for (; i + L <= len; i += L) {
      const o = <usize>i * sz
      v128.store(out + o, binVec<T>(op, av, v128.load(b + o)))
    }
    for (; i < len; i++) {
      const o = <usize>i * sz
      store<T>(out + o, binScalar<T>(op, as, load<T>(b + o)))
    }
  } else {
    const da = sa * <isize>sz
    const db = sb * <isize>sz
    let pa = a
    let pb = b
    for (; i < len; i++) {
      store<T>(out + <usize>i * sz, binScalar<T>(op, load<T>(pa), load<T>(pb)))
      pa += da
      pb += db
    }
  }
}

// @ts-ignore: decorator
@inline export function binaryOp<T>(op: i32, a: usize, aLen: i32, b: usize, bLen: i32, out: usize, n: i32, rank: i32, meta: usize): void {
  // The same cases, in the same order, as the ts reference: one row of n with strides (sa, sb),
  // else (meta: i32 [shape[rank], aStrides[rank], bStrides[rank]]) an odometer over every
  // dimension but the last, one row at a time. One binRow call site: each op's copy inlines
  // the row loop once (binRow picks its vector loop per row from the strides).
  const sz = <isize>sizeof<T>()
  const last = rank - 1
  const shape = meta
  const aS = meta + <usize>rank * 4
  const bS = meta + <usize>rank * 8
  const idx = meta + <usize>rank * 12 // scratch counters, zeroed by the caller
  let len = n
  let sa: isize = 0
  let sb: isize = 0
  if (aLen == n && bLen == n) {
    sa = 1
    sb = 1
  } else if (bLen == 1) {
    sa = aLen == n ? 1 : 0
  } else if (aLen == 1 && bLen == n) {
    sb = 1
  } else if (rank != 0) {
    len = load<i32>(shape + <usize>last * 4)
    sa = <isize>load<i32>(aS + <usize>last * 4)
    sb = <isize>load<i32>(bS + <usize>last * 4)
  }
  if (len == 0) return
  const rows = n / len
  firstRow()
  let po = out
  for (let r = 0; r < rows; r++) {
    binRow<T>(op, a + <usize>(rowA * sz), sa, b + <usize>(rowB * sz), sb, po, len)
    po += <usize>len * <usize>sz
    if (r + 1 < rows) nextRow(last, shape, idx, aS, bS)
  }
}
