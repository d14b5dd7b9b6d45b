// The convolution's GEMM reading B straight from shifted copies of the planes
// (assembly/convpack.ts, padShifted), for planes small enough to stay in cache: row p of the
// columns is the run of the copies starting at a byte offset taken from a table (shiftTable),
// so the k loop loads its two B vectors from `base + offs[p]` instead of a packed panel, and
// nothing is packed per sample. Same tiles, same summation order as macroKernel over a packed
// B: bit-identical results.
import { edgeTile, KC, loadEdge, MC, MR, NC, storeEdge } from './gemm'
import { madd } from './fma'

/** macroKernel (assembly/gemm.ts) with B's row p at b + offs[p] (i32 bytes) instead of b + 32·p. */
function macroKernelShifted<T>(rows: i32, kc: i32, a: usize, b: usize, offs: usize, c: usize, ldc: usize, init: i32): void {
  const sz = <usize>sizeof<T>()
  const aStep = <usize>(MR * kc) * sz
  const oEnd = offs + <usize>kc * 4
  for (let ir = 0; ir < rows; ir += MR) {
    let c00: v128, c01: v128, c10: v128, c11: v128, c20: v128, c21: v128, c30: v128, c31: v128
    if (init == 1) {
      c00 = v128.load(c); c01 = v128.load(c, 16)
      c10 = v128.load(c + ldc); c11 = v128.load(c + ldc, 16)
      c20 = v128.load(c + 2 * ldc); c21 = v128.load(c + 2 * ldc, 16)
      c30 = v128.load(c + 3 * ldc); c31 = v128.load(c + 3 * ldc, 16)
    } else {
      c00 = v128.splat<T>(<T>0)
      c01 = c00; c10 = c00; c11 = c00; c20 = c00; c21 = c00; c30 = c00; c31 = c00
    }
    let ap = a, op = offs
    while (op < oEnd) {
      const bp = b + <usize>load<i32>(op)
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
      op += 4
    }
    v128.store(c, c00); v128.store(c, c01, 16)
    v128.store(c + ldc, c10); v128.store(c + ldc, c11, 16)
    v128.store(c + 2 * ldc, c20); v128.store(c + 2 * ldc, c21, 16)
    v128.store(c + 3 * ldc, c30); v128.store(c + 3 * ldc, c31, 16)
    a += aStep
    c += 4 * ldc
  }
}

/**
 * C (m × n) = A · B, A packed whole (convpack.ts, packWholeA), B's row p the n values at
 * xp + offs[p]: gemmPacked's loops. Reads up to NR − 1 values past each row's n (junk columns).
 */
export function gemmShifted<T>(aPk: usize, xp: usize, offs: usize, c: usize, m: i32, n: i32, k: i32): void {
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
      const op = offs + <usize>pc * 4
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic)
        const ap = aPk + <usize>(ic * k + ((mc + MR - 1) / MR * MR) * pc) * sz
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr)
          const j = jc + jr
          const bp = xp + <usize>j * sz
          const init = first ? 0 : 1
          const full = nr == NR ? mc & ~(MR - 1) : 0
          if (full > 0) macroKernelShifted<T>(full, kc, ap, bp, op, c + <usize>ic * ldc + <usize>j * sz, ldc, init)
          for (let ir = full; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir)
            const cp = c + <usize>(ic + ir) * ldc + <usize>j * sz
            loadEdge<T>(cp, ldc, mr, nr, !first, 0)
            macroKernelShifted<T>(MR, kc, ap + <usize>(ir * kc) * sz, bp, op, edgeTile, <usize>NR * sz, 1)
            storeEdge<T>(cp, ldc, mr, nr)
          }
        }
      }
    }
  }
}
