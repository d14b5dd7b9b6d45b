// Convolution as unfold + GEMM inside one call (see src/backend/types.ts, conv2d*), one sample
// at a time in a scratch block of this module's heap, so the columns never leave wasm memory.
// At stride 1 the columns are never written out at all: the sample's planes are copied into
// zero-bordered planes (the forward: kw shifted copies of them), which the GEMM reads in place
// or packs from directly (assembly/convpack.ts, convdirect.ts). Each sample's GEMM runs the tiles and summation order
// of im2col + gemm, so forward and weight gradient are bit-identical to it; the stride-1 input
// gradient is the forward kernel on dy (its sums run in another order: last-bit differences).
// A float32 3 × 3 stride-1 forward with ≥ 8 input and output channels per group runs as Winograd F(2, 3)
// instead (assembly/convwinograd.ts): float32 rounding differs from the GEMM's, not the sums.
import { allocate, allocateBig } from './alloc'
import { col2im, copyRun, im2col } from './conv'
import { gemmBatched } from './gemm'
import { gemmShifted } from './convdirect'
import { conv2dWinograd, winogradBytes } from './convwinograd'
import { gemmPacked, packColsT, packedABytes, packedBBytes, packShifted, padPlanes, padShifted, packWholeA, shiftTable } from './convpack'

/** dst[i] = src[i] + v for i < count (dst may be src): the bias add, rounded as a separate add. */
// @ts-ignore: decorator
@inline function addRun<T>(dst: usize, src: usize, v: T, count: i32): void {
  const sz = <usize>sizeof<T>()
  const lanes = 16 / sizeof<T>()
  const vv = v128.splat<T>(v)
  let i = 0
  for (; i + lanes <= count; i += lanes) v128.store(dst + <usize>i * sz, v128.add<T>(v128.load(src + <usize>i * sz), vv))
  for (; i < count; i++) store<T>(dst + <usize>i * sz, load<T>(src + <usize>i * sz) + v)
}

// The scratch block, grown (never shrunk) when a call needs more. Its sizes are computed in
// f64: products such as c·kh·kw·L are not bounded by any array the call stages and can pass
// 2^31 (i32) or 2^32 (usize); once the block is had, every offset into it fits.
let scratch: usize = 0
let scratchBytes: f64 = 0

function scratchOf(bytes: f64): usize {
  if (bytes > scratchBytes) {
    if (scratch != 0) heap.free(scratch)
    // Forgotten first: if the allocation traps (out of memory), the next call must not use the freed block.
    scratch = 0
    scratchBytes = 0
    scratch = allocateBig(bytes)
    scratchBytes = bytes
  }
  return scratch
}

/**
 * Input and output channels per group from which a float32 3 × 3 stride-1 convolution runs as
 * Winograd F(2, 3). Measured (the kernel alone, batch 8): 8 → 8 at 14² 62 µs against 75 direct;
 * 4 → 8 and 8 → 4 even; 4 → 4 slower (27 against 23 µs at 14², 101 against 78 at 28²): its
 * GEMMs, 4 deep and one 4-row tile high, do too little per call.
 */
// @ts-ignore: decorator
@inline const WINOGRAD_MIN_CHANNELS: i32 = 8

/**
 * y[b] (oc × L) = W[g] (ocg × K) · cols(x[b])[g] (K × L) for every sample b and group g. At
 * stride 1 the weight is packed once and the columns come straight from zero-bordered planes
 * (assembly/convpack.ts, convdirect.ts): the same GEMM as im2col + gemm without the columns.
 * A bias (pointer ≠ 0) is added to each channel after its sum, as a separate add would.
 * float32 3 × 3 at stride 1, dilation 1: Winograd F(2, 3) (assembly/convwinograd.ts).
 */
