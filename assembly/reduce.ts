// Reductions over the middle axis of x viewed as [outer, n, inner]: sumAxis, softmax
// and its VJP. Sums accumulate in f64 for both float types, as the ts reference does,
// so float32 results are the f64 result rounded once. When inner > 1, columns are
// processed in chunks of CH with per-column state in a static f64 buffer, and each
// row of the chunk is read contiguously.

import { exp_, expf4, lanes } from './math'

// @ts-ignore: decorator
@inline const CH: i32 = 256
// Per-column f64 state for one chunk: running sums (sumAxis, softmaxBackward) or softmax's
// running max; and softmax's Σ exp per column.
const colAcc: usize = memory.data(CH * 8, 16)
const colSum: usize = memory.data(CH * 8, 16)
// @ts-ignore: decorator
@inline const colMax: usize = colAcc
const lanesTmp: usize = memory.data(16, 16)

/** Zeroes the first `w` running values of colAcc: a loop, not memory.fill, whose call out of wasm costs more than the few columns of a small layer's bias. */
// @ts-ignore: decorator
@inline function zeroColumns(w: i32): void {
  for (let i = 0; i < w; i++) store<f64>(colAcc + (<usize>i << 3), 0)
}

/** Σ x[0..n] (contiguous) in f64. */
// @ts-ignore: decorator
@inline function sumContiguous<T>(x: usize, n: i32): f64 {
  const sz = <usize>sizeof<T>()
  let s0 = f64x2.splat(0)
  let s1 = f64x2.splat(0)
  let i = 0
  if (sizeof<T>() == 4) {
    for (; i + 4 <= n; i += 4) {
      const v = v128.load(x + <usize>i * sz)
      s0 = f64x2.add(s0, f64x2.promote_low_f32x4(v))
      s1 = f64x2.add(s1, f64x2.promote_low_f32x4(v128.shuffle<u32>(v, v, 2, 3, 0, 1)))
    }
  } else {
    for (; i + 4 <= n; i += 4) {
      s0 = f64x2.add(s0, v128.load(x + <usize>i * sz))
      s1 = f64x2.add(s1, v128.load(x + <usize>i * sz, 16))
    }
  }
  const s = f64x2.add(s0, s1)
  let r = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1)
  for (; i < n; i++) r += <f64>load<T>(x + <usize>i * sz)
  return r
}

/** Σ x[i]·y[i] (contiguous) in f64. */
// @ts-ignore: decorator
@inline function dotContiguous<T>(x: usize, y: usize, n: i32): f64 {
  const sz = <usize>sizeof<T>()
  let s0 = f64x2.splat(0)
  let s1 = f64x2.splat(0)
  let i = 0
  if (sizeof<T>() == 4) {
    // The f32 product is exact in f64: promote first, multiply in f64.
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i * sz
      const a = v128.load(x + o)
      const b = v128.load(y + o)
      s0 = f64x2.add(s0, f64x2.mul(f64x2.promote_low_f32x4(a), f64x2.promote_low_f32x4(b)))
      s1 = f64x2.add(s1, f64x2.mul(
        f64x2.promote_low_f32x4(v128.shuffle<u32>(a, a, 2, 3, 0, 1)),
        f64x2.promote_low_f32x4(v128.shuffle<u32>(b, b, 2, 3, 0, 1)),
      ))
    }
  } else {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i * sz
      s0 = f64x2.add(s0, f64x2.mul(v128.load(x + o), v128.load(y + o)))
      s1 = f64x2.add(s1, f64x2.mul(v128.load(x + o, 16), v128.load(y + o, 16)))
    }
  }
  const s = f64x2.add(s0, s1)
  let r = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1)
  for (; i < n; i++) {
    const o = <usize>i * sz
    r += <f64>load<T>(x + o) * <f64>load<T>(y + o)
  }
  return r
}

// ---------------------------------------------------------------- sumAxis

