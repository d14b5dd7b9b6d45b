// The float32 3 × 3, stride-1, dilation-1 convolution forward as Winograd F(2 × 2, 3 × 3)
// (Lavin & Gray, "Fast Algorithms for Convolutional Neural Networks", 2015): each 2 × 2 output
// tile is Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d Bᵀᵀ)] A over its 4 × 4 input window d, so a tile costs 16
// multiplies per channel pair instead of 36. Per transform position ξ (16 of them) the sum over
// input channels is a GEMM, M_ξ (oc × tiles) = U_ξ (oc × c) · V_ξ (c × tiles), run by gemm.ts's
// micro-kernel on packed operands. The transforms add and subtract only (G's halves are exact),
// so the result differs from the direct sum by float32 rounding alone (Lavin's error analysis;
// the tests compare it with float64 references).
//
//   G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1]   Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1]
//   Aᵀ = [1 1 1 0; 0 1 −1 −1]
//
// Layout. Tiles go four at a time along x (f32x4 lanes): a tile row holds tw4 = ⌈⌈ow/2⌉/4⌉·4
// tiles, the ones past the output computed on zeros and dropped (packing the tiles tightly, a
// group straddling two B strips stored lane by lane, measured 4-7% slower at 8 channels, 14² and
// 28², though it computes 12.5% fewer tiles there). The input's planes are copied
// zero-bordered (convpack.ts, padPlanes) so a group of 4 tiles is three v128 loads per window row
// and de-interleaving shuffles. A block of tile rows is transformed into V (per ξ, packed as
// gemm.ts's B strips: 8 tiles of one channel adjacent), multiplied, and M transformed back
// straight into y (plus the bias, as a separate add).
import { copyRun } from './conv'
import { macroKernel, MR } from './gemm'
import { padPlanes, roundUp } from './convpack'

/** Two output rows of a ragged tile group (8 columns each), copied out partially. */
const edge: usize = memory.data(64, 16)

/** Bytes of V and M per tile row: their share of the scratch a block of tile rows uses. */
const BLOCK_BYTES: i32 = 32 * 1024

// The geometry, shared by the sizing and the kernel (plain functions: a class instance would
// be a heap allocation per call).
/** Tile rows: ⌈oh/2⌉. */
// @ts-ignore: decorator
@inline function tileRows(oh: i32): i32 { return (oh + 1) >> 1 }
/** Tiles in a row, rounded up to whole groups of 4. */
// @ts-ignore: decorator
@inline function tileCols(ow: i32): i32 { return roundUp((ow + 1) >> 1, 4) }
/** The zero-bordered planes' width: three v128 loads from column 2·tx read up to 2·tx + 11, tx ≤ tw4 − 4. */
// @ts-ignore: decorator
@inline function paddedWidth(tw4: i32): i32 { return 2 * tw4 + 4 }
/** Tile rows per block: V and M of a block within BLOCK_BYTES. */
// @ts-ignore: decorator
@inline function blockRows(th: i32, tw4: i32, cg: i32, oc4: i32): i32 {
  // In f64: 64·tw4·(cg + oc4) can pass 2^31 with huge padding.
  return <i32>max(1, min(<f64>th, Math.floor(<f64>BLOCK_BYTES / (64 * <f64>max(tw4, 4) * <f64>(cg + oc4)))))
}

/**
 * Elements from one ξ's matrix (rows × nr) of V or M to the next: one cache line more than
 * its size, so the 16 loads or stores of a tile group, one per ξ, do not all fall in the same
 * L1 set when the size is a multiple of 4 KB (64 → 64 channels: 4 KB exactly).
 */
// @ts-ignore: decorator
@inline function xiStride(rows: i32, nr: i32): i32 { return rows * nr + 16 }

/** The scratch conv2dWinograd needs, in bytes (f64: products of shapes can pass 2^32). */
export function winogradBytes(c: i32, groups: i32, oc: i32, oh: i32, ow: i32): f64 {
  const cg = c / groups
  const oc4 = roundUp(oc / groups, MR)
  const th = tileRows(oh), tw4 = tileCols(ow)
  const nr = roundUp(blockRows(th, tw4, cg, oc4) * tw4, 8)
  const u = <f64>groups * 16 * <f64>oc4 * <f64>cg
  const xp = <f64>c * <f64>(2 * th + 2) * <f64>paddedWidth(tw4)
  const vm = 16 * <f64>(xiStride(cg, nr) + xiStride(oc4, nr))
  return (u + xp + vm) * 4
}

