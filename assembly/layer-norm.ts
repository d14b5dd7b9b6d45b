// Layer norm over rows of n elements and its backward (src/backend/ts/layer-norm.ts is the
// reference). Row sums run in T lanes; w, b, dw, db may be 0 (null). Statistics per row in f64.
import { hsum64 as hsum, lanes, rowSquares, rowSum } from './math'

function layerNorm<T>(x: usize, w: usize, b: usize, out: usize, mean: usize, rstd: usize, rows: i32, n: i32, eps: f64): void {
  const sz = <usize>sizeof<T>()
  const L = lanes<T>()
  for (let r = 0; r < rows; r++) {
    const row = x + <usize>r * <usize>n * sz
    const orow = out + <usize>r * <usize>n * sz
    const m = rowSum<T>(row, n) / <f64>n
    const v = rowSquares<T>(row, n, m)
    const mv = v128.splat<T>(<T>m)
    const s = 1 / Math.sqrt(v / <f64>n + eps)
    store<T>(mean + <usize>r * sz, <T>m)
    store<T>(rstd + <usize>r * sz, <T>s)
    const sv = v128.splat<T>(<T>s)
    let i = 0
    for (; i + L <= n; i += L) {
      const o = <usize>i * sz
      let h = v128.mul<T>(v128.sub<T>(v128.load(row + o), mv), sv)
      if (w) h = v128.mul<T>(h, v128.load(w + o))
      if (b) h = v128.add<T>(h, v128.load(b + o))
      v128.store(orow + o, h)
    }
    for (; i < n; i++) {
      const o = <usize>i * sz
      let h = (load<T>(row + o) - <T>m) * <T>s
      if (w) h *= load<T>(w + o)
      if (b) h += load<T>(b + o)
      store<T>(orow + o, h)
    }
  }
}

function layerNormBackward<T>(x: usize, w: usize, mean: usize, rstd: usize, g: usize, dx: usize, dw: usize, db: usize, rows: i32, n: i32): void {
  const sz = <usize>sizeof<T>()
  const L = lanes<T>()
  if (dw) memory.fill(dw, 0, <usize>n * sz)
  if (db) memory.fill(db, 0, <usize>n * sz)
  for (let r = 0; r < rows; r++) {
    const base = <usize>r * <usize>n * sz
    const mv = v128.splat<T>(load<T>(mean + <usize>r * sz))
    const sv = v128.splat<T>(load<T>(rstd + <usize>r * sz))
    let a1 = v128.splat<T>(0)
    let a2 = v128.splat<T>(0)
    let i = 0
    for (; i + L <= n; i += L) {
      const o = <usize>i * sz
      const h = v128.mul<T>(v128.sub<T>(v128.load(x + base + o), mv), sv)
      const gi = v128.load(g + base + o)
      const dh = w ? v128.mul<T>(gi, v128.load(w + o)) : gi
      a1 = v128.add<T>(a1, dh)
      a2 = v128.add<T>(a2, v128.mul<T>(dh, h))
      if (dw) v128.store(dw + o, v128.add<T>(v128.load(dw + o), v128.mul<T>(gi, h)))
      if (db) v128.store(db + o, v128.add<T>(v128.load(db + o), gi))
    }
    let sumDh = hsum<T>(a1)
    let sumDhX = hsum<T>(a2)
    const m = load<T>(mean + <usize>r * sz)
    const s = load<T>(rstd + <usize>r * sz)
    for (; i < n; i++) {
      const o = <usize>i * sz
      const h = (load<T>(x + base + o) - m) * s
      const gi = load<T>(g + base + o)
      const dh = w ? gi * load<T>(w + o) : gi
      sumDh += <f64>dh
      sumDhX += <f64>(dh * h)
      if (dw) store<T>(dw + o, load<T>(dw + o) + gi * h)
      if (db) store<T>(db + o, load<T>(db + o) + gi)
    }
    const k1 = v128.splat<T>(<T>(sumDh / <f64>n))
    const k2 = v128.splat<T>(<T>(sumDhX / <f64>n))
    i = 0
    for (; i + L <= n; i += L) {
      const o = <usize>i * sz
      const h = v128.mul<T>(v128.sub<T>(v128.load(x + base + o), mv), sv)
      const gi = v128.load(g + base + o)
      const dh = w ? v128.mul<T>(gi, v128.load(w + o)) : gi
      v128.store(dx + base + o, v128.mul<T>(sv, v128.sub<T>(v128.sub<T>(dh, k1), v128.mul<T>(h, k2))))
    }
    for (; i < n; i++) {
      const o = <usize>i * sz
      const h = (load<T>(x + base + o) - m) * s
      const gi = load<T>(g + base + o)
      const dh = w ? gi * load<T>(w + o) : gi
      store<T>(dx + base + o, s * (dh - <T>(sumDh / <f64>n) - h * <T>(sumDhX / <f64>n)))
    }
  }
}

export function layerNorm_f32(x: usize, w: usize, b: usize, out: usize, mean: usize, rstd: usize, rows: i32, n: i32, eps: f64): void { layerNorm<f32>(x, w, b, out, mean, rstd, rows, n, eps) }
export function layerNorm_f64(x: usize, w: usize, b: usize, out: usize, mean: usize, rstd: usize, rows: i32, n: i32, eps: f64): void { layerNorm<f64>(x, w, b, out, mean, rstd, rows, n, eps) }
export function layerNormBackward_f32(x: usize, w: usize, mean: usize, rstd: usize, g: usize, dx: usize, dw: usize, db: usize, rows: i32, n: i32): void { layerNormBackward<f32>(x, w, mean, rstd, g, dx, dw, db, rows, n) }
export function layerNormBackward_f64(x: usize, w: usize, mean: usize, rstd: usize, g: usize, dx: usize, dw: usize, db: usize, rows: i32, n: i32): void { layerNormBackward<f64>(x, w, mean, rstd, g, dx, dw, db, rows, n) }
