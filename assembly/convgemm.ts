// Convolution as unfold + GEMM inside one call (see src/backend/types.ts, conv2d*): each
// sample's columns are unfolded into a scratch block of this module's heap and multiplied
// there, so the columns never leave wasm memory. One sample at a time: the block (C·kh·kw ×
// oh·ow) stays small enough for L2 while the GEMM reads it. Each sample's GEMM is the one
// the unfolded form ran (same packing, same order), so the results are those of
// im2col + gemm + col2im exactly.
import { col2im, copyRun, im2col } from './conv'
import { gemmBatched } from './gemm'
import { gemmPacked, packedABytes, packedBBytes, packShifted, padPlanes, packWholeA, unfoldPacked } from './convpack'

// The scratch block, grown (never shrunk) when a call needs more.
let scratch: usize = 0
let scratchBytes: usize = 0

function scratchOf(bytes: usize): usize {
  if (bytes > scratchBytes) {
    if (scratch != 0) heap.free(scratch)
    scratch = heap.alloc(bytes)
    scratchBytes = bytes
  }
  return scratch
}

/**
 * y[b] (oc × L) = W[g] (ocg × K) · cols(x[b])[g] (K × L) for every sample b and group g. The
 * weight is packed once; each sample's columns are unfolded straight into the packed layout
 * (assembly/convpack.ts), the same GEMM as im2col + gemm without the copy between them.
 */
function conv2dForward<T>(x: usize, wt: usize, y: usize, n: i32, c: i32, groups: i32, oc: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, oh: i32, ow: i32): void {
  const sz = <usize>sizeof<T>()
  const L = oh * ow
  const cg = c / groups
  const K = cg * kh * kw
  const ocg = oc / groups
  const aBytes = packedABytes<T>(ocg, K)
  if (sh != 1 || sw != 1) {
    const bBytes = packedBBytes<T>(K, L)
    const aPk = scratchOf(<usize>groups * aBytes + bBytes + packedBBytes<T>(1, L))
    const bPk = aPk + <usize>groups * aBytes
    const tmp = bPk + bBytes
    for (let g = 0; g < groups; g++) packWholeA<T>(wt + <usize>(g * ocg * K) * sz, ocg, K, false, aPk + <usize>g * aBytes)
    for (let b = 0; b < n; b++) {
      for (let g = 0; g < groups; g++) {
        unfoldPacked<T>(x + <usize>((b * c + g * cg) * h * w) * sz, bPk, tmp, cg, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow)
        gemmPacked<T>(aPk + <usize>g * aBytes, bPk, y + <usize>((b * oc + g * ocg) * L) * sz, ocg, L, K)
      }
    }
    return
  }
  // Stride 1: the output is computed wp wide over zero-bordered planes (assembly/convpack.ts,
  // padPlanes), then its ow valid columns per row are copied to y.
  const hp = oh + (kh - 1) * dh
  const wp = ow + (kw - 1) * dw
  const Lp = oh * wp
  const slack = wp + 16
  const bBytes = packedBBytes<T>(K, Lp)
  const xpBytes = <usize>(c * hp * wp + slack) * sz
  const aPk = scratchOf(<usize>groups * aBytes + bBytes + xpBytes + <usize>(ocg * Lp) * sz)
  const bPk = aPk + <usize>groups * aBytes
  const xp = bPk + bBytes
  const ct = xp + xpBytes
  for (let g = 0; g < groups; g++) packWholeA<T>(wt + <usize>(g * ocg * K) * sz, ocg, K, false, aPk + <usize>g * aBytes)
  for (let b = 0; b < n; b++) {
    padPlanes<T>(x + <usize>(b * c * h * w) * sz, xp, c, h, w, hp, wp, ph, pw, slack)
    for (let g = 0; g < groups; g++) {
      packShifted<T>(xp + <usize>(g * cg * hp * wp) * sz, bPk, cg, hp, wp, kh, kw, dh, dw, Lp)
      gemmPacked<T>(aPk + <usize>g * aBytes, bPk, ct, ocg, Lp, K)
      const yg = y + <usize>((b * oc + g * ocg) * L) * sz
      for (let o = 0; o < ocg; o++) {
        for (let oy = 0; oy < oh; oy++) copyRun(yg + <usize>(o * L + oy * ow) * sz, ct + <usize>(o * Lp + oy * wp) * sz, <usize>ow * sz)
      }
    }
  }
}

