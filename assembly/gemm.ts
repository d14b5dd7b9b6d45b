// Batched GEMM: out[b] = op(A[b]) · op(B[b]) (+ bias), in the style of GotoBLAS/BLIS.
//
// Blocking (loops outermost first; f32 sizes):
//   jc over n in NC columns
//     pc over k in KC steps:  pack op(B)[pc.., jc..]   (KC × NC, ≤ 1 MB: L2)
//       ic over m in MC rows: pack op(A)[ic.., pc..]   (MC × KC, ≤ 256 KB: L2)
//         jr over the NC columns in NR-wide strips:   one B micro-panel (KC × NR, ≤ 16 KB: stays in L1)
//           macroKernel: ir over the MC rows in MR-high tiles, each a KC-long loop of
//           rank-1 updates of an MR × NR tile held in registers (A streams from L2).
// KC = 512 rather than 256 was 3-5% faster at n ≥ 512 (one pass over C instead of two);
// MC (64-128) and NC (512-1024) made no measurable difference.
// The k loop sits two loops deep inside macroKernel on purpose: V8's TurboFan unrolls an
// innermost wasm loop only when it is nested (a loop directly in a function body is left
// alone), and the unrolled copies each keep their loads next to their arithmetic, so the
// tile stays in registers. A stand-alone micro-kernel called per tile ran ~15% slower.
// Unrolling k by hand does the opposite: V8 hoists every load of the unrolled block to its
// top, 16 v128 registers no longer suffice and accumulators spill.
//
// Packing turns every transA/transB variant into the same layout, so all four run at the
// same speed; f32 packs four p at a time with in-register 4 × 4 transposes where the source
// runs along k (A untransposed, B transposed). Thin float32 products (fewer than MR rows,
// or k = 1) skip the packing: gemm-unpacked.ts; so does B in float32 x·Wᵀ with 8-64 rows of
// C (a layer's forward at a small batch): gemm-b-in-place.ts.
//
// Packed A (one MC × KC block): micro-panels of MR rows; inside one, for each p the
//   MR values op(A)[i0 + r, p] are adjacent (rows past m are zero).
// Packed B (one KC × NC panel): micro-panels of NR columns; inside one, for each p the
//   NR values op(B)[p, j0 + c] are adjacent (columns past n are zero).
//
// The MR × NR tile (4 × 8 for f32x4, 4 × 4 for f64x2) lives in 8 v128 accumulators; with
// 2 B vectors, 4 broadcast A values and a product temporary that is 15 registers, all x64
// gives V8 besides its scratch register. Bigger tiles (5 × 8, 6 × 8, 3 × 12, 4 × 12) spill
// and measured slower.
//
// Pointers are byte addresses; strides are in elements. Alignment: none required
// (v128.load is unaligned-safe), but the packing buffers are 16-byte aligned.

import { allocate } from './alloc'
import { madd } from './fma'
import { fewRows, rankOne } from './gemm-unpacked'
import { B_IN_PLACE_MAX_ROWS, gemmBInPlace } from './gemm-b-in-place'

// @ts-ignore: decorator
@inline export const MR: i32 = 4
// @ts-ignore: decorator
@inline export const KC: i32 = 512
// @ts-ignore: decorator
@inline export const MC: i32 = 128
// @ts-ignore: decorator
@inline export const NC: i32 = 512
// @ts-ignore: decorator
@inline const NR_MAX: i32 = 8 // NR of f32; f64 uses 4

// Packing buffers, allocated once from the heap on first use and kept (a constant
// ~2.6 MB, sized for f64; the same pair serves both float types).
let packA: usize = 0
let packB: usize = 0
// One MR × NR tile for the ragged edges of C.
export const edgeTile: usize = memory.data(MR * NR_MAX * 8, 16)