/** U_ξ = G g Gᵀ for every (o, ci) of every group, packed as gemm.ts's A (MR rows, k = ci). */
function transformWeights(wt: usize, u: usize, groups: i32, ocg: i32, oc4: i32, cg: i32): void {
  const uStep = <usize>(oc4 * cg) * 4
  memory.fill(u, 0, <usize>groups * 16 * uStep)
  for (let g = 0; g < groups; g++) {
    const ug = u + <usize>g * 16 * uStep
    for (let o = 0; o < ocg; o++) {
      for (let ci = 0; ci < cg; ci++) {
        const src = wt + <usize>(((g * ocg + o) * cg + ci) * 9) * 4
        // Gg (4 × 3): rows g0, (g0 + g1 + g2)/2, (g0 − g1 + g2)/2, g2 of the 3 × 3 kernel's rows.
        for (let r = 0; r < 4; r++) {
          let a: f32, b: f32, c: f32
          if (r == 0 || r == 3) {
            const q = src + <usize>((r == 0 ? 0 : 2) * 3) * 4
            a = load<f32>(q); b = load<f32>(q, 4); c = load<f32>(q, 8)
          } else {
            const s: f32 = r == 1 ? 1 : -1
            a = (load<f32>(src) + s * load<f32>(src, 12) + load<f32>(src, 24)) * 0.5
            b = (load<f32>(src, 4) + s * load<f32>(src, 16) + load<f32>(src, 28)) * 0.5
            c = (load<f32>(src, 8) + s * load<f32>(src, 20) + load<f32>(src, 32)) * 0.5
          }
          // Row r of U = Gg Gᵀ: a, (a + b + c)/2, (a − b + c)/2, c.
          const at = ug + <usize>((o >> 2) * cg * 4 + ci * 4 + (o & 3)) * 4
          store<f32>(at + <usize>(4 * r) * uStep, a)
          store<f32>(at + <usize>(4 * r + 1) * uStep, (a + b + c) * 0.5)
          store<f32>(at + <usize>(4 * r + 2) * uStep, (a - b + c) * 0.5)
          store<f32>(at + <usize>(4 * r + 3) * uStep, c)
        }
      }
    }
  }
}

/** x's rows into the inside of padPlanes's zero-bordered planes (their borders already zero). */
function copyRows(x: usize, xp: usize, planes: i32, h: i32, w: i32, hp: i32, wp: i32, ph: i32, pw: i32): void {
  const rows = min(h, hp - ph)
  const bytes = <usize>min(w, wp - pw) * 4
  for (let p = 0; p < planes; p++) {
    const src = x + <usize>(p * h * w) * 4
    const dst = xp + <usize>((p * hp + ph) * wp + pw) * 4
    for (let y = 0; y < rows; y++) copyRun(dst + <usize>(y * wp) * 4, src + <usize>(y * w) * 4, bytes)
  }
}

/**
 * Row i of V = Bᵀ d B for four tiles, from row t of Bᵀ d as three v128 of 12 columns (tile l's
 * window starts at column 2l): stores V_(4i+j) for j < 4 at dst + j·xiStep.
 */
// @ts-ignore: decorator
@inline function inputRow(a0: v128, a1: v128, a2: v128, dst: usize, xiStep: usize): void {
  const e = v128.shuffle<f32>(a0, a1, 0, 2, 4, 6) // column 0 of each window
  const o = v128.shuffle<f32>(a0, a1, 1, 3, 5, 7) // column 1
  const e2 = v128.shuffle<f32>(e, a2, 1, 2, 3, 4) // column 2
  const o2 = v128.shuffle<f32>(o, a2, 1, 2, 3, 5) // column 3
  v128.store(dst, f32x4.sub(e, e2))
  v128.store(dst + xiStep, f32x4.add(o, e2))
  v128.store(dst + 2 * xiStep, f32x4.sub(e2, o))
  v128.store(dst + 3 * xiStep, f32x4.sub(o, o2))
}

