// Batch norm of x viewed as [n, c, s] and its backward (src/backend/ts/batch-norm.ts is the
// reference). A channel is n rows of s contiguous values: each row is summed in T lanes, the
// rows in f64. w, b, rm, rv, dw, db may be 0 (null); rm = 0 means training (batch statistics).
import { hsum64 as hsum, lanes, rowSquares, rowSum } from './math'

/** Σ g·(x − m) over s values (Σ g is rowSum of g). */
// @ts-ignore: decorator
@inline function rowDot<T>(x: usize, g: usize, s: i32, m: T): f64 {
  const sz = <usize>sizeof<T>()
  const mv = v128.splat<T>(m)
  let acc = v128.splat<T>(0)
  let i = 0
  for (; i + lanes<T>() <= s; i += lanes<T>()) {
    const o = <usize>i * sz
    acc = v128.add<T>(acc, v128.mul<T>(v128.load(g + o), v128.sub<T>(v128.load(x + o), mv)))
  }
  let sum = hsum<T>(acc)
  for (; i < s; i++) sum += <f64>(load<T>(g + <usize>i * sz) * (load<T>(x + <usize>i * sz) - m))
  return sum
}

function batchNorm<T>(x: usize, w: usize, b: usize, rm: usize, rv: usize, out: usize, mean: usize, variance: usize, n: i32, c: i32, s: i32, eps: f64): void {
  const sz = <usize>sizeof<T>()
  const L = lanes<T>()
  const rowBytes = <usize>s * sz
  const count = <f64>n * <f64>s
  for (let ch = 0; ch < c; ch++) {
    const at = <usize>ch * sz
    const first = x + <usize>ch * rowBytes
    const stride = <usize>c * rowBytes
    if (rm) {
      store<T>(mean + at, load<T>(rm + at))
      store<T>(variance + at, load<T>(rv + at))
    } else {
      let m: f64 = 0
      for (let i = 0; i < n; i++) m += rowSum<T>(first + <usize>i * stride, s)
      m /= count
      let v: f64 = 0
      for (let i = 0; i < n; i++) v += rowSquares<T>(first + <usize>i * stride, s, m)
      store<T>(mean + at, <T>m)
      store<T>(variance + at, <T>(v / count))
    }
    const m = load<T>(mean + at)
    let k = <T>(1 / Math.sqrt(<f64>load<T>(variance + at) + eps))
    if (w) k *= load<T>(w + at)
    const shift = b ? load<T>(b + at) : <T>0
    const mv = v128.splat<T>(m)
    const kv = v128.splat<T>(k)
    const bv = v128.splat<T>(shift)
    for (let i = 0; i < n; i++) {
      const row = first + <usize>i * stride
      const orow = out + (row - x)
      let j = 0
      for (; j + L <= s; j += L) {
        const o = <usize>j * sz
        v128.store(orow + o, v128.add<T>(v128.mul<T>(v128.sub<T>(v128.load(row + o), mv), kv), bv))
      }
      for (; j < s; j++) store<T>(orow + <usize>j * sz, (load<T>(row + <usize>j * sz) - m) * k + shift)
    }
  }
}

function batchNormBackward<T>(x: usize, w: usize, mean: usize, variance: usize, g: usize, dx: usize, dw: usize, db: usize, n: i32, c: i32, s: i32, eps: f64, training: bool): void {
  const sz = <usize>sizeof<T>()
  const L = lanes<T>()
  const rowBytes = <usize>s * sz
  const stride = <usize>c * rowBytes
  const count = <f64>n * <f64>s
  for (let ch = 0; ch < c; ch++) {
    const at = <usize>ch * sz
    const first = <usize>ch * rowBytes
    const m = load<T>(mean + at)
    const r = 1 / Math.sqrt(<f64>load<T>(variance + at) + eps)
    let sumG: f64 = 0
    let sumGX: f64 = 0
    for (let i = 0; i < n; i++) {
      const o = first + <usize>i * stride
      sumG += rowSum<T>(g + o, s)
      sumGX += rowDot<T>(x + o, g + o, s, m)
    }
    if (dw) store<T>(dw + at, <T>(sumGX * r))
    if (db) store<T>(db + at, <T>sumG)
    const k = <T>(r * (w ? <f64>load<T>(w + at) : 1))
    // Training: the statistics' own gradient, folded into a shift and a slope per channel.
    const a = training ? <T>(sumG / count) : <T>0
    const q = training ? <T>((sumGX * r * r) / count) : <T>0
    const mv = v128.splat<T>(m)
    const kv = v128.splat<T>(k)
    const av = v128.splat<T>(a)
    const qv = v128.splat<T>(q)
    for (let i = 0; i < n; i++) {
      const row = first + <usize>i * stride
      let j = 0
      for (; j + L <= s; j += L) {
        const o = row + <usize>j * sz
        const d = v128.sub<T>(v128.load(x + o), mv)
        v128.store(dx + o, v128.mul<T>(kv, v128.sub<T>(v128.sub<T>(v128.load(g + o), av), v128.mul<T>(d, qv))))
      }
      for (; j < s; j++) {
        const o = row + <usize>j * sz
        store<T>(dx + o, k * (load<T>(g + o) - a - (load<T>(x + o) - m) * q))
      }
    }
  }
}

export function batchNorm_f32(x: usize, w: usize, b: usize, rm: usize, rv: usize, out: usize, mean: usize, variance: usize, n: i32, c: i32, s: i32, eps: f64): void { batchNorm<f32>(x, w, b, rm, rv, out, mean, variance, n, c, s, eps) }
export function batchNorm_f64(x: usize, w: usize, b: usize, rm: usize, rv: usize, out: usize, mean: usize, variance: usize, n: i32, c: i32, s: i32, eps: f64): void { batchNorm<f64>(x, w, b, rm, rv, out, mean, variance, n, c, s, eps) }
export function batchNormBackward_f32(x: usize, w: usize, mean: usize, variance: usize, g: usize, dx: usize, dw: usize, db: usize, n: i32, c: i32, s: i32, eps: f64, training: i32): void { batchNormBackward<f32>(x, w, mean, variance, g, dx, dw, db, n, c, s, eps, training != 0) }
export function batchNormBackward_f64(x: usize, w: usize, mean: usize, variance: usize, g: usize, dx: usize, dw: usize, db: usize, n: i32, c: i32, s: i32, eps: f64, training: i32): void { batchNormBackward<f64>(x, w, mean, variance, g, dx, dw, db, n, c, s, eps, training != 0) }