/**
 * Fills edgeTile (MR × NR, row stride NR) for a ragged mr × nr corner of C at cp (row stride
 * ldc): C's values when `accumulate`, else the bias row at biasRow (0: none) or zeros; the
 * rest of the tile zeros. The macro-kernel then accumulates into it (init 1) and storeEdge
 * writes the corner back.
 */
// @ts-ignore: decorator
@inline export function loadEdge<T>(cp: usize, ldc: usize, mr: i32, nr: i32, accumulate: bool, biasRow: usize): void {
  const sz = <usize>sizeof<T>()
  const NR = 32 / sizeof<T>()
  const tl = <usize>NR * sz
  for (let r = 0; r < MR; r++) {
    for (let q = 0; q < NR; q++) {
      let v: T = <T>0
      if (r < mr && q < nr) {
        if (accumulate) v = load<T>(cp + <usize>r * ldc + <usize>q * sz)
        else if (biasRow != 0) v = load<T>(biasRow + <usize>q * sz)
      }
      store<T>(edgeTile + <usize>r * tl + <usize>q * sz, v)
    }
  }
}

/** Writes edgeTile's mr × nr corner back to C at cp (row stride ldc). */
// @ts-ignore: decorator
@inline export function storeEdge<T>(cp: usize, ldc: usize, mr: i32, nr: i32): void {
  const tl = <usize>(32 / sizeof<T>()) * sizeof<T>()
  for (let r = 0; r < mr; r++) memory.copy(cp + <usize>r * ldc, edgeTile + <usize>r * tl, <usize>nr * sizeof<T>())
}

function ensurePackBuffers(): void {
  // B first: packA set means both are (an allocation that traps, out of memory, leaves packA 0).
  if (packA == 0) {
    if (packB == 0) packB = allocate(<usize>(KC * (NC + NR_MAX) * 8))
    packA = allocate(<usize>(MC * KC * 8))
  }
}

/**
 * Transpose the 4 × 4 f32 block whose rows are r0..r3 and store its rows (the columns of
 * the input) at dst, dst + step, dst + 2·step, dst + 3·step.
 */
// @ts-ignore: decorator
@inline export function transpose4x4Store(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize, step: usize): void {
  const t0 = v128.shuffle<i32>(r0, r1, 0, 4, 1, 5) // r0[0] r1[0] r0[1] r1[1]
  const t1 = v128.shuffle<i32>(r0, r1, 2, 6, 3, 7) // r0[2] r1[2] r0[3] r1[3]
  const t2 = v128.shuffle<i32>(r2, r3, 0, 4, 1, 5)
  const t3 = v128.shuffle<i32>(r2, r3, 2, 6, 3, 7)
  v128.store(dst, v128.shuffle<i32>(t0, t2, 0, 1, 4, 5))
  v128.store(dst + step, v128.shuffle<i32>(t0, t2, 2, 3, 6, 7))
  v128.store(dst + 2 * step, v128.shuffle<i32>(t1, t3, 0, 1, 4, 5))
  v128.store(dst + 3 * step, v128.shuffle<i32>(t1, t3, 2, 3, 6, 7))
}

