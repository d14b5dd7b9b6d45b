// Thin float32 GEMMs that skip packing (gemm.ts packs op(A) and op(B) into panels, which pays
// only when each packed value is used many times):
// - fewer than MR rows of op(A): one sample (or two, three) through a layer, y = x·Wᵀ at batch
//   1. Packing would copy all of op(B) to read it once and run 4-row tiles of which 1-3 rows
//   are real; here each strip of 16 (or 8) columns of C reads op(B) where it lies, one row at a time.
// - k = 1: an outer product, a layer's weight gradient dW = dYᵀ·X at batch 1. op(A) is a
//   column and op(B) a row, both contiguous whatever the transposes.
// Each returns the columns it did, whole strips from 0; gemm.ts's packed path does the rest.
//
// Same bits as the packed path: each C[i, j] is the same chain, init (the bias or +0) then
// madd over p = 0, 1, …, k−1 in order, on v128 lanes (madd: fused in the relaxed build, as
// there). The packed path splits k into KC blocks and keeps C between them in f32, which is
// what its f32 accumulators hold anyway.
//
// Pointers are byte addresses; no alignment required.

import { madd } from './fma'

// @ts-ignore: decorator
@inline const NR: i32 = 8

/**
 * C[0..m, 0..full] = op(A)·op(B) (+ bias) for m < MR, where full = n rounded down to NR;
 * returns full (the packed path does the columns from there on). Strips of 2·NR columns, then
 * one of NR: four accumulators give four independent chains, which a fused multiply-add needs
 * (its latency exceeds an add's; with two, the relaxed build ran x·Wᵀ at batch 1 1.45× slower
 * than the plain one).
 */
export function fewRows(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, transA: bool, transB: bool, bias: usize): i32 {
  const full = n & ~(NR - 1)
  // op(A)[i, p] = A[i·ars + p·aps]
  const ars: usize = transA ? 4 : <usize>k * 4
  const aps: usize = transA ? <usize>m * 4 : 4
  for (let i = 0; i < m; i++) {
    const ai = a + <usize>i * ars
    const ci = c + <usize>i * <usize>n * 4
    let j = 0
    for (; j + 2 * NR <= full; j += 2 * NR) strip(ai, aps, b, ci, n, k, j, transB, bias, true)
    if (j < full) strip(ai, aps, b, ci, n, k, j, transB, bias, false)
  }
  return full
}

/** Row i of C (at ci), columns j .. j+2·NR (wide) or j .. j+NR: each C[i, j] one madd chain over p. */
// @ts-ignore: decorator
@inline function strip(ai: usize, aps: usize, b: usize, ci: usize, n: i32, k: i32, j: i32, transB: bool, bias: usize, wide: bool): void {
  let c0 = f32x4.splat(0)
  let c1 = c0, c2 = c0, c3 = c0
  if (bias != 0) {
    const bj = bias + <usize>j * 4
    c0 = v128.load(bj); c1 = v128.load(bj, 16)
    if (wide) { c2 = v128.load(bj, 32); c3 = v128.load(bj, 48) }
  }
  if (transB) {
    // op(B)[p, j] = B[j·k + p]: rows j .. of B, each contiguous over p; four p at a time,
    // 4 × 4 blocks transposed in registers.
    const rs = <usize>k * 4
    const r0 = b + <usize>j * rs
    const r4 = r0 + 4 * rs, r8 = r0 + 8 * rs, r12 = r0 + 12 * rs
    let ap = ai
    let p = 0
    for (; p + 4 <= k; p += 4) {
      const s = <usize>p * 4
      const x0 = v128.load_splat<f32>(ap)
      const x1 = v128.load_splat<f32>(ap + aps)
      const x2 = v128.load_splat<f32>(ap + 2 * aps)
      const x3 = v128.load_splat<f32>(ap + 3 * aps)
      ap += 4 * aps
      c0 = madd4(c0, x0, x1, x2, x3, r0 + s, rs)
      c1 = madd4(c1, x0, x1, x2, x3, r4 + s, rs)
      if (wide) {
        c2 = madd4(c2, x0, x1, x2, x3, r8 + s, rs)
        c3 = madd4(c3, x0, x1, x2, x3, r12 + s, rs)
      }
    }
    for (; p < k; p++) {
      const x = v128.load_splat<f32>(ap)
      ap += aps
      const s = <usize>p * 4
      c0 = madd<f32>(x, column4(r0 + s, rs), c0)
      c1 = madd<f32>(x, column4(r4 + s, rs), c1)
      if (wide) {
        c2 = madd<f32>(x, column4(r8 + s, rs), c2)
        c3 = madd<f32>(x, column4(r12 + s, rs), c3)
      }
    }
  } else {
    // op(B)[p, j] = B[p·n + j]: the values of one p are adjacent.
    let bp = b + <usize>j * 4
    const step = <usize>n * 4
    let ap = ai
    for (let p = 0; p < k; p++) {
      const x = v128.load_splat<f32>(ap)
      c0 = madd<f32>(x, v128.load(bp), c0)
      c1 = madd<f32>(x, v128.load(bp, 16), c1)
      if (wide) {
        c2 = madd<f32>(x, v128.load(bp, 32), c2)
        c3 = madd<f32>(x, v128.load(bp, 48), c3)
      }
      ap += aps
      bp += step
    }
  }
  const cj = ci + <usize>j * 4
  v128.store(cj, c0); v128.store(cj, c1, 16)
  if (wide) { v128.store(cj, c2, 32); v128.store(cj, c3, 48) }
}

