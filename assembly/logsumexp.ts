// logsumexp over the middle axis of [outer, n, inner]: out = m + log Σ exp(x − m), m the max
// (an infinite max shifts by 0: all −inf gives −inf, +inf gives +inf). Rows (inner = 1) run
// the max and, for float32, exp four lanes at a time; sums are in f64.

import { exp_, expf4, lanes } from './math'

const lanesTmp: usize = memory.data(16, 16)

// @ts-ignore: decorator
@inline function shiftOf(m: f64): f64 {
  return m == Infinity || m == -Infinity ? 0 : m
}

function logsumexp<T>(x: usize, out: usize, outer: i32, n: i32, inner: i32): void {
  const sz = <usize>sizeof<T>()
  const L = lanes<T>()
  if (inner == 1) {
    for (let o = 0; o < outer; o++) {
      const xr = x + <usize>o * <usize>n * sz
      let j = 0
      let mv = v128.splat<T>(<T>-Infinity)
      for (; j + L <= n; j += L) mv = v128.max<T>(mv, v128.load(xr + <usize>j * sz))
      v128.store(lanesTmp, mv)
      let mx: f64 = -Infinity
      for (let l = 0; l < L; l++) {
        const v = <f64>load<T>(lanesTmp + <usize>l * sz)
        if (v > mx || v != v) mx = v
      }
      for (; j < n; j++) {
        const v = <f64>load<T>(xr + <usize>j * sz)
        if (v > mx || v != v) mx = v
      }
      const m = shiftOf(mx)
      let sum: f64 = 0
      j = 0
      if (sizeof<T>() == 4) {
        const m4 = f32x4.splat(<f32>m)
        let s0 = f64x2.splat(0)
        let s1 = f64x2.splat(0)
        for (; j + 4 <= n; j += 4) {
          const e = expf4(f32x4.sub(v128.load(xr + <usize>j * 4), m4))
          s0 = f64x2.add(s0, f64x2.promote_low_f32x4(e))
          s1 = f64x2.add(s1, f64x2.promote_low_f32x4(v128.shuffle<u32>(e, e, 2, 3, 0, 1)))
        }
        const s2 = f64x2.add(s0, s1)
        sum = f64x2.extract_lane(s2, 0) + f64x2.extract_lane(s2, 1)
      }
      for (; j < n; j++) sum += <f64>exp_<T>(load<T>(xr + <usize>j * sz) - <T>m)
      store<T>(out + <usize>o * sz, <T>(m + Math.log(sum)))
    }
    return
  }
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = x + (<usize>o * <usize>n * <usize>inner + <usize>i) * sz
      const step = <usize>inner * sz
      let mx: f64 = -Infinity
      for (let j = 0; j < n; j++) {
        const v = <f64>load<T>(base + <usize>j * step)
        if (v > mx || v != v) mx = v
      }
      const m = shiftOf(mx)
      let sum: f64 = 0
      for (let j = 0; j < n; j++) sum += <f64>exp_<T>(load<T>(base + <usize>j * step) - <T>m)
      store<T>(out + (<usize>o * <usize>inner + <usize>i) * sz, <T>(m + Math.log(sum)))
    }
  }
}

export function logsumexp_f32(x: usize, out: usize, outer: i32, n: i32, inner: i32): void {
  logsumexp<f32>(x, out, outer, n, inner)
}
export function logsumexp_f64(x: usize, out: usize, outer: i32, n: i32, inner: i32): void {
  logsumexp<f64>(x, out, outer, n, inner)
}