function sumAxis<T>(x: usize, out: usize, outer: i32, n: i32, inner: i32, scale: f64): void {
  const sz = <usize>sizeof<T>()
  if (inner == 1) {
    for (let o = 0; o < outer; o++) {
      store<T>(out + <usize>o * sz, <T>(sumContiguous<T>(x + <usize>o * <usize>n * sz, n) * scale))
    }
    return
  }
  const rowBytes = <usize>inner * sz
  for (let o = 0; o < outer; o++) {
    const xo = x + <usize>o * <usize>n * rowBytes
    const oo = out + <usize>o * rowBytes
    for (let i0 = 0; i0 < inner; i0 += CH) {
      const w = min(CH, inner - i0)
      zeroColumns(w)
      for (let j = 0; j < n; j++) {
        const src = xo + <usize>j * rowBytes + <usize>i0 * sz
        let i = 0
        if (sizeof<T>() == 4) {
          for (; i + 4 <= w; i += 4) {
            const v = v128.load(src + <usize>i * 4)
            const acc = colAcc + <usize>i * 8
            v128.store(acc, f64x2.add(v128.load(acc), f64x2.promote_low_f32x4(v)))
            v128.store(acc, f64x2.add(v128.load(acc, 16), f64x2.promote_low_f32x4(v128.shuffle<u32>(v, v, 2, 3, 0, 1))), 16)
          }
        } else {
          for (; i + 2 <= w; i += 2) {
            const acc = colAcc + <usize>i * 8
            v128.store(acc, f64x2.add(v128.load(acc), v128.load(src + <usize>i * 8)))
          }
        }
        for (; i < w; i++) {
          const acc = colAcc + <usize>i * 8
          store<f64>(acc, load<f64>(acc) + <f64>load<T>(src + <usize>i * sz))
        }
      }
      for (let i = 0; i < w; i++) {
        store<T>(oo + <usize>(i0 + i) * sz, <T>(load<f64>(colAcc + <usize>i * 8) * scale))
      }
    }
  }
}

export function sumAxis_f32(x: usize, out: usize, outer: i32, n: i32, inner: i32, scale: f64): void {
  sumAxis<f32>(x, out, outer, n, inner, scale)
}
export function sumAxis_f64(x: usize, out: usize, outer: i32, n: i32, inner: i32, scale: f64): void {
  sumAxis<f64>(x, out, outer, n, inner, scale)
}

// ---------------------------------------------------------------- softmax

/** max with NaN propagation (Math.max's rule). */
// @ts-ignore: decorator
@inline function maxNaN(m: f64, v: f64): f64 {
  return v > m || v != v ? v : m
}

// softmax in three phases per row (inner == 1) or per chunk of CH columns: the max, the
// exps and their sum (f64), then the normalisation (÷ Σ, or x − max − log Σ for log-softmax).

/** max of a contiguous row: v128.max propagates NaN like Math.max. */
// @ts-ignore: decorator
@inline function rowMax<T>(xr: usize, n: i32): T {
  const sz = <usize>sizeof<T>()
  const L = lanes<T>()
  let j = 0
  let mv = v128.splat<T>(<T>-Infinity)
  for (; j + L <= n; j += L) mv = v128.max<T>(mv, v128.load(xr + <usize>j * sz))
  v128.store(lanesTmp, mv)
  let mx: f64 = -Infinity
  for (let l = 0; l < L; l++) mx = maxNaN(mx, <f64>load<T>(lanesTmp + <usize>l * sz))
  for (; j < n; j++) mx = maxNaN(mx, <f64>load<T>(xr + <usize>j * sz))
  return <T>mx
}

/** Σ exp(x − m) in f64; the exps are stored in yr unless `log`. */
// @ts-ignore: decorator
@inline function rowExpSum<T>(xr: usize, yr: usize, n: i32, m: T, log: bool): f64 {
  const sz = <usize>sizeof<T>()
  let sum: f64 = 0
  let j = 0
  if (sizeof<T>() == 4) {
    // float32: vectorised exp (see math.ts), the sum still in f64.
    const mv4 = f32x4.splat(<f32>m)
    let s0 = f64x2.splat(0)
    let s1 = f64x2.splat(0)
    for (; j + 4 <= n; j += 4) {
      const at = <usize>j * 4
      const e = expf4(f32x4.sub(v128.load(xr + at), mv4))
      if (!log) v128.store(yr + at, e)
      s0 = f64x2.add(s0, f64x2.promote_low_f32x4(e))
      s1 = f64x2.add(s1, f64x2.promote_low_f32x4(v128.shuffle<u32>(e, e, 2, 3, 0, 1)))
    }
    const s2 = f64x2.add(s0, s1)
    sum = f64x2.extract_lane(s2, 0) + f64x2.extract_lane(s2, 1)
  }
  for (; j < n; j++) {
    const e = exp_<T>(load<T>(xr + <usize>j * sz) - m)
    sum += <f64>e
    if (!log) store<T>(yr + <usize>j * sz, e)
  }
  return sum
}