/** V for tile rows [ty0, ty0 + rows) of `planes` zero-bordered planes, 4 tiles at a time. */
function transformInput(xp: usize, v: usize, planes: i32, hp: i32, tw4: i32, nr: i32, ty0: i32, rows: i32): void {
  const rowBytes = <usize>paddedWidth(tw4) * 4
  const xiStep = <usize>xiStride(planes, nr) * 4
  for (let ci = 0; ci < planes; ci++) {
    const plane = xp + <usize>(ci * hp) * rowBytes
    for (let r = 0; r < rows; r++) {
      const row = plane + <usize>(2 * (ty0 + r)) * rowBytes
      for (let tx = 0; tx < tw4; tx += 4) {
        const s0 = row + <usize>tx * 8
        const s1 = s0 + rowBytes, s2 = s1 + rowBytes, s3 = s2 + rowBytes
        const t = r * tw4 + tx
        // Tile t of channel ci in the B strips: strip t/8, row ci, lanes t%8 .. t%8 + 3.
        const dst = v + <usize>((t >> 3) * planes * 8 + ci * 8 + (t & 7)) * 4
        // Bᵀ d on whole rows: d0 − d2, d1 + d2, d2 − d1, d1 − d3.
        const x10 = v128.load(s1), x11 = v128.load(s1, 16), x12 = v128.load(s1, 32)
        const x20 = v128.load(s2), x21 = v128.load(s2, 16), x22 = v128.load(s2, 32)
        inputRow(f32x4.sub(v128.load(s0), x20), f32x4.sub(v128.load(s0, 16), x21), f32x4.sub(v128.load(s0, 32), x22), dst, xiStep)
        inputRow(f32x4.add(x10, x20), f32x4.add(x11, x21), f32x4.add(x12, x22), dst + 4 * xiStep, xiStep)
        inputRow(f32x4.sub(x20, x10), f32x4.sub(x21, x11), f32x4.sub(x22, x12), dst + 8 * xiStep, xiStep)
        inputRow(f32x4.sub(x10, v128.load(s3)), f32x4.sub(x11, v128.load(s3, 16)), f32x4.sub(x12, v128.load(s3, 32)), dst + 12 * xiStep, xiStep)
      }
    }
  }
}

/** Column sums of one row of M for four tiles: S_i0 + S_i1 + S_i2 and S_i1 − S_i2 − S_i3. */
// @ts-ignore: decorator
@inline function sumCols(m0: v128, m1: v128, m2: v128, m3: v128, bias: v128, dst: usize): void {
  const y0 = f32x4.add(f32x4.add(f32x4.add(m0, m1), m2), bias)
  const y1 = f32x4.add(f32x4.sub(f32x4.sub(m1, m2), m3), bias)
  // Interleaved: tile l's two outputs at columns 2l, 2l + 1.
  v128.store(dst, v128.shuffle<f32>(y0, y1, 0, 4, 1, 5))
  v128.store(dst, v128.shuffle<f32>(y0, y1, 2, 6, 3, 7), 16)
}

/** y's rows [2·ty0, …) of `ocg` channels (plane stride oh·ow) from M, plus the bias. */
function transformOutput(m: usize, y: usize, bias: usize, ocg: i32, oc4: i32, tw4: i32, nr: i32, ty0: i32, rows: i32, oh: i32, ow: i32): void {
  const xiStep = <usize>xiStride(oc4, nr) * 4
  const rowBytes = <usize>ow * 4
  for (let o = 0; o < ocg; o++) {
    const b = bias != 0 ? f32x4.splat(load<f32>(bias + <usize>o * 4)) : f32x4.splat(0)
    const plane = y + <usize>(o * oh) * rowBytes
    for (let r = 0; r < rows; r++) {
      const oy = 2 * (ty0 + r)
      for (let tx = 0; tx < tw4; tx += 4) {
        const src = m + <usize>(o * nr + r * tw4 + tx) * 4
        const ox = 2 * tx
        const full = ox + 8 <= ow && oy + 2 <= oh
        const dst = full ? plane + <usize>oy * rowBytes + <usize>ox * 4 : edge
        const dstStep = full ? rowBytes : 32
        outputTile(src, xiStep, b, dst, dstStep)
        if (!full) {
          const cols = min(8, ow - ox)
          for (let i = 0; i < 2 && oy + i < oh; i++) {
            copyRun(plane + <usize>(oy + i) * rowBytes + <usize>ox * 4, edge + <usize>i * 32, <usize>cols * 4)
          }
        }
      }
    }
  }
}

