// The negative log-likelihood of int32 class targets (crossEntropy and nllLoss with index
// targets), forward and backward, and label smoothing's mask of them (targetMask): src/backend/types.ts (nllLoss) says what they compute.
// Scalar f64 arithmetic in the order of the ts kernel (src/backend/ts/nll-loss.ts), so both
// give the same bits: one score per sample is read or written, the rest is a loop over targets.
// A target outside [0, classes) other than ignoreIndex counts as ignored (callers check first).

// @ts-ignore: decorator
@inline function counted(c: i32, classes: i32, ignoreIndex: i32): bool {
  return c != ignoreIndex && c >= 0 && c < classes
}

// @ts-ignore: decorator
@inline function classWeight<T>(w: usize, c: i32): f64 {
  return w != 0 ? <f64>load<T>(w + <usize>c * sizeof<T>()) : 1
}

/** Where sample s = (o, i) reads its class c: x[o, c, i] of [outer, classes, inner], as a byte offset. */
// @ts-ignore: decorator
@inline function at<T>(s: i32, c: i32, classes: i32, inner: i32): usize {
  const o = <usize>(s / inner)
  const i = <usize>(s % inner)
  return ((o * <usize>classes + <usize>c) * <usize>inner + i) * sizeof<T>()
}

/** 1 / Σ w_c over the counted targets for 'mean' (reduction 2), else 1. */
function scaleOf<T>(t: usize, w: usize, n: i32, classes: i32, ignoreIndex: i32, reduction: i32): f64 {
  if (reduction != 2) return 1
  let weightSum: f64 = 0
  for (let s = 0; s < n; s++) {
    const c = load<i32>(t + (<usize>s << 2))
    if (counted(c, classes, ignoreIndex)) weightSum += classWeight<T>(w, c)
  }
  return 1 / weightSum
}

function nllLoss<T>(x: usize, t: usize, w: usize, out: usize, outer: i32, classes: i32, inner: i32, ignoreIndex: i32, reduction: i32): void {
  const n = outer * inner
  let total: f64 = 0
  for (let s = 0; s < n; s++) {
    const c = load<i32>(t + (<usize>s << 2))
    let v: f64 = 0
    if (counted(c, classes, ignoreIndex)) {
      const sw = classWeight<T>(w, c)
      if (sw != 0) v = -sw * <f64>load<T>(x + at<T>(s, c, classes, inner))
    }
    if (reduction == 0) store<T>(out + <usize>s * sizeof<T>(), <T>v)
    else total += v
  }
  if (reduction != 0) store<T>(out, <T>(total * scaleOf<T>(t, w, n, classes, ignoreIndex, reduction)))
}

function nllLossBackward<T>(g: usize, t: usize, w: usize, gx: usize, outer: i32, classes: i32, inner: i32, ignoreIndex: i32, reduction: i32): void {
  const n = outer * inner
  memory.fill(gx, 0, <usize>n * <usize>classes * sizeof<T>())
  const scale = scaleOf<T>(t, w, n, classes, ignoreIndex, reduction)
  for (let s = 0; s < n; s++) {
    const c = load<i32>(t + (<usize>s << 2))
    if (!counted(c, classes, ignoreIndex)) continue
    const sw = classWeight<T>(w, c)
    if (sw == 0) continue
    const gs = <f64>load<T>(g + (reduction == 0 ? <usize>s * sizeof<T>() : 0))
    store<T>(gx + at<T>(s, c, classes, inner), <T>(-sw * scale * gs))
  }
}

/** Label smoothing's mask: kept[s] = 1 for each counted target, else 0; weightSum[0] = Σ w_c over them. */
function targetMask<T>(t: usize, w: usize, kept: usize, weightSum: usize, n: i32, classes: i32, ignoreIndex: i32): void {
  let sum: f64 = 0
  for (let s = 0; s < n; s++) {
    const c = load<i32>(t + (<usize>s << 2))
    const k = counted(c, classes, ignoreIndex)
    store<T>(kept + <usize>s * sizeof<T>(), <T>(k ? 1 : 0))
    if (k) sum += classWeight<T>(w, c)
  }
  store<T>(weightSum, <T>sum)
}

export function nllLoss_f32(x: usize, t: usize, w: usize, out: usize, outer: i32, classes: i32, inner: i32, ignoreIndex: i32, reduction: i32): void {
  nllLoss<f32>(x, t, w, out, outer, classes, inner, ignoreIndex, reduction)
}
export function nllLoss_f64(x: usize, t: usize, w: usize, out: usize, outer: i32, classes: i32, inner: i32, ignoreIndex: i32, reduction: i32): void {
  nllLoss<f64>(x, t, w, out, outer, classes, inner, ignoreIndex, reduction)
}
export function nllLossBackward_f32(g: usize, t: usize, w: usize, gx: usize, outer: i32, classes: i32, inner: i32, ignoreIndex: i32, reduction: i32): void {
  nllLossBackward<f32>(g, t, w, gx, outer, classes, inner, ignoreIndex, reduction)
}
export function nllLossBackward_f64(g: usize, t: usize, w: usize, gx: usize, outer: i32, classes: i32, inner: i32, ignoreIndex: i32, reduction: i32): void {
  nllLossBackward<f64>(g, t, w, gx, outer, classes, inner, ignoreIndex, reduction)
}
export function targetMask_f32(t: usize, w: usize, kept: usize, weightSum: usize, n: i32, classes: i32, ignoreIndex: i32): void {
  targetMask<f32>(t, w, kept, weightSum, n, classes, ignoreIndex)
}
export function targetMask_f64(t: usize, w: usize, kept: usize, weightSum: usize, n: i32, classes: i32, ignoreIndex: i32): void {
  targetMask<f64>(t, w, kept, weightSum, n, classes, ignoreIndex)
}