/** C[0..m, 0..full] = a·b (+ bias) for k = 1 (a: m values, b: n), where full = n rounded down to 4; returns full. */
export function rankOne(a: usize, b: usize, c: usize, m: i32, n: i32, bias: usize): i32 {
  const full = n & ~3
  const zero = f32x4.splat(0)
  for (let i = 0; i < m; i++) {
    const x = v128.load_splat<f32>(a + <usize>i * 4)
    const ci = c + <usize>i * <usize>n * 4
    // Two loops: V8 keeps a bias test inside one (dW = dYᵀ·X of 256 × 784 at batch 1: 39 → 32 µs
    // on yann.wasm, 46 → 23 µs on yann-relaxed.wasm).
    if (bias != 0) {
      for (let j = 0; j < full; j += 4) {
        const at = <usize>j * 4
        v128.store(ci + at, madd<f32>(x, v128.load(b + at), v128.load(bias + at)))
      }
    } else {
      for (let j = 0; j < full; j += 4) {
        const at = <usize>j * 4
        v128.store(ci + at, madd<f32>(x, v128.load(b + at), zero))
      }
    }
  }
  return full
}

/**
 * acc after four madd steps p .. p+3 (in that order) of the 4 columns whose rows (over p) start
 * at s, s + rs, s + 2·rs, s + 3·rs: the 4 × 4 block transposed, so step q multiplies x_q by
 * (r0[q], r1[q], r2[q], r3[q]).
 */
// @ts-ignore: decorator
@inline function madd4(acc: v128, x0: v128, x1: v128, x2: v128, x3: v128, s: usize, rs: usize): v128 {
  const r0 = v128.load(s), r1 = v128.load(s + rs), r2 = v128.load(s + 2 * rs), r3 = v128.load(s + 3 * rs)
  const t0 = v128.shuffle<i32>(r0, r1, 0, 4, 1, 5) // r0[0] r1[0] r0[1] r1[1]
  const t1 = v128.shuffle<i32>(r0, r1, 2, 6, 3, 7) // r0[2] r1[2] r0[3] r1[3]
  const t2 = v128.shuffle<i32>(r2, r3, 0, 4, 1, 5)
  const t3 = v128.shuffle<i32>(r2, r3, 2, 6, 3, 7)
  acc = madd<f32>(x0, v128.shuffle<i32>(t0, t2, 0, 1, 4, 5), acc)
  acc = madd<f32>(x1, v128.shuffle<i32>(t0, t2, 2, 3, 6, 7), acc)
  acc = madd<f32>(x2, v128.shuffle<i32>(t1, t3, 0, 1, 4, 5), acc)
  return madd<f32>(x3, v128.shuffle<i32>(t1, t3, 2, 3, 6, 7), acc)
}

/** The f32 values at s, s + rs, s + 2·rs, s + 3·rs as one v128. */
// @ts-ignore: decorator
@inline function column4(s: usize, rs: usize): v128 {
  let v = f32x4.splat(load<f32>(s))
  v = f32x4.replace_lane(v, 1, load<f32>(s + rs))
  v = f32x4.replace_lane(v, 2, load<f32>(s + 2 * rs))
  return f32x4.replace_lane(v, 3, load<f32>(s + 3 * rs))
}