/** Y = Aᵀ M A for four tiles (M_ξ at src + ξ·xiStep), its two rows at dst and dst + dstStep. */
// @ts-ignore: decorator
@inline function outputTile(src: usize, xiStep: usize, bias: v128, dst: usize, dstStep: usize): void {
  // S = Aᵀ M, column j at a time: S0j = M0j + M1j + M2j, S1j = M1j − M2j − M3j.
  const m0 = src, m1 = src + 4 * xiStep, m2 = src + 8 * xiStep, m3 = src + 12 * xiStep
  let a = v128.load(m1), b = v128.load(m2)
  const s00 = f32x4.add(f32x4.add(v128.load(m0), a), b)
  const s10 = f32x4.sub(f32x4.sub(a, b), v128.load(m3))
  a = v128.load(m1 + xiStep); b = v128.load(m2 + xiStep)
  const s01 = f32x4.add(f32x4.add(v128.load(m0 + xiStep), a), b)
  const s11 = f32x4.sub(f32x4.sub(a, b), v128.load(m3 + xiStep))
  a = v128.load(m1 + 2 * xiStep); b = v128.load(m2 + 2 * xiStep)
  const s02 = f32x4.add(f32x4.add(v128.load(m0 + 2 * xiStep), a), b)
  const s12 = f32x4.sub(f32x4.sub(a, b), v128.load(m3 + 2 * xiStep))
  a = v128.load(m1 + 3 * xiStep); b = v128.load(m2 + 3 * xiStep)
  const s03 = f32x4.add(f32x4.add(v128.load(m0 + 3 * xiStep), a), b)
  const s13 = f32x4.sub(f32x4.sub(a, b), v128.load(m3 + 3 * xiStep))
  sumCols(s00, s01, s02, s03, bias, dst)
  sumCols(s10, s11, s12, s13, bias, dst + dstStep)
}

/**
 * y (n × oc × oh × ow) = conv2d of x (n × c × h × w) with the 3 × 3 weight (oc × c/groups × 3 × 3),
 * stride 1, dilation 1, padding (ph, pw), plus the bias (pointer ≠ 0); float32. `scratch` holds
 * winogradBytes(c, groups, oc, oh, ow).
 */
export function conv2dWinograd(x: usize, wt: usize, bias: usize, y: usize, scratch: usize, n: i32, c: i32, groups: i32, oc: i32, h: i32, w: i32, ph: i32, pw: i32, oh: i32, ow: i32): void {
  const cg = c / groups
  const ocg = oc / groups
  const oc4 = roundUp(ocg, MR)
  const th = tileRows(oh), tw4 = tileCols(ow)
  const hp = 2 * th + 2, wp = paddedWidth(tw4)
  const block = blockRows(th, tw4, cg, oc4)
  const nr = roundUp(block * tw4, 8)
  const uBytes = <usize>(16 * oc4 * cg) * 4
  const u = scratch
  const xp = u + <usize>groups * uBytes
  const v = xp + <usize>(c * hp * wp) * 4
  const m = v + <usize>(16 * xiStride(cg, nr)) * 4
  transformWeights(wt, u, groups, ocg, oc4, cg)
  for (let b = 0; b < n; b++) {
    // The borders stay zero from sample to sample: after the first, only x's rows are copied in.
    const xb = x + <usize>(b * c * h * w) * 4
    if (b == 0) padPlanes<f32>(xb, xp, c, h, w, hp, wp, ph, pw, 0)
    else copyRows(xb, xp, c, h, w, hp, wp, ph, pw)
    for (let g = 0; g < groups; g++) {
      const ug = u + <usize>g * uBytes
      const yg = y + <usize>((b * oc + g * ocg) * oh * ow) * 4
      const bg = bias != 0 ? bias + <usize>(g * ocg) * 4 : 0
      for (let ty0 = 0; ty0 < th; ty0 += block) {
        const rows = min(block, th - ty0)
        const strips = (rows * tw4 + 7) >> 3
        transformInput(xp + <usize>(g * cg * hp * wp) * 4, v, cg, hp, tw4, nr, ty0, rows)
        // M_ξ (oc4 × tiles) = U_ξ · V_ξ, one 8-tile strip at a time.
        for (let xi = 0; xi < 16; xi++) {
          const a = ug + <usize>(xi * oc4 * cg) * 4
          const vx = v + <usize>(xi * xiStride(cg, nr)) * 4
          const mx = m + <usize>(xi * xiStride(oc4, nr)) * 4
          for (let s = 0; s < strips; s++) macroKernel<f32>(oc4, cg, a, vx + <usize>(s * cg * 8) * 4, mx + <usize>s * 32, <usize>nr * 4, 0, 0)
        }
        transformOutput(m, yg, bg, ocg, oc4, tw4, nr, ty0, rows, oh, ow)
      }
    }
  }
}