/** yr = exps / Σ, or for log-softmax (x − max) − log Σ, as the reference: x − max is exact near the max. */
// @ts-ignore: decorator
@inline function rowNormalise<T>(xr: usize, yr: usize, n: i32, m: T, sum: f64, log: bool): void {
  const sz = <usize>sizeof<T>()
  const L = lanes<T>()
  let j = 0
  if (log) {
    const ls = <T>Math.log(sum)
    const lv = v128.splat<T>(ls)
    const mv2 = v128.splat<T>(m)
    for (; j + L <= n; j += L) {
      const at = <usize>j * sz
      v128.store(yr + at, v128.sub<T>(v128.sub<T>(v128.load(xr + at), mv2), lv))
    }
    for (; j < n; j++) store<T>(yr + <usize>j * sz, load<T>(xr + <usize>j * sz) - m - ls)
  } else {
    const inv = v128.splat<T>(<T>sum)
    const st = <T>sum
    for (; j + L <= n; j += L) {
      const at = <usize>j * sz
      v128.store(yr + at, v128.div<T>(v128.load(yr + at), inv))
    }
    for (; j < n; j++) store<T>(yr + <usize>j * sz, load<T>(yr + <usize>j * sz) / st)
  }
}

/** colMax[i] = max over the n rows of column i of the chunk (rows rowBytes apart, from xc). */
// @ts-ignore: decorator
@inline function chunkMax<T>(xc: usize, rowBytes: usize, n: i32, w: i32): void {
  const sz = <usize>sizeof<T>()
  for (let i = 0; i < w; i++) store<f64>(colMax + <usize>i * 8, -Infinity)
  for (let j = 0; j < n; j++) {
    const src = xc + <usize>j * rowBytes
    for (let i = 0; i < w; i++) {
      const at = colMax + <usize>i * 8
      store<f64>(at, maxNaN(load<f64>(at), <f64>load<T>(src + <usize>i * sz)))
    }
  }
}

/** colSum[i] = Σ exp(x − colMax[i]) (log Σ for log-softmax); the exps go to yc unless `log`. */
// @ts-ignore: decorator
@inline function chunkExpSum<T>(xc: usize, yc: usize, rowBytes: usize, n: i32, w: i32, log: bool): void {
  const sz = <usize>sizeof<T>()
  for (let i = 0; i < w; i++) store<f64>(colSum + <usize>i * 8, 0)
  for (let j = 0; j < n; j++) {
    const src = xc + <usize>j * rowBytes
    const dst = yc + <usize>j * rowBytes
    for (let i = 0; i < w; i++) {
      const e = exp_<T>(load<T>(src + <usize>i * sz) - <T>load<f64>(colMax + <usize>i * 8))
      const at = colSum + <usize>i * 8
      store<f64>(at, load<f64>(at) + <f64>e)
      if (!log) store<T>(dst + <usize>i * sz, e)
    }
  }
  if (log) {
    for (let i = 0; i < w; i++) {
      const at = colSum + <usize>i * 8
      store<f64>(at, Math.log(load<f64>(at)))
    }
  }
}

/** yc = exps / colSum, or x − colMax − colSum (= log Σ) for log-softmax. */
// @ts-ignore: decorator
@inline function chunkNormalise<T>(xc: usize, yc: usize, rowBytes: usize, n: i32, w: i32, log: bool): void {
  const sz = <usize>sizeof<T>()
  for (let j = 0; j < n; j++) {
    const src = xc + <usize>j * rowBytes
    const dst = yc + <usize>j * rowBytes
    for (let i = 0; i < w; i++) {
      const at = dst + <usize>i * sz
      if (log) {
        const m = <T>load<f64>(colMax + <usize>i * 8)
        store<T>(at, load<T>(src + <usize>i * sz) - m - <T>load<f64>(colSum + <usize>i * 8))
      }
      else store<T>(at, load<T>(at) / <T>load<f64>(colSum + <usize>i * 8))
    }
  }
}

