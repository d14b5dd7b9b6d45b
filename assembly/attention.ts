// Fused scaled dot-product attention, forward and backward, one query row at a time
// (the algorithm and its reference: src/backend/ts/attention.ts). The scores of one row
// live in a scratch row of S elements; the [L, S] matrix is never stored: backward
// recomputes each probability from q, k and the row's log-sum-exp. Dot products and
// the axpy updates run along the feature dim in v128 lanes of T.
// Each row runs in passes over j (scores, then exp of the whole row in lanes, then the
// updates) rather than one j at a time: a scalar exp per score and a row sum (out_i,
// dq_i) read back from memory after every j made the kernel latency-bound. Sums over j
// still run in ascending j, as in the reference.

import { allocate } from './alloc'
import { exp_, expf4, lanes, log_ } from './math'

/** Horizontal sum of a v128 of T. */
// @ts-ignore: decorator
@inline function hsum<T>(v: v128): T {
  if (sizeof<T>() == 4) {
    return <T>(f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3))
  }
  return <T>(f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1))
}

/** Σ a[e]·b[e] for e < n. */
// @ts-ignore: decorator
@inline function dot<T>(a: usize, b: usize, n: i32): T {
  const sz = <usize>sizeof<T>()
  const W = lanes<T>()
  let acc0 = v128.splat<T>(<T>0)
  let acc1 = v128.splat<T>(<T>0)
  let e = 0
  for (; e + 2 * W <= n; e += 2 * W) {
    const o = <usize>e * sz
    acc0 = v128.add<T>(acc0, v128.mul<T>(v128.load(a + o), v128.load(b + o)))
    acc1 = v128.add<T>(acc1, v128.mul<T>(v128.load(a + o, 16), v128.load(b + o, 16)))
  }
  for (; e + W <= n; e += W) {
    const o = <usize>e * sz
    acc0 = v128.add<T>(acc0, v128.mul<T>(v128.load(a + o), v128.load(b + o)))
  }
  let s = hsum<T>(v128.add<T>(acc0, acc1))
  for (; e < n; e++) s += load<T>(a + <usize>e * sz) * load<T>(b + <usize>e * sz)
  return s
}

/**
 * The dot products of a with the 4 rows at b, b + ld, b + 2·ld, b + 3·ld (n float32 each, n a
 * multiple of 4) in the lanes of one v128: a is loaded once for 4 rows, and the 4 independent
 * sums keep the core busy where one dot at a time waited on its own additions.
 */
// @ts-ignore: decorator
@inline function dot4f32(a: usize, b: usize, ld: usize, n: i32): v128 {
  let s0 = f32x4.splat(0)
  let s1 = s0, s2 = s0, s3 = s0
  for (let o: usize = 0; o < <usize>n * 4; o += 16) {
    const x = v128.load(a + o)
    const r = b + o
    s0 = f32x4.add(s0, f32x4.mul(x, v128.load(r)))
    s1 = f32x4.add(s1, f32x4.mul(x, v128.load(r + ld)))
    s2 = f32x4.add(s2, f32x4.mul(x, v128.load(r + 2 * ld)))
    s3 = f32x4.add(s3, f32x4.mul(x, v128.load(r + 3 * ld)))
  }
  // Transpose-and-add: lane r of the result is the sum of sr's lanes.
  const t01 = f32x4.add(v128.shuffle<i32>(s0, s1, 0, 4, 1, 5), v128.shuffle<i32>(s0, s1, 2, 6, 3, 7))
  const t23 = f32x4.add(v128.shuffle<i32>(s2, s3, 0, 4, 1, 5), v128.shuffle<i32>(s2, s3, 2, 6, 3, 7))
  return f32x4.add(v128.shuffle<i32>(t01, t23, 0, 1, 4, 5), v128.shuffle<i32>(t01, t23, 2, 3, 6, 7))
}

/**
 * row[j] = q_i·k_j·scale (+ mask[j]) for j < end (k_j: rows of E at kb); returns their max
 * (−∞ if none). float32 computes four j at a time.
 */