/** Pack op(A)[i0 .. i0+mc, p0 .. p0+kc] into micro-panels of MR rows. */
export function packPanelA<T>(a: usize, m: i32, k: i32, transA: bool, i0: i32, p0: i32, mc: i32, kc: i32, dst: usize): void {
  const sz = <usize>sizeof<T>()
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = min(MR, mc - ir)
    const panel = dst + <usize>(ir * kc) * sz
    if (mr == MR) {
      if (transA) {
        // op(A)[i, p] = A[p·m + i]: the MR values for one p are adjacent in memory.
        let src = a + (<usize>p0 * <usize>m + <usize>(i0 + ir)) * sz
        const step = <usize>m * sz
        if (sizeof<T>() == 4) {
          for (let p = 0; p < kc; p++) {
            v128.store(panel + <usize>(p * MR) * sz, v128.load(src))
            src += step
          }
        } else {
          for (let p = 0; p < kc; p++) {
            const d = panel + <usize>(p * MR) * sz
            v128.store(d, v128.load(src))
            v128.store(d, v128.load(src, 16), 16)
            src += step
          }
        }
      } else {
        // op(A)[i, p] = A[i·k + p]: MR rows, each contiguous over p.
        const r0 = a + (<usize>(i0 + ir) * <usize>k + <usize>p0) * sz
        const rs = <usize>k * sz
        let p = 0
        if (sizeof<T>() == 4) {
          // Four p at a time: a 4 × 4 block of A (one v128 per row) transposed in registers.
          for (; p + 4 <= kc; p += 4) {
            const s = r0 + <usize>p * 4
            transpose4x4Store(v128.load(s), v128.load(s + rs), v128.load(s + 2 * rs), v128.load(s + 3 * rs), panel + <usize>(p * 16), 16)
          }
        }
        for (; p < kc; p++) {
          const d = panel + <usize>(p * MR) * sz
          const s = r0 + <usize>p * sz
          store<T>(d, load<T>(s))
          store<T>(d + sz, load<T>(s + rs))
          store<T>(d + 2 * sz, load<T>(s + 2 * rs))
          store<T>(d + 3 * sz, load<T>(s + 3 * rs))
        }
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const d = panel + <usize>(p * MR) * sz
        for (let r = 0; r < MR; r++) {
          let v: T = <T>0
          if (r < mr) {
            const i = <usize>(i0 + ir + r)
            const q = <usize>(p0 + p)
            v = transA ? load<T>(a + (q * <usize>m + i) * sz) : load<T>(a + (i * <usize>k + q) * sz)
          }
          store<T>(d + <usize>r * sz, v)
        }
      }
    }
  }
}

/** Pack op(B)[p0 .. p0+kc, j0 .. j0+nc] into micro-panels of NR columns. */
export function packPanelB<T>(b: usize, n: i32, k: i32, transB: bool, p0: i32, j0: i32, kc: i32, nc: i32, dst: usize): void {
  const sz = <usize>sizeof<T>()
  const NR = 32 / sizeof<T>()
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = min(NR, nc - jr)
    const panel = dst + <usize>(jr * kc) * sz
    if (nr == NR && !transB) {
      // op(B)[p, j] = B[p·n + j]: NR adjacent values = two v128.
      let src = b + (<usize>p0 * <usize>n + <usize>(j0 + jr)) * sz
      const step = <usize>n * sz
      for (let p = 0; p < kc; p++) {
        const d = panel + <usize>(p * 32)
        v128.store(d, v128.load(src))
        v128.store(d, v128.load(src, 16), 16)
        src += step
      }
    } else if (nr == NR && sizeof<T>() == 4) {
      // op(B)[p, j] = B[j·k + p]: NR = 8 rows of B, each contiguous over p. Four p at a
      // time: two 4 × 4 blocks (rows 0-3 and 4-7) transposed in registers.
      const r0 = b + (<usize>(j0 + jr) * <usize>k + <usize>p0) * 4
      const rs = <usize>k * 4
      const r4 = r0 + 4 * rs
      let p = 0
      for (; p + 4 <= kc; p += 4) {
        const s = <usize>p * 4
        const d = panel + <usize>(p * 32)
        transpose4x4Store(v128.load(r0 + s), v128.load(r0 + rs + s), v128.load(r0 + 2 * rs + s), v128.load(r0 + 3 * rs + s), d, 32)
        transpose4x4Store(v128.load(r4 + s), v128.load(r4 + rs + s), v128.load(r4 + 2 * rs + s), v128.load(r4 + 3 * rs + s), d + 16, 32)
      }
      for (; p < kc; p++) {
        const d = panel + <usize>(p * 32)
        for (let c = 0; c < 8; c++) store<f32>(d + <usize>c * 4, load<f32>(r0 + <usize>c * rs + <usize>p * 4))
      }
    } else if (nr == NR) {
      // op(B)[p, j] = B[j·k + p]: NR rows of B, each contiguous over p.
      for (let c = 0; c < NR; c++) {
        let src = b + (<usize>(j0 + jr + c) * <usize>k + <usize>p0) * sz
        let d = panel + <usize>c * sz
        for (let p = 0; p < kc; p++) {
          store<T>(d, load<T>(src))
          src += sz
          d += 32
        }
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const d = panel + <usize>(p * 32)
        for (let c = 0; c < NR; c++) {
          let v: T = <T>0
          if (c < nr) {
            const j = <usize>(j0 + jr + c)
            const q = <usize>(p0 + p)
            v = transB ? load<T>(b + (j * <usize>k + q) * sz) : load<T>(b + (q * <usize>n + j) * sz)
          }
          store<T>(d + <usize>c * sz, v)
        }
      }
    }
  }
}