function softmax<T>(x: usize, out: usize, outer: i32, n: i32, inner: i32, log: bool): void {
  const sz = <usize>sizeof<T>()
  if (inner == 1) {
    for (let o = 0; o < outer; o++) {
      const xr = x + <usize>o * <usize>n * sz
      const yr = out + <usize>o * <usize>n * sz
      const m = rowMax<T>(xr, n)
      rowNormalise<T>(xr, yr, n, m, rowExpSum<T>(xr, yr, n, m, log), log)
    }
    return
  }
  const rowBytes = <usize>inner * sz
  for (let o = 0; o < outer; o++) {
    for (let i0 = 0; i0 < inner; i0 += CH) {
      const w = min(CH, inner - i0)
      const xc = x + <usize>o * <usize>n * rowBytes + <usize>i0 * sz
      const yc = out + <usize>o * <usize>n * rowBytes + <usize>i0 * sz
      chunkMax<T>(xc, rowBytes, n, w)
      chunkExpSum<T>(xc, yc, rowBytes, n, w, log)
      chunkNormalise<T>(xc, yc, rowBytes, n, w, log)
    }
  }
}

export function softmax_f32(x: usize, out: usize, outer: i32, n: i32, inner: i32, log: bool): void {
  softmax<f32>(x, out, outer, n, inner, log)
}
export function softmax_f64(x: usize, out: usize, outer: i32, n: i32, inner: i32, log: bool): void {
  softmax<f64>(x, out, outer, n, inner, log)
}

/** softmax: dx = y·(dy − Σ dy·y); log-softmax: dx = dy − exp(y)·Σ dy. */
function softmaxBackward<T>(y: usize, dy: usize, out: usize, outer: i32, n: i32, inner: i32, log: bool): void {
  const sz = <usize>sizeof<T>()
  const L = lanes<T>()
  if (inner == 1) {
    for (let o = 0; o < outer; o++) {
      const off = <usize>o * <usize>n * sz
      const yr = y + off
      const gr = dy + off
      const dr = out + off
      const s = log ? sumContiguous<T>(gr, n) : dotContiguous<T>(gr, yr, n)
      const st = <T>s
      let j = 0
      if (log) {
        if (sizeof<T>() == 4) {
          const sv = f32x4.splat(<f32>st)
          for (; j + 4 <= n; j += 4) {
            const at = <usize>j * 4
            v128.store(dr + at, f32x4.sub(v128.load(gr + at), f32x4.mul(expf4(v128.load(yr + at)), sv)))
          }
        }
        for (; j < n; j++) {
          const at = <usize>j * sz
          store<T>(dr + at, load<T>(gr + at) - exp_<T>(load<T>(yr + at)) * st)
        }
      } else {
        const sv = v128.splat<T>(st)
        for (; j + L <= n; j += L) {
          const at = <usize>j * sz
          v128.store(dr + at, v128.mul<T>(v128.load(yr + at), v128.sub<T>(v128.load(gr + at), sv)))
        }
        for (; j < n; j++) {
          const at = <usize>j * sz
          store<T>(dr + at, load<T>(yr + at) * (load<T>(gr + at) - st))
        }
      }
    }
    return
  }
  const rowBytes = <usize>inner * sz
  for (let o = 0; o < outer; o++) {
    const base = <usize>o * <usize>n * rowBytes
    for (let i0 = 0; i0 < inner; i0 += CH) {
      const w = min(CH, inner - i0)
      const c0 = base + <usize>i0 * sz
      zeroColumns(w)
      for (let j = 0; j < n; j++) {
        const r = c0 + <usize>j * rowBytes
        for (let i = 0; i < w; i++) {
          const at = r + <usize>i * sz
          const acc = colAcc + <usize>i * 8
          const g = <f64>load<T>(dy + at)
          store<f64>(acc, load<f64>(acc) + (log ? g : g * <f64>load<T>(y + at)))
        }
      }
      for (let j = 0; j < n; j++) {
        const r = c0 + <usize>j * rowBytes
        for (let i = 0; i < w; i++) {
          const at = r + <usize>i * sz
          const st = <T>load<f64>(colAcc + <usize>i * 8)
          const yv = load<T>(y + at)
          const g = load<T>(dy + at)
          store<T>(out + at, log ? g - exp_<T>(yv) * st : yv * (g - st))
        }
      }
    }
  }
}

export function softmaxBackward_f32(y: usize, dy: usize, out: usize, outer: i32, n: i32, inner: i32, log: bool): void {
  softmaxBackward<f32>(y, dy, out, outer, n, inner, log)
}
export function softmaxBackward_f64(y: usize, dy: usize, out: usize, outer: i32, n: i32, inner: i32, log: bool): void {
  softmaxBackward<f64>(y, dy, out, outer, n, inner, log)
}
