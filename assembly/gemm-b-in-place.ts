// Float32 C = op(A)·Bᵀ (+ bias) with B read where it lies, for products with few rows of C:
// a layer's forward y = x·Wᵀ at a small batch. gemm.ts's packed path would copy all of B
// (n × k, W's 800 KB in a 784-256 layer) into panels on every call and use each packed value
// m times; here only op(A) (m × k, the batch) is packed, and the tile runs transposed:
// 8 rows of C in the lanes of two v128 (op(A)'s packed values), 4 columns of C broadcast from
// 4 rows of B, each contiguous over p. 8 accumulators, as macroKernel's 4 × 8 tile.
//
// Same bits as the packed path: each C[i, j] is the same chain, init (the bias or +0) then
// madd over p = 0, 1, …, k−1 in order (a·b and fused a·b + c are symmetric in a and b), with C
// kept in f32 between KC blocks.
//
// Pointers are byte addresses; no alignment required.

import { madd } from './fma'
import { edgeTile, KC, packPanelB, transpose4x4Store } from './gemm'

// @ts-ignore: decorator
@inline const ROWS: i32 = 8 // rows of C per tile: the lanes of two f32x4
// @ts-ignore: decorator
@inline const COLS: i32 = 4 // columns of C per tile: rows of B
// Up to this many rows of C (from 8: fewer leave lanes empty). The packed path reads B's
// packed values from L1 m/4 times; from ~128 rows on, packing B once costs little beside that.
// @ts-ignore: decorator
@inline export const B_IN_PLACE_MAX_ROWS: i32 = 64

/**
 * C[m, n] = op(A)[m, k]·Bᵀ (+ bias) for B stored [n, k]; `pack` holds KC × ⌈m⌉₈ floats.
 */
export function gemmBInPlace(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, transA: bool, bias: usize, pack: usize): void {
  const ldc = <usize>n * 4
  const rs = <usize>k * 4
  for (let pc = 0; pc < k; pc += KC) {
    const kc = min(KC, k - pc)
    // op(A)ᵀ[pc.., 0..m] as a "B" panel: for each p, 8 rows of op(A) adjacent (rows past m zero).
    packPanelB<f32>(a, m, k, !transA, pc, 0, kc, m, pack)
    const init = pc > 0 ? 1 : bias != 0 ? 2 : 0
    for (let i = 0; i < m; i += ROWS) {
      const rows = min(ROWS, m - i)
      stripOfC(pack + <usize>(i * kc) * 4, kc, b + <usize>pc * 4, rs, n, c + <usize>i * ldc, ldc, rows, init, bias)
    }
  }
}

/**
 * One strip of `rows` (≤ 8) rows of C (at c, row stride ldc bytes), 4 columns at a time:
 * C[rows, j..j+4] = init + Σ_p panel[p]ᵀ · (B's rows j..j+3 at b + j·rs, row stride rs)[p] over
 * kc steps. init: 0 = zero, 1 = C itself, 2 = the bias at `bias`. Ragged tiles (rows < 8,
 * fewer than 4 columns) compute whole and write only their part.
 */
function stripOfC(panel: usize, kc: i32, b: usize, rs: usize, n: i32, c: usize, ldc: usize, rows: i32, init: i32, bias: usize): void {
  for (let j = 0; j < n; j += COLS) {
    const cols = min(COLS, n - j)
    tile(panel, kc, b + <usize>j * rs, rs, cols, c + <usize>j * 4, ldc, rows, init, bias + <usize>j * 4)
  }
}