function conv2dForward<T>(x: usize, wt: usize, bias: usize, y: usize, n: i32, c: i32, groups: i32, oc: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, oh: i32, ow: i32): void {
  const sz = <usize>sizeof<T>()
  const L = oh * ow
  const cg = c / groups
  const K = cg * kh * kw
  const ocg = oc / groups
  if (sizeof<T>() == 4 && kh == 3 && kw == 3 && sh == 1 && sw == 1 && dh == 1 && dw == 1 && cg >= WINOGRAD_MIN_CHANNELS && ocg >= WINOGRAD_MIN_CHANNELS) {
    conv2dWinograd(x, wt, bias, y, scratchOf(winogradBytes(c, groups, oc, oh, ow)), n, c, groups, oc, h, w, ph, pw, oh, ow)
    return
  }
  const aBytes = packedABytes<T>(ocg, K)
  if (sh != 1 || sw != 1) {
    // Strided: unfold into columns, then the GEMM.
    const cols = scratchOf(<f64>(c * kh * kw) * <f64>L * <f64>sz)
    for (let b = 0; b < n; b++) {
      im2col<T>(x + <usize>(b * c * h * w) * sz, cols, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow)
      const yb = y + <usize>(b * oc * L) * sz
      gemmBatched<T>(wt, cols, yb, groups, ocg, L, K, false, false, ocg * K, K * L, 0)
      if (bias != 0) for (let o = 0; o < oc; o++) addRun<T>(yb + <usize>(o * L) * sz, yb + <usize>(o * L) * sz, load<T>(bias + <usize>o * sz), L)
    }
    return
  }
  // Stride 1, two layouts that make every row of the columns one contiguous run:
  // - small planes: zero-bordered planes of hp × wr (assembly/convpack.ts, padPlanes) read in
  //   place by the GEMM (assembly/convdirect.ts), the output computed wr wide into `ct`, then its
  //   ow valid columns per row copied to y;
  // - otherwise kw shifted copies of the planes (padShifted), packed with plain copies: exactly
  //   the L columns, written to y directly.
  // Measured (the kernel on wasm-resident arrays, 3 × 3 'same', batch 8, interleaved): against
  // the padded width packed or gathered, which they replace, the shifted copies packed ran +5%
  // at 64 × 28², +3% at 32 × 14², even (−3 to +2%) at 64 × 14²; but 14-18% slower at 8
  // channels, and read in place 5-14% slower than the padded planes in place.
  const hp = oh + (kh - 1) * dh
  const wp = ow + (kw - 1) * dw
  const direct = ((wp - ow) * 8 <= ow || ocg < 32) && <f64>cg * <f64>hp * <f64>wp * <f64>sz <= 131072
  // In place, neighbouring rows share their zero columns: each row is `wr − w` zeros then its w
  // values, enough zeros for the reads left of a row (pw) and right of the one before (wp − pw − w),
  // so the output rows are wr wide instead of wp (3 × 3, padding 1: 15 instead of 16 at 14 × 14;
  // measured +2-4% at 8-32 channels of 28² and 8-16 of 14², bit-identical).
  const wr = max(ow, w + max(pw, wp - pw - w))
  const width = direct ? wr : ow
  const Lp = oh * width
  const copy = c * hp * width
  const copies = direct ? 1 : kw
  // Slack: a row's run plus a strip's NR − 1 junk columns ends less than 2·wp + NR past the planes.
  const slack = 2 * wp + 16
  const bBytes = direct ? <f64>0 : packedBBytes<T>(K, L)
  const xsBytes = (<f64>copies * <f64>c * <f64>hp * <f64>width + <f64>slack) * <f64>sz
  const ctBytes = direct ? <usize>(ocg * Lp) * sz : 0
  const aPk = scratchOf(<f64>groups * <f64>aBytes + bBytes + xsBytes + <f64>ctBytes + <f64>K * 4)
  const bPk = aPk + <usize>groups * aBytes
  const xs = bPk + <usize>bBytes
  const ct = xs + <usize>xsBytes
  const offs = ct + ctBytes
  shiftTable<T>(offs, cg, hp, width, kh, kw, dh, direct ? dw : copy)
  for (let g = 0; g < groups; g++) packWholeA<T>(wt + <usize>(g * ocg * K) * sz, ocg, K, false, aPk + <usize>g * aBytes)
  for (let b = 0; b < n; b++) {
    const xb = x + <usize>(b * c * h * w) * sz
    if (direct) padPlanes<T>(xb, xs, c, h, w, hp, wr, ph, wr - w, slack)
    else padShifted<T>(xb, xs, c, h, w, hp, ow, kw, ph, pw, dw, slack)
    for (let g = 0; g < groups; g++) {
      const xg = xs + <usize>(g * cg * hp * width) * sz
      const yg = y + <usize>((b * oc + g * ocg) * L) * sz
      if (direct) {
        // Row r of the columns starts at offs[r] + (wr − w − pw): the first read of a row lands in its zeros.
        gemmShifted<T>(aPk + <usize>g * aBytes, xg + <usize>(wr - w - pw) * sz, offs, ct, ocg, Lp, K)
        for (let o = 0; o < ocg; o++) {
          const dst = yg + <usize>(o * L) * sz
          const src = ct + <usize>(o * Lp) * sz
          const v = bias != 0 ? load<T>(bias + <usize>(g * ocg + o) * sz) : <T>0
          for (let oy = 0; oy < oh; oy++) {
            if (bias == 0) copyRun(dst + <usize>(oy * ow) * sz, src + <usize>(oy * wr) * sz, <usize>ow * sz)
            else addRun<T>(dst + <usize>(oy * ow) * sz, src + <usize>(oy * wr) * sz, v, ow)
          }
        }
        continue
      }
      packShifted<T>(xg, offs, bPk, K, L)
      gemmPacked<T>(aPk + <usize>g * aBytes, bPk, yg, ocg, L, K)
      if (bias != 0) {
        for (let o = 0; o < ocg; o++) addRun<T>(yg + <usize>(o * L) * sz, yg + <usize>(o * L) * sz, load<T>(bias + <usize>(g * ocg + o) * sz), L)
      }
    }
  }
}

