// Pooling over [planes, h, w] (see src/backend/types.ts): max with winner positions, and
// window averages whose bounds and divisors arrive per output row and column (`win`).

function maxPool2d<T>(x: usize, out: usize, idx: usize, planes: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, oh: i32, ow: i32): void {
  const sz = <usize>sizeof<T>()
  let o: usize = 0
  for (let p = 0; p < planes; p++) {
    const base = x + <usize>(p * h * w) * sz
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++, o++) {
        let best = <T>-Infinity
        let at = -1
        for (let ki = 0; ki < kh; ki++) {
          const y = oy * sh - ph + ki * dh
          if (y < 0 || y >= h) continue
          for (let kj = 0; kj < kw; kj++) {
            const xx = ox * sw - pw + kj * dw
            if (xx < 0 || xx >= w) continue
            const v = load<T>(base + <usize>(y * w + xx) * sz)
            if (v > best || v != v || at < 0) {
              best = v
              at = y * w + xx
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
