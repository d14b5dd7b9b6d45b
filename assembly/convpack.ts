// The GEMM of assembly/gemm.ts over operands packed once, for the stride-1 convolution kernels
// (assembly/convgemm.ts): the weight is packed once per call instead of once per sample, and
// a sample's columns are packed straight from zero-bordered planes (the weight gradient) or
// shifted copies of the planes (the forward) into the packed B layout (implicit GEMM) instead
// of into a K × L block that the GEMM then copies again. The loops,
// tiles and summation order are gemmOne's, so the results are bit-identical to im2col + gemm.
//
// Whole packed A (m × k): block (ic, pc) as packPanelA lays it out, at (ic·k + ⌈mc⌉·pc)
//   elements, where ⌈mc⌉ is the block's height rounded up to MR.
// Whole packed B (k × n): NR-column strip s at s·k·32 bytes, its row p at + p·32 bytes (NR
//   values of one row are 32 bytes for f32 and f64 alike); a KC block of a strip is contiguous.
import { copyRun, zeroRun } from './conv'
import { edgeTile, KC, loadEdge, macroKernel, MC, MR, NC, packPanelA, storeEdge, transpose4x4Store } from './gemm'

// @ts-ignore: decorator
@inline export function roundUp(v: i32, to: i32): i32 {
  return (v + to - 1) / to * to
}

/** Bytes of A (m × k) packed whole. */
export function packedABytes<T>(m: i32, k: i32): usize {
  return <usize>(roundUp(m, MR) * k) * sizeof<T>()
}

/** Bytes of B (k × n) packed whole, in f64: k·n can pass 2^32 (assembly/alloc.ts, allocateBig). */
export function packedBBytes<T>(k: i32, n: i32): f64 {
  const NR = 32 / sizeof<T>()
  return <f64>((n + NR - 1) / NR) * <f64>k * 32
}

/** Packs op(A) (m × k) whole at dst. */
export function packWholeA<T>(a: usize, m: i32, k: i32, transA: bool, dst: usize): void {
  const sz = <usize>sizeof<T>()
  for (let ic = 0; ic < m; ic += MC) {
    const mc = min(MC, m - ic)
    for (let pc = 0; pc < k; pc += KC) {
      packPanelA<T>(a, m, k, transA, ic, pc, mc, min(KC, k - pc), dst + <usize>(ic * k + roundUp(mc, MR) * pc) * sz)
    }
  }
}

/**
 * Stride 1: `planes` planes of x copied into zero-bordered planes of hp × wp (hp = oh + (kh−1)·dh,
 * wp = ow + (kw−1)·dw) at xp, followed by `slack` zeros. Taking the output wp wide (the wp − ow
 * extra columns of each row are computed and dropped), row (p, ki, kj) of the columns is then
 * one contiguous run of xp starting at p·hp·wp + ki·dh·wp + kj·dw.
 */
export function padPlanes<T>(x: usize, xp: usize, planes: i32, h: i32, w: i32, hp: i32, wp: i32, ph: i32, pw: i32, slack: i32): void {
  const sz = <usize>sizeof<T>()
  const rows = max(0, min(h, hp - ph))
  const cols = max(0, min(w, wp - pw))
  const left = <usize>min(pw, wp) * sz
  const right = <usize>(wp - min(pw, wp) - cols) * sz
  const rowBytes = <usize>wp * sz
  // Only the border is zeroed: the rows copied in overwrite the rest.
  let d = xp
  for (let p = 0; p < planes; p++) {
    const top = <usize>min(ph, hp) * rowBytes
    zeroRun(d, top)
    d += top
    for (let y = 0; y < rows; y++, d += rowBytes) {
      zeroRun(d, left)
      copyRun(d + left, x + <usize>((p * h + y) * w) * sz, <usize>cols * sz)
      zeroRun(d + left + <usize>cols * sz, right)
    }
    const bottom = <usize>(hp - min(ph, hp) - rows) * rowBytes
    zeroRun(d, bottom)
    d += bottom
  }
  zeroRun(d, <usize>slack * sz)
}

