// Pooling over [planes, h, w] (see src/backend/types.ts): max with winner positions, and
// window averages whose bounds and divisors arrive per output row and column (`win`).

/** The first k ≥ 0 with start + k·d ≥ 0, and the first k (capped at kn) with start + k·d ≥ size. */
// @ts-ignore: decorator
@inline function firstInside(start: i32, d: i32): i32 {
  return start >= 0 ? 0 : (-start + d - 1) / d
}
// @ts-ignore: decorator
@inline function firstPast(start: i32, d: i32, size: i32, kn: i32): i32 {
  const left = size - start
  const k = left <= 0 ? 0 : d == 1 ? left : (left + d - 1) / d // no division in the common case
  return k < kn ? k : kn
}

/** v replaces the running max when larger or NaN (so a NaN wins; the first of equals stays). */
// @ts-ignore: decorator
@inline function beats<T>(v: T, best: T): bool {
  return v > best || v != v
}

// The window's in-bounds rows and columns are found once per output (no test per element);
// a full 2 × 2 window, the common MaxPool2d(2), is unrolled. Same scan order and rule as a
// plain loop over the window: the first element in bounds, then each that beats the max.
function maxPool2d<T>(x: usize, out: usize, idx: usize, planes: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, oh: i32, ow: i32): void {
  const sz = <usize>sizeof<T>()
  let o: usize = 0
  for (let p = 0; p < planes; p++) {
    const base = x + <usize>(p * h * w) * sz
    for (let oy = 0; oy < oh; oy++) {
      const y0 = oy * sh - ph
      const kiLo = firstInside(y0, dh)
      const kiHi = firstPast(y0, dh, h, kh)
      for (let ox = 0; ox < ow; ox++, o++) {
        const x0 = ox * sw - pw
        const kjLo = firstInside(x0, dw)
        const kjHi = firstPast(x0, dw, w, kw)
        let best = <T>-Infinity
        let at = -1
        if (kiHi - kiLo == 2 && kjHi - kjLo == 2) {
          const ya = y0 + kiLo * dh
          const xa = x0 + kjLo * dw
          const a = ya * w + xa
          const c = a + dh * w
          best = load<T>(base + <usize>a * sz)
          at = a
          // select, not branches: which element wins is data-dependent and mispredicts
          let v = load<T>(base + <usize>(a + dw) * sz)
          let win = beats<T>(v, best)
          best = select<T>(v, best, win)
          at = select<i32>(a + dw, at, win)
          v = load<T>(base + <usize>c * sz)
          win = beats<T>(v, best)
          best = select<T>(v, best, win)
          at = select<i32>(c, at, win)
          v = load<T>(base + <usize>(c + dw) * sz)
          win = beats<T>(v, best)
          best = select<T>(v, best, win)
          at = select<i32>(c + dw, at, win)
        } else if (kiLo < kiHi && kjLo < kjHi) {
          for (let ki = kiLo; ki < kiHi; ki++) {
            const row = (y0 + ki * dh) * w
            for (let kj = kjLo; kj < kjHi; kj++) {
              const pos = row + x0 + kj * dw
              const v = load<T>(base + <usize>pos * sz)
              if (at < 0 || beats<T>(v, best)) {
                best = v
                at = pos
              }
            }
          }
        }
        store<T>(out + o * sz, best)
        store<T>(idx + o * sz, <T>at)
      }
    }
  }
}

function maxPool2dBackward<T>(dy: usize, idx: usize, dx: usize, planes: i32, hw: i32, ohw: i32): void {
  const sz = <usize>sizeof<T>()
  memory.fill(dx, 0, <usize>(planes * hw) * sz)
  for (let p = 0; p < planes; p++) {
    const plane = dx + <usize>(p * hw) * sz
    for (let o = 0; o < ohw; o++) {
      const k = <usize>(p * ohw + o) * sz
      const d = plane + <usize>(<i32>load<T>(idx + k)) * sz
      store<T>(d, load<T>(d) + load<T>(dy + k))
    }
  }
}