// The flipped weight of conv2dInputGrad's stride-1 form, kept apart from `scratch`, which
// conv2dForward may reallocate.
let flipped: usize = 0
let flippedBytes: usize = 0

/**
 * dx[b] = col2im(W[g]ᵀ · dy[b][g]). With stride 1 (and padding ≤ (k − 1)·dilation) that is the
 * convolution of dy, padded by (k − 1)·dilation − padding, with the weight flipped in space and
 * its channel dims swapped: the forward kernel's path, one GEMM with K = ocg·kh·kw instead of a
 * GEMM with K = ocg plus a fold. The sum runs in another order than the fold's (float rounding
 * differs in the last bits). Other strides fold the columns' gradient back.
 */
function conv2dInputGrad<T>(dy: usize, wt: usize, dx: usize, n: i32, c: i32, groups: i32, oc: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, oh: i32, ow: i32): void {
  const sz = <usize>sizeof<T>()
  if (sh == 1 && sw == 1 && ph <= (kh - 1) * dh && pw <= (kw - 1) * dw) {
    const cg = c / groups
    const ocg = oc / groups
    const kk = kh * kw
    const bytes = <usize>(oc * cg * kk) * sz
    if (bytes > flippedBytes) {
      if (flipped != 0) heap.free(flipped)
      flipped = 0
      flippedBytes = 0
      flipped = allocate(bytes)
      flippedBytes = bytes
    }
    // flipped[g][ci][o][kk − 1 − t] = W[g][o][ci][t]
    for (let g = 0; g < groups; g++) {
      for (let o = 0; o < ocg; o++) {
        for (let ci = 0; ci < cg; ci++) {
          const src = wt + <usize>(((g * ocg + o) * cg + ci) * kk) * sz
          const dst = flipped + <usize>(((g * cg + ci) * ocg + o) * kk + kk - 1) * sz
          for (let t = 0; t < kk; t++) store<T>(dst - <usize>t * sz, load<T>(src + <usize>t * sz))
        }
      }
    }
    conv2dForward<T>(dy, flipped, 0, dx, n, oc, groups, c, oh, ow, kh, kw, 1, 1, (kh - 1) * dh - ph, (kw - 1) * dw - pw, dh, dw, h, w)
    return
  }
  const L = oh * ow
  const K = (c / groups) * kh * kw
  const ocg = oc / groups
  const cols = scratchOf(<f64>(c * kh * kw) * <f64>L * <f64>sz)
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
  const size = oc * K
  if (sh == 1 && sw == 1) {
    conv2dWeightGradShifted<T>(x, dy, dwt, n, c, groups, oc, h, w, kh, kw, ph, pw, dh, dw, oh, ow)
    return
  }
  const colBytes = <f64>(c * kh * kw) * <f64>L * <f64>sz
  const cols = scratchOf(colBytes + <f64>size * <f64>(sz + 8))
  const part = cols + <usize>colBytes
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

/**
 * conv2dWeightGrad at stride 1: the columns' transpose is packed straight from zero-bordered
 * planes (assembly/convpack.ts, packColsT) and dy[b] as the packed A; the same GEMMs, packed
 * the same way, as im2col + gemm, without the columns in between.
 */
function conv2dWeightGradShifted<T>(x: usize, dy: usize, dwt: usize, n: i32, c: i32, groups: i32, oc: i32, h: i32, w: i32, kh: i32, kw: i32, ph: i32, pw: i32, dh: i32, dw: i32, oh: i32, ow: i32): void {
  const sz = <usize>sizeof<T>()
  const L = oh * ow
  const cg = c / groups
  const K = cg * kh * kw
  const ocg = oc / groups
  const size = oc * K
  const hp = oh + (kh - 1) * dh
  const wp = ow + (kw - 1) * dw
  const xpBytes = <f64>c * <f64>hp * <f64>wp * <f64>sz
  const aBytes = packedABytes<T>(ocg, L)
  const bBytes = packedBBytes<T>(L, K)
  const xp = scratchOf(xpBytes + <f64>aBytes + bBytes + <f64>size * <f64>(sz + 8))
  const aPk = xp + <usize>xpBytes
  const bPk = aPk + aBytes
  const part = bPk + <usize>bBytes
  const acc = part + <usize>size * sz
  memory.fill(acc, 0, <usize>size * 8)
  for (let b = 0; b < n; b++) {
    padPlanes<T>(x + <usize>(b * c * h * w) * sz, xp, c, h, w, hp, wp, ph, pw, 0)
    for (let g = 0; g < groups; g++) {
      packWholeA<T>(dy + <usize>((b * oc + g * ocg) * L) * sz, ocg, L, false, aPk)
      packColsT<T>(xp + <usize>(g * cg * hp * wp) * sz, bPk, cg, hp, wp, kh, kw, dh, dw, oh, ow)
      gemmPacked<T>(aPk, bPk, part + <usize>(g * ocg * K) * sz, ocg, K, L)
    }
    for (let i = 0; i < size; i++) {
      const a = acc + <usize>i * 8
      store<f64>(a, load<f64>(a) + <f64>load<T>(part + <usize>i * sz))
    }
  }
  for (let i = 0; i < size; i++) store<T>(dwt + <usize>i * sz, <T>load<f64>(acc + <usize>i * 8))
}

export function conv2d_f32(x: usize, wt: usize, bias: usize, y: usize, n: i32, c: i32, groups: i32, oc: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, oh: i32, ow: i32): void {
  conv2dForward<f32>(x, wt, bias, y, n, c, groups, oc, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow)
}
export function conv2d_f64(x: usize, wt: usize, bias: usize, y: usize, n: i32, c: i32, groups: i32, oc: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, oh: i32, ow: i32): void {
  conv2dForward<f64>(x, wt, bias, y, n, c, groups, oc, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow)
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
