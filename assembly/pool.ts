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

/**
 * MaxPool2d(2)'s common case, one output row: full 2 × 2 windows at stride 2 starting at
 * column 0, a v128 of outputs at a time (rows ra and ra + w, output columns 0 .. count, at
 * least the lane count; a ragged end is one more v128 overlapping the previous, its outputs
 * computed twice to the same values). Positions are carried as T, exact below 2^24. Same rule
 * and order as the scalar scan: a, a + 1, a + w, a + w + 1, each replacing the max when larger or NaN.
 */
function maxPool2x2Row<T>(ra: usize, w: i32, pos0: i32, count: i32, out: usize, idx: usize): void {
  const sz = <usize>sizeof<T>()
  const rc = ra + <usize>w * sz
  const lanes = 16 / <i32>sizeof<T>()
  // positions of the first window's elements for lanes 0..: pos0 + 2·(ox + lane)
  const lane2 = sizeof<T>() == 4 ? f32x4(0, 2, 4, 6) : f64x2(0, 2)
  const one = v128.splat<T>(<T>1)
  const down = v128.splat<T>(<T>w)
  for (let next = 0; next < count; next += lanes) {
    const ox = min(next, count - lanes)
    const pos = v128.add<T>(lane2, v128.splat<T>(<T>(pos0 + 2 * ox)))
    const off = <usize>(2 * ox) * sz
    const a0 = v128.load(ra + off)
    const a1 = v128.load(ra + off, 16)
    const c0 = v128.load(rc + off)
    const c1 = v128.load(rc + off, 16)
    let even: v128, odd: v128, evenC: v128, oddC: v128
    if (sizeof<T>() == 4) {
      even = v128.shuffle<f32>(a0, a1, 0, 2, 4, 6); odd = v128.shuffle<f32>(a0, a1, 1, 3, 5, 7)
      evenC = v128.shuffle<f32>(c0, c1, 0, 2, 4, 6); oddC = v128.shuffle<f32>(c0, c1, 1, 3, 5, 7)
    } else {
      even = v128.shuffle<f64>(a0, a1, 0, 2); odd = v128.shuffle<f64>(a0, a1, 1, 3)
      evenC = v128.shuffle<f64>(c0, c1, 0, 2); oddC = v128.shuffle<f64>(c0, c1, 1, 3)
    }
    let best = even
    let at = pos
    let m = v128.or(v128.gt<T>(odd, best), v128.ne<T>(odd, odd))
    best = v128.bitselect(odd, best, m)
    at = v128.bitselect(v128.add<T>(pos, one), at, m)
    const posC = v128.add<T>(pos, down)
    m = v128.or(v128.gt<T>(evenC, best), v128.ne<T>(evenC, evenC))
    best = v128.bitselect(evenC, best, m)
    at = v128.bitselect(posC, at, m)
    m = v128.or(v128.gt<T>(oddC, best), v128.ne<T>(oddC, oddC))
    best = v128.bitselect(oddC, best, m)
    at = v128.bitselect(v128.add<T>(posC, one), at, m)
    v128.store(out + <usize>ox * sz, best)
    v128.store(idx + <usize>ox * sz, at)
  }
}