// @ts-ignore: decorator
@inline function scoreRow<T>(qi: usize, kb: usize, E: i32, end: i32, scale: T, mrow: usize, row: usize): T {
  const sz = <usize>sizeof<T>()
  let mx: T = <T>-Infinity
  let j = 0
  if (sizeof<T>() == 4 && (E & 3) == 0) {
    const ld = <usize>E * 4
    const sv = f32x4.splat(<f32>scale)
    let mv = f32x4.splat(-Infinity)
    for (; j + 4 <= end; j += 4) {
      let x = f32x4.mul(dot4f32(qi, kb + <usize>j * ld, ld, E), sv)
      if (mrow) x = f32x4.add(x, v128.load(mrow + <usize>j * 4))
      v128.store(row + <usize>j * 4, x)
      mv = f32x4.pmax(mv, x) // NaN scores are skipped, as by the scalar x > mx below
    }
    mx = <T>max(max(f32x4.extract_lane(mv, 0), f32x4.extract_lane(mv, 1)), max(f32x4.extract_lane(mv, 2), f32x4.extract_lane(mv, 3)))
  }
  for (; j < end; j++) {
    let x = dot<T>(qi, kb + <usize>j * <usize>E * sz, E) * scale
    if (mrow) x += load<T>(mrow + <usize>j * sz)
    store<T>(row + <usize>j * sz, x)
    if (x > mx) mx = x
  }
  return mx
}

/**
 * y[e] += alpha·x[e] for e < n, four v128 an iteration: with one, the loop's own counting and
 * branching outweighed its arithmetic at the GPT's head width (32).
 */
// @ts-ignore: decorator
@inline function axpy<T>(alpha: T, x: usize, y: usize, n: i32): void {
  const sz = <usize>sizeof<T>()
  const W = lanes<T>()
  const av = v128.splat<T>(alpha)
  let e = 0
  for (; e + 4 * W <= n; e += 4 * W) {
    const o = <usize>e * sz
    v128.store(y + o, v128.add<T>(v128.load(y + o), v128.mul<T>(av, v128.load(x + o))))
    v128.store(y + o, v128.add<T>(v128.load(y + o, 16), v128.mul<T>(av, v128.load(x + o, 16))), 16)
    v128.store(y + o, v128.add<T>(v128.load(y + o, 32), v128.mul<T>(av, v128.load(x + o, 32))), 32)
    v128.store(y + o, v128.add<T>(v128.load(y + o, 48), v128.mul<T>(av, v128.load(x + o, 48))), 48)
  }
  for (; e + W <= n; e += W) {
    const o = <usize>e * sz
    v128.store(y + o, v128.add<T>(v128.load(y + o), v128.mul<T>(av, v128.load(x + o))))
  }
  for (; e < n; e++) store<T>(y + <usize>e * sz, load<T>(y + <usize>e * sz) + alpha * load<T>(x + <usize>e * sz))
}

/**
 * out[e] = Σ_{j<n} (w[j]·alpha)·rows[j·ld + e] for e < width (j ascending), with the sums of
 * 4 v128 of columns held in registers across j rather than re-read from out after each j.
 */