/**
 * Stride 1, for the forward GEMM: kw copies of `planes` planes of x, each hp × ow (hp = oh +
 * (kh−1)·dh), copy kj holding x[y − ph][ox + kj·dw − pw] at row y, column ox (zero outside x),
 * followed by `slack` zeros. Row (p, ki, kj) of the columns is then the contiguous run of copy kj
 * starting at p·hp·ow + ki·dh·ow, exactly the L = oh·ow columns: the GEMM reads it in place or
 * packs it with plain copies, and writes y directly (no padded-width columns to drop).
 */
export function padShifted<T>(x: usize, xs: usize, planes: i32, h: i32, w: i32, hp: i32, ow: i32, kw: i32, ph: i32, pw: i32, dw: i32, slack: i32): void {
  const sz = <usize>sizeof<T>()
  const rowBytes = <usize>ow * sz
  let d = xs
  for (let kj = 0; kj < kw; kj++) {
    // Output columns [lo, hi) read x's row at column ox + off; the rest are zeros.
    const off = kj * dw - pw
    const lo = min(ow, max(0, -off))
    const hi = max(lo, min(ow, w - off))
    for (let p = 0; p < planes; p++) {
      for (let y = 0; y < hp; y++, d += rowBytes) {
        const sy = y - ph
        if (sy < 0 || sy >= h) {
          zeroRun(d, rowBytes)
          continue
        }
        zeroRun(d, <usize>lo * sz)
        copyRun(d + <usize>lo * sz, x + <usize>((p * h + sy) * w + lo + off) * sz, <usize>(hi - lo) * sz)
        zeroRun(d + <usize>hi * sz, <usize>(ow - hi) * sz)
      }
    }
  }
  zeroRun(d, <usize>slack * sz)
}

/**
 * Fills offs[r] with the byte offset of column row r = (p, ki, kj): p·hp·width + ki·dh·width +
 * kj·kjStep elements. Zero-bordered planes (padPlanes): width wp, kjStep dw; shifted copies
 * (padShifted): width ow, kjStep one copy's length.
 */
export function shiftTable<T>(offs: usize, planes: i32, hp: i32, width: i32, kh: i32, kw: i32, dh: i32, kjStep: i32): void {
  let r = 0
  for (let p = 0; p < planes; p++) {
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++, r++) store<i32>(offs + <usize>r * 4, (p * hp * width + ki * dh * width + kj * kjStep) * sizeof<T>())
    }
  }
}

/** Packs B (k × n) whole at dst from rows that start at xs + offs[r] (shiftTable): plain copies. */
export function packShifted<T>(xs: usize, offs: usize, dst: usize, k: i32, n: i32): void {
  const NR = 32 / sizeof<T>()
  const strips = (n + NR - 1) / NR
  const stripStep = <usize>k * 32
  for (let r = 0; r < k; r++) {
    let src = xs + <usize>load<i32>(offs + <usize>r * 4)
    let d = dst + <usize>r * 32
    for (let s = 0; s < strips; s++) {
      v128.store(d, v128.load(src))
      v128.store(d, v128.load(src, 16), 16)
      d += stripStep
      src += 32
    }
  }
}

/**
 * Stride 1: colsᵀ (L × K, the weight gradient's B) packed whole from padded planes (padPlanes),
 * as packPanelB packs a transposed B: strip s holds column rows r = s·NR .. s·NR + NR − 1 (zeros
 * past K), its row l = oy·ow + ox the values cols[r][l] = xp[start(r) + oy·wp + ox]. f32 moves
 * four l of four rows at a time through an in-register 4 × 4 transpose.
 */