function avgPool2d<T>(x: usize, out: usize, planes: i32, h: i32, w: i32, oh: i32, ow: i32, win: usize): void {
  const sz = <usize>sizeof<T>()
  let o: usize = 0
  for (let p = 0; p < planes; p++) {
    const base = x + <usize>(p * h * w) * sz
    for (let oy = 0; oy < oh; oy++) {
      const y0 = <i32>load<T>(win + <usize>oy * sz)
      const y1 = <i32>load<T>(win + <usize>(oh + oy) * sz)
      const yd = load<T>(win + <usize>(2 * oh + oy) * sz)
      for (let ox = 0; ox < ow; ox++, o++) {
        const x0 = <i32>load<T>(win + <usize>(3 * oh + ox) * sz)
        const x1 = <i32>load<T>(win + <usize>(3 * oh + ow + ox) * sz)
        const xd = load<T>(win + <usize>(3 * oh + 2 * ow + ox) * sz)
        let s = <T>0
        for (let y = y0; y < y1; y++) {
          const row = base + <usize>(y * w) * sz
          for (let xx = x0; xx < x1; xx++) s += load<T>(row + <usize>xx * sz)
        }
        store<T>(out + o * sz, s / (yd * xd))
      }
    }
  }
}

function avgPool2dBackward<T>(dy: usize, dx: usize, planes: i32, h: i32, w: i32, oh: i32, ow: i32, win: usize): void {
  const sz = <usize>sizeof<T>()
  memory.fill(dx, 0, <usize>(planes * h * w) * sz)
  let o: usize = 0
  for (let p = 0; p < planes; p++) {
    const base = dx + <usize>(p * h * w) * sz
    for (let oy = 0; oy < oh; oy++) {
      const y0 = <i32>load<T>(win + <usize>oy * sz)
      const y1 = <i32>load<T>(win + <usize>(oh + oy) * sz)
      const yd = load<T>(win + <usize>(2 * oh + oy) * sz)
      for (let ox = 0; ox < ow; ox++, o++) {
        const x0 = <i32>load<T>(win + <usize>(3 * oh + ox) * sz)
        const x1 = <i32>load<T>(win + <usize>(3 * oh + ow + ox) * sz)
        const g = load<T>(dy + o * sz) / (yd * load<T>(win + <usize>(3 * oh + 2 * ow + ox) * sz))
        for (let y = y0; y < y1; y++) {
          const row = base + <usize>(y * w) * sz
          for (let xx = x0; xx < x1; xx++) store<T>(row + <usize>xx * sz, load<T>(row + <usize>xx * sz) + g)
        }
      }
    }
  }
}

export function maxPool2d_f32(x: usize, out: usize, idx: usize, planes: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, oh: i32, ow: i32): void {
  maxPool2d<f32>(x, out, idx, planes, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow)
}
export function maxPool2d_f64(x: usize, out: usize, idx: usize, planes: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, oh: i32, ow: i32): void {
  maxPool2d<f64>(x, out, idx, planes, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow)
}
export function maxPool2dBackward_f32(dy: usize, idx: usize, dx: usize, planes: i32, hw: i32, ohw: i32): void {
  maxPool2dBackward<f32>(dy, idx, dx, planes, hw, ohw)
}
export function maxPool2dBackward_f64(dy: usize, idx: usize, dx: usize, planes: i32, hw: i32, ohw: i32): void {
  maxPool2dBackward<f64>(dy, idx, dx, planes, hw, ohw)
}
export function avgPool2d_f32(x: usize, out: usize, planes: i32, h: i32, w: i32, oh: i32, ow: i32, win: usize): void {
  avgPool2d<f32>(x, out, planes, h, w, oh, ow, win)
}
export function avgPool2d_f64(x: usize, out: usize, planes: i32, h: i32, w: i32, oh: i32, ow: i32, win: usize): void {
  avgPool2d<f64>(x, out, planes, h, w, oh, ow, win)
}
export function avgPool2dBackward_f32(dy: usize, dx: usize, planes: i32, h: i32, w: i32, oh: i32, ow: i32, win: usize): void {
  avgPool2dBackward<f32>(dy, dx, planes, h, w, oh, ow, win)
}
export function avgPool2dBackward_f64(dy: usize, dx: usize, planes: i32, h: i32, w: i32, oh: i32, ow: i32, win: usize): void {
  avgPool2dBackward<f64>(dy, dx, planes, h, w, oh, ow, win)
}
