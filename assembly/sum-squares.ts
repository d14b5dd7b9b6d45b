// The sum of squares of one array: clipGradNorm's 2-norm, over gradients that live in wasm memory.

/** out[0] = Σ x[i]², in float64 lanes (float32 squares are exact there). */
function sumSquares<T>(x: usize, out: usize, n: i32): void {
  const sz = <usize>sizeof<T>()
  let a0 = f64x2.splat(0)
  let a1 = a0
  let i = 0
  if (sizeof<T>() == 4) {
    for (; i + 4 <= n; i += 4) {
      const v = v128.load(x + <usize>i * 4)
      const lo = f64x2.promote_low_f32x4(v)
      const hi = f64x2.promote_low_f32x4(v128.shuffle<u32>(v, v, 2, 3, 0, 1))
      a0 = f64x2.add(a0, f64x2.mul(lo, lo))
      a1 = f64x2.add(a1, f64x2.mul(hi, hi))
    }
  } else {
    for (; i + 2 <= n; i += 2) {
      const v = v128.load(x + <usize>i * 8)
      a0 = f64x2.add(a0, f64x2.mul(v, v))
    }
  }
  const a = f64x2.add(a0, a1)
  let s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1)
  for (; i < n; i++) {
    const v = <f64>load<T>(x + <usize>i * sz)
    s += v * v
  }
  store<T>(out, <T>s)
}

export function sumSquares_f32(x: usize, out: usize, n: i32): void {
  sumSquares<f32>(x, out, n)
}
export function sumSquares_f64(x: usize, out: usize, n: i32): void {
  sumSquares<f64>(x, out, n)
}