/**
 * The MR × NR tiles of one NR-wide column strip, rows 0 .. rows (a multiple of MR) of the
 * packed A block at `a`, against the packed B micro-panel at `b`: for each tile,
 * C[MR, NR] (row stride ldc bytes) = init + Σ_p a[p]ᵀ b[p] over kc packed steps.
 * init: 0 = zero, 1 = C itself (accumulate), 2 = the bias row at `bias`.
 */
export function macroKernel<T>(rows: i32, kc: i32, a: usize, b: usize, c: usize, ldc: usize, init: i32, bias: usize): void {
  const sz = <usize>sizeof<T>()
  const aStep = <usize>(MR * kc) * sz
  for (let ir = 0; ir < rows; ir += MR) {
    let c00: v128, c01: v128, c10: v128, c11: v128, c20: v128, c21: v128, c30: v128, c31: v128
    if (init == 1) {
      c00 = v128.load(c); c01 = v128.load(c, 16)
      c10 = v128.load(c + ldc); c11 = v128.load(c + ldc, 16)
      c20 = v128.load(c + 2 * ldc); c21 = v128.load(c + 2 * ldc, 16)
      c30 = v128.load(c + 3 * ldc); c31 = v128.load(c + 3 * ldc, 16)
    } else if (init == 2) {
      c00 = v128.load(bias); c01 = v128.load(bias, 16)
      c10 = c00; c11 = c01; c20 = c00; c21 = c01; c30 = c00; c31 = c01
    } else {
      c00 = v128.splat<T>(<T>0)
      c01 = c00; c10 = c00; c11 = c00; c20 = c00; c21 = c00; c30 = c00; c31 = c00
    }
    // The k loop (V8 unrolls it, see the top of the file).
    let ap = a, bp = b
    const aEnd = a + aStep
    while (ap < aEnd) {
      const b0 = v128.load(bp)
      const b1 = v128.load(bp, 16)
      let x = v128.load_splat<T>(ap)
      c00 = madd<T>(x, b0, c00); c01 = madd<T>(x, b1, c01)
      x = v128.load_splat<T>(ap + sz)
      c10 = madd<T>(x, b0, c10); c11 = madd<T>(x, b1, c11)
      x = v128.load_splat<T>(ap + 2 * sz)
      c20 = madd<T>(x, b0, c20); c21 = madd<T>(x, b1, c21)
      x = v128.load_splat<T>(ap + 3 * sz)
      c30 = madd<T>(x, b0, c30); c31 = madd<T>(x, b1, c31)
      ap += 4 * sz
      bp += 32
    }
    v128.store(c, c00); v128.store(c, c01, 16)
    v128.store(c + ldc, c10); v128.store(c + ldc, c11, 16)
    v128.store(c + 2 * ldc, c20); v128.store(c + 2 * ldc, c21, 16)
    v128.store(c + 3 * ldc, c30); v128.store(c + 3 * ldc, c31, 16)
    a += aStep
    c += 4 * ldc
  }
}