// @ts-ignore: decorator
@inline function combineRows<T>(w: usize, alpha: T, n: i32, rows: usize, ld: i32, width: i32, out: usize): void {
  const sz = <usize>sizeof<T>()
  const W = lanes<T>()
  const stride = <usize>ld * sz
  let e = 0
  for (; e + 4 * W <= width; e += 4 * W) {
    let a0 = v128.splat<T>(<T>0)
    let a1 = v128.splat<T>(<T>0)
    let a2 = v128.splat<T>(<T>0)
    let a3 = v128.splat<T>(<T>0)
    let r = rows + <usize>e * sz
    for (let j = 0; j < n; j++) {
      const c = v128.splat<T>(load<T>(w + <usize>j * sz) * alpha)
      a0 = v128.add<T>(a0, v128.mul<T>(c, v128.load(r)))
      a1 = v128.add<T>(a1, v128.mul<T>(c, v128.load(r, 16)))
      a2 = v128.add<T>(a2, v128.mul<T>(c, v128.load(r, 32)))
      a3 = v128.add<T>(a3, v128.mul<T>(c, v128.load(r, 48)))
      r += stride
    }
    const o = out + <usize>e * sz
    v128.store(o, a0)
    v128.store(o, a1, 16)
    v128.store(o, a2, 32)
    v128.store(o, a3, 48)
  }
  for (; e + W <= width; e += W) {
    let a0 = v128.splat<T>(<T>0)
    let r = rows + <usize>e * sz
    for (let j = 0; j < n; j++) {
      a0 = v128.add<T>(a0, v128.mul<T>(v128.splat<T>(load<T>(w + <usize>j * sz) * alpha), v128.load(r)))
      r += stride
    }
    v128.store(out + <usize>e * sz, a0)
  }
  for (; e < width; e++) {
    let a: T = 0
    for (let j = 0; j < n; j++) a += load<T>(w + <usize>j * sz) * alpha * load<T>(rows + (<usize>j * <usize>ld + <usize>e) * sz)
    store<T>(out + <usize>e * sz, a)
  }
}

/** Overwrites row[0..n] with exp(row − max) and returns their sum. */
// @ts-ignore: decorator
@inline function expShift<T>(row: usize, n: i32, max: T): T {
  const sz = <usize>sizeof<T>()
  let sum: T = 0
  let j = 0
  if (sizeof<T>() == 4) {
    const mv = f32x4.splat(<f32>max)
    let acc = f32x4.splat(0)
    for (; j + 4 <= n; j += 4) {
      const at = row + <usize>j * 4
      const e = expf4(f32x4.sub(v128.load(at), mv))
      v128.store(at, e)
      acc = f32x4.add(acc, e)
    }
    sum = hsum<T>(acc)
  }
  for (; j < n; j++) {
    const at = row + <usize>j * sz
    const e = exp_<T>(load<T>(at) - max)
    store<T>(at, e)
    sum += e
  }
  return sum
}

function attention<T>(
  q: usize, k: usize, v: usize, mask: usize, out: usize, lse: usize,
  batch: i32, L: i32, S: i32, E: i32, Ev: i32, scale: T, causal: bool, maskBatchStride: i32,
): void {
  const sz = <usize>sizeof<T>()
  const row = allocate(<usize>max(S, 1) * sz)
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < L; i++) {
      const bi = <usize>(b * L + i)
      const qi = q + bi * <usize>E * sz
      const oi = out + bi * <usize>Ev * sz
      const end = causal ? min(S, i + 1) : S
      const mrow = mask ? mask + (<usize>b * <usize>maskBatchStride + <usize>i * <usize>S) * sz : 0
      const mx = scoreRow<T>(qi, k + <usize>b * <usize>S * <usize>E * sz, E, end, scale, mrow, row)
      if (mx == <T>-Infinity) {
        memory.fill(oi, 0, <usize>Ev * sz)
        store<T>(lse + bi * sz, <T>-Infinity)
        continue
      }
      const sum = expShift<T>(row, end, mx)
      combineRows<T>(row, <T>1 / sum, end, v + <usize>b * <usize>S * <usize>Ev * sz, Ev, Ev, oi)
      store<T>(lse + bi * sz, mx + log_<T>(sum))
    }
  }
  heap.free(row)
}