/** dx[b] = col2im(W[g]ᵀ · dy[b][g]): the columns' gradient folded straight back. */
function conv2dInputGrad<T>(dy: usize, wt: usize, dx: usize, n: i32, c: i32, groups: i32, oc: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, oh: i32, ow: i32): void {
  const sz = <usize>sizeof<T>()
  const L = oh * ow
  const K = (c / groups) * kh * kw
  const ocg = oc / groups
  const cols = scratchOf(<usize>(c * kh * kw * L) * sz)
  for (let b = 0; b < n; b++) {
    gemmBatched<T>(wt, dy + <usize>(b * oc * L) * sz, cols, groups, K, L, ocg, true, false, ocg * K, ocg * L, 0)
    col2im<T>(cols, dx + <usize>(b * c * h * w) * sz, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow)
  }
}

/**
 * dw[g] = Σ_b dy[b][g] · cols(x[b])[g]ᵀ (dw is overwritten). The per-sample products are summed
 * in order in f64, as the unfolded form's sum over the batch did, then rounded once to T.
 */
function conv2dWeightGrad<T>(x: usize, dy: usize, dwt: usize, n: i32, c: i32, groups: i32, oc: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, oh: i32, ow: i32): void {
  const sz = <usize>sizeof<T>()
  const L = oh * ow
  const K = (c / groups) * kh * kw
  const ocg = oc / groups
  const colBytes = <usize>(c * kh * kw * L) * sz
  const size = oc * K
  const cols = scratchOf(colBytes + <usize>size * (sz + 8))
  const part = cols + colBytes
  const acc = part + <usize>size * sz
  memory.fill(acc, 0, <usize>size * 8)
  for (let b = 0; b < n; b++) {
    im2col<T>(x + <usize>(b * c * h * w) * sz, cols, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow)
    gemmBatched<T>(dy + <usize>(b * oc * L) * sz, cols, part, groups, ocg, K, L, false, true, ocg * L, K * L, 0)
    for (let i = 0; i < size; i++) {
      const a = acc + <usize>i * 8
      store<f64>(a, load<f64>(a) + <f64>load<T>(part + <usize>i * sz))
    }
  }
  for (let i = 0; i < size; i++) store<T>(dwt + <usize>i * sz, <T>load<f64>(acc + <usize>i * 8))
}

export function conv2d_f32(x: usize, wt: usize, y: usize, n: i32, c: i32, groups: i32, oc: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, oh: i32, ow: i32): void {
  conv2dForward<f32>(x, wt, y, n, c, groups, oc, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow)
}
export function conv2d_f64(x: usize, wt: usize, y: usize, n: i32, c: i32, groups: i32, oc: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, oh: i32, ow: i32): void {
  conv2dForward<f64>(x, wt, y, n, c, groups, oc, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow)
}
export function conv2dInputGrad_f32(dy: usize, wt: usize, dx: usize, n: i32, c: i32, groups: i32, oc: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, oh: i32, ow: i32): void {
  conv2dInputGrad<f32>(dy, wt, dx, n, c, groups, oc, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow)
}
export function conv2dInputGrad_f64(dy: usize, wt: usize, dx: usize, n: i32, c: i32, groups: i32, oc: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, oh: i32, ow: i32): void {
  conv2dInputGrad<f64>(dy, wt, dx, n, c, groups, oc, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow)
}
export function conv2dWeightGrad_f32(x: usize, dy: usize, dwt: usize, n: i32, c: i32, groups: i32, oc: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, oh: i32, ow: i32): void {
  conv2dWeightGrad<f32>(x, dy, dwt, n, c, groups, oc, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow)
}
export function conv2dWeightGrad_f64(x: usize, dy: usize, dwt: usize, n: i32, c: i32, groups: i32, oc: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, oh: i32, ow: i32): void {
  conv2dWeightGrad<f64>(x, dy, dwt, n, c, groups, oc, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow)
}