// The window's in-bounds rows and columns are found once per output (no test per element);
// a full 2 × 2 window, the common MaxPool2d(2), is unrolled. Same scan order and rule as a
// plain loop over the window: the first element in bounds, then each that beats the max.
function maxPool2d<T>(x: usize, out: usize, idx: usize, planes: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, oh: i32, ow: i32): void {
  const sz = <usize>sizeof<T>()
  // MaxPool2d(2) without column padding: whole rows of full windows go a v128 at a time.
  const pool2x2 = kh == 2 && kw == 2 && sh == 2 && sw == 2 && dh == 1 && dw == 1 && pw == 0 && h * w < (1 << 24)
  const lanes = 16 / <i32>sizeof<T>()
  const fullWindows = min(ow, w >> 1)
  const vectorOutputs = fullWindows >= lanes ? fullWindows : 0
  let o: usize = 0
  for (let p = 0; p < planes; p++) {
    const base = x + <usize>(p * h * w) * sz
    for (let oy = 0; oy < oh; oy++) {
      const y0 = oy * sh - ph
      const kiLo = firstInside(y0, dh)
      const kiHi = firstPast(y0, dh, h, kh)
      let ox0 = 0
      if (pool2x2 && kiHi - kiLo == 2) {
        ox0 = vectorOutputs
        const ya = y0 + kiLo
        maxPool2x2Row<T>(base + <usize>(ya * w) * sz, w, ya * w, ox0, out + o * sz, idx + o * sz)
        o += <usize>ox0
      }
      for (let ox = ox0; ox < ow; ox++, o++) {
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

/**
 * MaxPool2d(2)'s gradient when the windows tile the planes (w = 2·ow, h = 2·oh): each window's
 * four elements written at once, 0 + dy where the window's position is its winner's, else 0 + 0
 * (the scalar path's zeroing and add, bit for bit), a v128 of windows at a time; a ragged row
 * end is one more v128 overlapping the previous, rewriting the same values.
 */
function maxPool2x2Backward<T>(dy: usize, idx: usize, dx: usize, planes: i32, w: i32, oh: i32, ow: i32): void {
  const sz = <usize>sizeof<T>()
  const lanes = 16 / <i32>sizeof<T>()
  const lane2 = sizeof<T>() == 4 ? f32x4(0, 2, 4, 6) : f64x2(0, 2)
  const zero = v128.splat<T>(<T>0)
  const one = v128.splat<T>(<T>1)
  const down = v128.splat<T>(<T>w)
  for (let p = 0; p < planes; p++) {
    for (let oy = 0; oy < oh; oy++) {
      const o = <usize>((p * oh + oy) * ow) * sz
      const top = dx + <usize>((p * 2 * oh + 2 * oy) * w) * sz
      const bottom = top + <usize>w * sz
      for (let next = 0; next < ow; next += lanes) {
        const ox = min(next, ow - lanes)
        const g = v128.load(dy + o + <usize>ox * sz)
        const at = v128.load(idx + o + <usize>ox * sz)
        const first: i32 = 2 * oy * w + 2 * ox
        const pos = v128.add<T>(lane2, v128.splat<T>(<T>first))
        const posC = v128.add<T>(pos, down)
        const te = v128.add<T>(zero, v128.bitselect(g, zero, v128.eq<T>(at, pos)))
        const to = v128.add<T>(zero, v128.bitselect(g, zero, v128.eq<T>(at, v128.add<T>(pos, one))))
        const be = v128.add<T>(zero, v128.bitselect(g, zero, v128.eq<T>(at, posC)))
        const bo = v128.add<T>(zero, v128.bitselect(g, zero, v128.eq<T>(at, v128.add<T>(posC, one))))
        const d = <usize>(2 * ox) * sz
        if (sizeof<T>() == 4) {
          v128.store(top + d, v128.shuffle<f32>(te, to, 0, 4, 1, 5))
          v128.store(top + d, v128.shuffle<f32>(te, to, 2, 6, 3, 7), 16)
          v128.store(bottom + d, v128.shuffle<f32>(be, bo, 0, 4, 1, 5))
          v128.store(bottom + d, v128.shuffle<f32>(be, bo, 2, 6, 3, 7), 16)
        } else {
          v128.store(top + d, v128.shuffle<f64>(te, to, 0, 2))
          v128.store(top + d, v128.shuffle<f64>(te, to, 1, 3), 16)
          v128.store(bottom + d, v128.shuffle<f64>(be, bo, 0, 2))
          v128.store(bottom + d, v128.shuffle<f64>(be, bo, 1, 3), 16)
        }
      }
    }
  }
}

function maxPool2dBackward<T>(dy: usize, idx: usize, dx: usize, planes: i32, hw: i32, ohw: i32, tiledWidth: i32): void {
  const sz = <usize>sizeof<T>()
  const lanes = 16 / <i32>sizeof<T>()
  if (tiledWidth > 0 && tiledWidth >= 2 * lanes && hw < (1 << 24)) {
    const ow = tiledWidth >> 1
    maxPool2x2Backward<T>(dy, idx, dx, planes, tiledWidth, ohw / ow, ow)
    return
  }
  memory.fill(dx, 0, <usize>(planes * hw) * sz)
  for (let p = 0; p < planes; p++) {
    const plane = dx + <usize>(p * hw) * sz
    for (let o = 0; o < ohw; o++) {
      const k = <usize>(p * ohw + o) * sz
      const at = <i32>load<T>(idx + k)
      if (at < 0) continue // a window wholly in the padding: no input (writing it went before the plane)
      const d = plane + <usize>at * sz
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
export function maxPool2dBackward_f32(dy: usize, idx: usize, dx: usize, planes: i32, hw: i32, ohw: i32, tiledWidth: i32): void {
  maxPool2dBackward<f32>(dy, idx, dx, planes, hw, ohw, tiledWidth)
}
export function maxPool2dBackward_f64(dy: usize, idx: usize, dx: usize, planes: i32, hw: i32, ohw: i32, tiledWidth: i32): void {
  maxPool2dBackward<f64>(dy, idx, dx, planes, hw, ohw, tiledWidth)
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