function attentionBackward<T>(
  q: usize, k: usize, v: usize, mask: usize, out: usize, lse: usize, dOut: usize, dq: usize, dk: usize, dv: usize,
  batch: i32, L: i32, S: i32, E: i32, Ev: i32, scale: T, causal: bool, maskBatchStride: i32,
): void {
  const sz = <usize>sizeof<T>()
  // Two scratch rows: the probabilities (then ds), and dOut_i·v_j.
  const row = allocate(<usize>max(S, 1) * 2 * sz)
  const dps = row + <usize>max(S, 1) * sz
  memory.fill(dk, 0, <usize>batch * <usize>S * <usize>E * sz)
  memory.fill(dv, 0, <usize>batch * <usize>S * <usize>Ev * sz)
  for (let b = 0; b < batch; b++) {
    const kb = k + <usize>b * <usize>S * <usize>E * sz
    for (let i = 0; i < L; i++) {
      const bi = <usize>(b * L + i)
      const qi = q + bi * <usize>E * sz
      const dqi = dq + bi * <usize>E * sz
      const m = load<T>(lse + bi * sz)
      if (m == <T>-Infinity) {
        memory.fill(dqi, 0, <usize>E * sz)
        continue
      }
      const oi = bi * <usize>Ev * sz
      const d = dot<T>(dOut + oi, out + oi, Ev)
      const end = causal ? min(S, i + 1) : S
      const mrow = mask ? mask + (<usize>b * <usize>maskBatchStride + <usize>i * <usize>S) * sz : 0
      // p_j = exp(s_j − lse_i), the whole row at once.
      scoreRow<T>(qi, kb, E, end, scale, mrow, row)
      expShift<T>(row, end, m)
      scoreRow<T>(dOut + oi, v + <usize>b * <usize>S * <usize>Ev * sz, Ev, end, <T>1, 0, dps)
      // dv_j += p_j·dOut_i; ds_j = p_j·(dOut_i·v_j − d)·scale replaces p_j; dk_j += ds_j·q_i.
      for (let j = 0; j < end; j++) {
        const bj = <usize>b * <usize>S + <usize>j
        const vj = bj * <usize>Ev * sz
        const p = load<T>(row + <usize>j * sz)
        const dp = load<T>(dps + <usize>j * sz)
        axpy<T>(p, dOut + oi, dv + vj, Ev)
        const ds = p * (dp - d) * scale
        store<T>(row + <usize>j * sz, ds)
        axpy<T>(ds, qi, dk + bj * <usize>E * sz, E)
      }
      // dq_i = Σ_j ds_j·k_j.
      combineRows<T>(row, <T>1, end, kb, E, E, dqi)
    }
  }
  heap.free(row)
}

export function attention_f32(
  q: usize, k: usize, v: usize, mask: usize, out: usize, lse: usize,
  batch: i32, L: i32, S: i32, E: i32, Ev: i32, scale: f64, causal: i32, maskBatchStride: i32,
): void {
  attention<f32>(q, k, v, mask, out, lse, batch, L, S, E, Ev, <f32>scale, causal != 0, maskBatchStride)
}

export function attention_f64(
  q: usize, k: usize, v: usize, mask: usize, out: usize, lse: usize,
  batch: i32, L: i32, S: i32, E: i32, Ev: i32, scale: f64, causal: i32, maskBatchStride: i32,
): void {
  attention<f64>(q, k, v, mask, out, lse, batch, L, S, E, Ev, scale, causal != 0, maskBatchStride)
}

export function attentionBackward_f32(
  q: usize, k: usize, v: usize, mask: usize, out: usize, lse: usize, dOut: usize, dq: usize, dk: usize, dv: usize,
  batch: i32, L: i32, S: i32, E: i32, Ev: i32, scale: f64, causal: i32, maskBatchStride: i32,
): void {
  attentionBackward<f32>(q, k, v, mask, out, lse, dOut, dq, dk, dv, batch, L, S, E, Ev, <f32>scale, causal != 0, maskBatchStride)
}

export function attentionBackward_f64(
  q: usize, k: usize, v: usize, mask: usize, out: usize, lse: usize, dOut: usize, dq: usize, dk: usize, dv: usize,
  batch: i32, L: i32, S: i32, E: i32, Ev: i32, scale: f64, causal: i32, maskBatchStride: i32,
): void {
  attentionBackward<f64>(q, k, v, mask, out, lse, dOut, dq, dk, dv, batch, L, S, E, Ev, scale, causal != 0, maskBatchStride)
}