/** One matrix: C[m, n] = op(A) · op(B) (+ bias). */
function gemmOne<T>(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, transA: bool, transB: bool, bias: usize): void {
  const sz = <usize>sizeof<T>()
  const NR = 32 / sizeof<T>()
  const ldc = <usize>n * sz
  if (k == 0) {
    // No products: C is the bias (or zero) in every row.
    for (let i = 0; i < m; i++) {
      const row = c + <usize>i * ldc
      if (bias != 0) memory.copy(row, bias, ldc)
      else memory.fill(row, 0, ldc)
    }
    return
  }
  // Thin products unpacked (gemm-unpacked.ts), the ragged columns they leave below.
  let j0 = 0
  if (sizeof<T>() == 4) {
    if (m < MR) j0 = fewRows(a, b, c, m, n, k, transA, transB, bias)
    else if (k == 1) j0 = rankOne(a, b, c, m, n, bias)
    else if (transB && m >= 2 * MR && m <= B_IN_PLACE_MAX_ROWS) return gemmBInPlace(a, b, c, m, n, k, transA, bias, packB)
  }
  for (let jc = j0; jc < n; jc += NC) {
    const nc = min(NC, n - jc)
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc)
      packPanelB<T>(b, n, k, transB, pc, jc, kc, nc, packB)
      const first = pc == 0
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic)
        packPanelA<T>(a, m, k, transA, ic, pc, mc, kc, packA)
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr)
          const bp = packB + <usize>(jr * kc) * sz
          const j = jc + jr
          const init = first ? (bias != 0 ? 2 : 0) : 1
          // Full tiles straight into C; a ragged strip or bottom goes through edgeTile.
          const full = nr == NR ? mc & ~(MR - 1) : 0
          if (full > 0) macroKernel<T>(full, kc, packA, bp, c + <usize>ic * ldc + <usize>j * sz, ldc, init, bias + <usize>j * sz)
          for (let ir = full; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir)
            const cp = c + <usize>(ic + ir) * ldc + <usize>j * sz
            loadEdge<T>(cp, ldc, mr, nr, !first, bias != 0 ? bias + <usize>j * sz : 0)
            macroKernel<T>(MR, kc, packA + <usize>(ir * kc) * sz, bp, edgeTile, <usize>NR * sz, 1, 0)
            storeEdge<T>(cp, ldc, mr, nr)
          }
        }
      }
    }
  }
}

export function gemmBatched<T>(
  a: usize, b: usize, out: usize, batch: i32, m: i32, n: i32, k: i32,
  transA: bool, transB: bool, aBatchStride: i32, bBatchStride: i32, bias: usize,
): void {
  if (m <= 0 || n <= 0) return
  ensurePackBuffers()
  const sz = <usize>sizeof<T>()
  const cs = <usize>m * <usize>n * sz
  for (let t = 0; t < batch; t++) {
    gemmOne<T>(
      a + <usize>t * <usize>aBatchStride * sz,
      b + <usize>t * <usize>bBatchStride * sz,
      out + <usize>t * cs, m, n, k, transA, transB, bias,
    )
  }
}

export function gemm_f32(
  a: usize, b: usize, out: usize, batch: i32, m: i32, n: i32, k: i32,
  transA: bool, transB: bool, aBatchStride: i32, bBatchStride: i32, bias: usize,
): void {
  gemmBatched<f32>(a, b, out, batch, m, n, k, transA, transB, aBatchStride, bBatchStride, bias)
}

export function gemm_f64(
  a: usize, b: usize, out: usize, batch: i32, m: i32, n: i32, k: i32,
  transA: bool, transB: bool, aBatchStride: i32, bBatchStride: i32, bias: usize,
): void {
  gemmBatched<f64>(a, b, out, batch, m, n, k, transA, transB, aBatchStride, bBatchStride, bias)
}