export function packColsT<T>(xp: usize, dst: usize, planes: i32, hp: i32, wp: i32, kh: i32, kw: i32, dh: i32, dw: i32, oh: i32, ow: i32): void {
  const sz = <usize>sizeof<T>()
  const NR = 32 / sizeof<T>()
  const kk = kh * kw
  const K = planes * kk
  const L = oh * ow
  const strips = (K + NR - 1) / NR
  const zero = v128.splat<T>(<T>0)
  for (let s = 0; s < strips; s++) {
    const panel = dst + <usize>s * <usize>L * 32
    // Quads of rows (f32) or single rows (f64); a row past K reads as zeros.
    const step = sizeof<T>() == 4 ? 4 : 1
    for (let c = 0; c < NR; c += step) {
      const r = s * NR + c
      const src0 = rowStart<T>(xp, r, K, kk, kw, hp, wp, dh, dw)
      const src1 = rowStart<T>(xp, r + 1, K, kk, kw, hp, wp, dh, dw)
      const src2 = rowStart<T>(xp, r + 2, K, kk, kw, hp, wp, dh, dw)
      const src3 = rowStart<T>(xp, r + 3, K, kk, kw, hp, wp, dh, dw)
      let d = panel + <usize>c * sz
      for (let oy = 0; oy < oh; oy++) {
        const at = <usize>(oy * wp) * sz
        let ox = 0
        if (sizeof<T>() == 4) {
          for (; ox + 4 <= ow; ox += 4, d += 128) {
            const o = at + <usize>ox * 4
            const v0 = src0 != 0 ? v128.load(src0 + o) : zero
            const v1 = src1 != 0 ? v128.load(src1 + o) : zero
            const v2 = src2 != 0 ? v128.load(src2 + o) : zero
            const v3 = src3 != 0 ? v128.load(src3 + o) : zero
            transpose4x4Store(v0, v1, v2, v3, d, 32)
          }
          for (; ox < ow; ox++, d += 32) {
            const o = at + <usize>ox * 4
            store<f32>(d, src0 != 0 ? load<f32>(src0 + o) : 0)
            store<f32>(d + 4, src1 != 0 ? load<f32>(src1 + o) : 0)
            store<f32>(d + 8, src2 != 0 ? load<f32>(src2 + o) : 0)
            store<f32>(d + 12, src3 != 0 ? load<f32>(src3 + o) : 0)
          }
        } else {
          for (; ox < ow; ox++, d += 32) store<T>(d, src0 != 0 ? load<T>(src0 + at + <usize>ox * sz) : <T>0)
        }
      }
    }
  }
}

/** Where row r of the columns starts in padded planes, or 0 for a row past K. */
// @ts-ignore: decorator
@inline function rowStart<T>(xp: usize, r: i32, K: i32, kk: i32, kw: i32, hp: i32, wp: i32, dh: i32, dw: i32): usize {
  if (r >= K) return 0
  const p = r / kk
  const t = r - p * kk
  const ki = t / kw
  return xp + <usize>(p * hp * wp + ki * dh * wp + (t - ki * kw) * dw) * sizeof<T>()
}

/** C (m × n, row stride n) = A · B from whole packed A and B: gemmOne's loops without its packing. */
export function gemmPacked<T>(aPk: usize, bPk: usize, c: usize, m: i32, n: i32, k: i32): void {
  const sz = <usize>sizeof<T>()
  const NR = 32 / sizeof<T>()
  const ldc = <usize>n * sz
  if (m <= 0 || n <= 0) return
  if (k == 0) {
    memory.fill(c, 0, <usize>m * ldc)
    return
  }
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc)
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc)
      const first = pc == 0
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic)
        const ap = aPk + <usize>(ic * k + roundUp(mc, MR) * pc) * sz
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr)
          const j = jc + jr
          const bp = bPk + <usize>(j / NR) * <usize>k * 32 + <usize>pc * 32
          const init = first ? 0 : 1
          // Full tiles straight into C; a ragged strip or bottom goes through edgeTile.
          const full = nr == NR ? mc & ~(MR - 1) : 0
          if (full > 0) macroKernel<T>(full, kc, ap, bp, c + <usize>ic * ldc + <usize>j * sz, ldc, init, 0)
          for (let ir = full; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir)
            const cp = c + <usize>(ic + ir) * ldc + <usize>j * sz
            loadEdge<T>(cp, ldc, mr, nr, !first, 0)
            macroKernel<T>(MR, kc, ap + <usize>(ir * kc) * sz, bp, edgeTile, <usize>NR * sz, 1, 0)
            storeEdge<T>(cp, ldc, mr, nr)
          }
        }
      }
    }
  }
}
