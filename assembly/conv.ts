// im2col and col2im: convolution as one GEMM over unfolded windows (see src/backend/types.ts).
// cols is [planes, kh·kw, oh·ow]. With stride 1 along x, each row segment of a window is a
// contiguous run of the input: one copy plus zero edges.

/** The range [lo, hi) of output columns ox whose input column ox·sw − pw + off lies in [0, w). */
@inline function validLo(off: i32, sw: i32, ow: i32): i32 {
  // smallest ox ≥ 0 with ox·sw + off ≥ 0, capped at ow (a wide left padding can put it past the row)
  const lo = off >= 0 ? 0 : (-off + sw - 1) / sw
  return lo < ow ? lo : ow
}
@inline function validHi(off: i32, sw: i32, w: i32, ow: i32): i32 {
  // smallest ox with ox·sw + off ≥ w, capped at ow
  const hi = w - off <= 0 ? 0 : (w - off + sw - 1) / sw
  return hi < ow ? hi : ow
}

// Row segments are short (a few dozen elements): inline v128 loops beat memory.copy and
// memory.fill, which V8 runs as out-of-line calls (conv2d 8->16 of [64, 8, 28, 28], loaded
// machine: 6.3-7.2 -> 5.8-6.2 ms).
// Lengths are whole elements, so multiples of 4 bytes.
// @ts-ignore: decorator
@inline export function copyRun(dst: usize, src: usize, bytes: usize): void {
  let i: usize = 0
  for (; i + 16 <= bytes; i += 16) v128.store(dst + i, v128.load(src + i))
  for (; i < bytes; i += 4) store<u32>(dst + i, load<u32>(src + i))
}
// @ts-ignore: decorator
@inline export function zeroRun(dst: usize, bytes: usize): void {
  let i: usize = 0
  for (; i + 16 <= bytes; i += 16) v128.store(dst + i, i64x2.splat(0))
  for (; i < bytes; i += 4) store<u32>(dst + i, 0)
}

export function im2col<T>(x: usize, cols: usize, planes: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, oh: i32, ow: i32): void {
  const sz = <usize>sizeof<T>()
  const L = oh * ow
  let r = 0
  for (let p = 0; p < planes; p++) {
    const base = x + <usize>(p * h * w) * sz
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++, r++) {
        const off = kj * dw - pw
        let lo = validLo(off, sw, ow)
        let hi = validHi(off, sw, w, ow)
        if (hi < lo) hi = lo
        for (let oy = 0; oy < oh; oy++) {
          const y = oy * sh - ph + ki * dh
          const o = cols + <usize>(r * L + oy * ow) * sz
          if (y < 0 || y >= h) {
            zeroRun(o, <usize>ow * sz)
            continue
          }
          const row = base + <usize>(y * w) * sz
          if (lo > 0) zeroRun(o, <usize>lo * sz)
          if (sw == 1) {
            copyRun(o + <usize>lo * sz, row + <usize>(lo + off) * sz, <usize>(hi - lo) * sz)
          } else {
            for (let ox = lo; ox < hi; ox++) store<T>(o + <usize>ox * sz, load<T>(row + <usize>(ox * sw + off) * sz))
          }
          if (hi < ow) zeroRun(o + <usize>hi * sz, <usize>(ow - hi) * sz)
        }
      }
    }
  }
}

export function col2im<T>(cols: usize, dx: usize, planes: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, oh: i32, ow: i32): void {
  const sz = <usize>sizeof<T>()
  const L = oh * ow
  memory.fill(dx, 0, <usize>(planes * h * w) * sz)
  let r = 0
  for (let p = 0; p < planes; p++) {
    const base = dx + <usize>(p * h * w) * sz
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++, r++) {
        const off = kj * dw - pw
        const lo = validLo(off, sw, ow)
        const hi = validHi(off, sw, w, ow)
        for (let oy = 0; oy < oh; oy++) {
          const y = oy * sh - ph + ki * dh
          if (y < 0 || y >= h) continue
          const o = cols + <usize>(r * L + oy * ow) * sz
          const row = base + <usize>(y * w) * sz
          let ox = lo
          if (sw == 1) {
            // contiguous: add 128 bits at a time
            const L4: i32 = 16 / <i32>sizeof<T>()
            for (; ox + L4 <= hi; ox += L4) {
              const d = row + <usize>(ox + off) * sz
              v128.store(d, v128.add<T>(v128.load(d), v128.load(o + <usize>ox * sz)))
            }
          }
          for (; ox < hi; ox++) {
            const d = row + <usize>(ox * sw + off) * sz
            store<T>(d, load<T>(d) + load<T>(o + <usize>ox * sz))
          }
        }
      }
    }
  }
}

export function im2col_f32(x: usize, cols: usize, planes: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, oh: i32, ow: i32): void {
  im2col<f32>(x, cols, planes, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow)
}
export function im2col_f64(x: usize, cols: usize, planes: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, oh: i32, ow: i32): void {
  im2col<f64>(x, cols, planes, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow)
}
export function col2im_f32(cols: usize, dx: usize, planes: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, oh: i32, ow: i32): void {
  col2im<f32>(cols, dx, planes, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow)
}
export function col2im_f64(cols: usize, dx: usize, planes: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, oh: i32, ow: i32): void {
  col2im<f64>(cols, dx, planes, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow)
}