// @ts-ignore: decorator
@inline function tile(panel: usize, kc: i32, b: usize, rs: usize, cols: i32, c: usize, ldc: usize, rows: i32, init: i32, bias: usize): void {
  // The rows of B past the last column of C repeat its row: computed, never written.
  const b0 = b
  const b1 = cols > 1 ? b0 + rs : b0
  const b2 = cols > 2 ? b1 + rs : b1
  const b3 = cols > 3 ? b2 + rs : b2
  let c0a: v128, c0b: v128, c1a: v128, c1b: v128, c2a: v128, c2b: v128, c3a: v128, c3b: v128
  if (init == 2) {
    c0a = v128.load_splat<f32>(bias)
    c1a = cols > 1 ? v128.load_splat<f32>(bias, 4) : c0a
    c2a = cols > 2 ? v128.load_splat<f32>(bias, 8) : c0a
    c3a = cols > 3 ? v128.load_splat<f32>(bias, 12) : c0a
    c0b = c0a; c1b = c1a; c2b = c2a; c3b = c3a
  } else if (init == 1) {
    // C's block into edgeTile (8 rows × 4, zeros past the edges), then transposed into lanes.
    loadBlock(c, ldc, rows, cols)
    const t = edgeTile
    transpose4x4Store(v128.load(t), v128.load(t, 16), v128.load(t, 32), v128.load(t, 48), t, 16)
    transpose4x4Store(v128.load(t, 64), v128.load(t, 80), v128.load(t, 96), v128.load(t, 112), t + 64, 16)
    c0a = v128.load(t); c1a = v128.load(t, 16); c2a = v128.load(t, 32); c3a = v128.load(t, 48)
    c0b = v128.load(t, 64); c1b = v128.load(t, 80); c2b = v128.load(t, 96); c3b = v128.load(t, 112)
  } else {
    c0a = f32x4.splat(0)
    c0b = c0a; c1a = c0a; c1b = c0a; c2a = c0a; c2b = c0a; c3a = c0a; c3b = c0a
  }
  // The k loop (inside stripOfC's j loop, so V8 unrolls it: gemm.ts's macroKernel says why).
  let ap = panel
  let p0 = b0, p1 = b1, p2 = b2, p3 = b3
  const aEnd = panel + <usize>kc * 32
  while (ap < aEnd) {
    const x0 = v128.load(ap)
    const x1 = v128.load(ap, 16)
    let w = v128.load_splat<f32>(p0)
    c0a = madd<f32>(x0, w, c0a); c0b = madd<f32>(x1, w, c0b)
    w = v128.load_splat<f32>(p1)
    c1a = madd<f32>(x0, w, c1a); c1b = madd<f32>(x1, w, c1b)
    w = v128.load_splat<f32>(p2)
    c2a = madd<f32>(x0, w, c2a); c2b = madd<f32>(x1, w, c2b)
    w = v128.load_splat<f32>(p3)
    c3a = madd<f32>(x0, w, c3a); c3b = madd<f32>(x1, w, c3b)
    ap += 32
    p0 += 4; p1 += 4; p2 += 4; p3 += 4
  }
  // Lanes (rows of C) back to rows: two 4 × 4 transposes.
  if (rows == ROWS && cols == COLS) {
    transpose4x4Store(c0a, c1a, c2a, c3a, c, ldc)
    transpose4x4Store(c0b, c1b, c2b, c3b, c + 4 * ldc, ldc)
  } else {
    transpose4x4Store(c0a, c1a, c2a, c3a, edgeTile, 16)
    transpose4x4Store(c0b, c1b, c2b, c3b, edgeTile + 64, 16)
    for (let r = 0; r < rows; r++) memory.copy(c + <usize>r * ldc, edgeTile + <usize>r * 16, <usize>cols * 4)
  }
}

/** C's rows × cols block at c into edgeTile (8 rows of 4 floats), zeros past the edges. */
// @ts-ignore: decorator
@inline function loadBlock(c: usize, ldc: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < ROWS; r++) {
    for (let q = 0; q < COLS; q++) {
      store<f32>(edgeTile + <usize>(r * 16 + q * 4), r < rows && q < cols ? load<f32>(c + <usize>r * ldc + <usize>q * 4) : 0)
    }
  }
}
