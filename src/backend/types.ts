import type { FloatArray } from '../dtype.js'
import type { BINARY_OPS, COMPARE_OPS, POINTWISE_LOSSES } from './opcodes.js'
import type { UnaryOpName } from './optable.js'
import type { IndexKernels } from './types-index.js'

/**
 * The Backend interface: every numeric kernel yann runs, typed and documented once.
 *
 * Conventions shared by every kernel:
 * - Arrays are flat, contiguous, row-major. Inputs and outputs of one call share one
 *   float type (all Float32Array or all Float64Array); the caller guarantees it.
 * - Outputs are passed in (`out`) and fully overwritten, unless a kernel says it
 *   updates in place. `out` never aliases an input unless the kernel says it may.
 * - Shapes are already checked by the caller (src/ops/): kernels never validate.
 * - A "length 1 broadcasts" argument may hold one value that stands for every element.
 */

/** Elementwise functions of one tensor: the op table's entries (src/backend/optable.ts). */
export type UnaryOp = UnaryOpName

/**
 * Elementwise functions of two broadcast tensors.
 * `gt` and `eq` return 1 where the comparison holds, else 0 (masks for gradients).
 */
export type BinaryOp = (typeof BINARY_OPS)[number]

/** Comparisons of two broadcast tensors, giving bool (one byte per element). */
export type CompareOp = (typeof COMPARE_OPS)[number]

/** Pointwise losses, before reduction. */
export type PointwiseLoss = (typeof POINTWISE_LOSSES)[number]

/**
 * Batched GEMM's shape: out[b] = op(A[b]) · op(B[b]) (+ bias), out is [batch, m, n].
 * A[b] starts at b·aBatchStride and is [m, k] (or [k, m] when transA);
 * B[b] starts at b·bBatchStride and is [k, n] (or [n, k] when transB).
 * A batch stride of 0 broadcasts one matrix over the batch.
 */
export interface GemmOptions {
  m: number
  n: number
  k: number
  /** Default 1. */
  batch?: number
  /** Default false. */
  transA?: boolean
  /** Default false. */
  transB?: boolean
  /** Default 0. */
  aBatchStride?: number
  /** Default 0. */
  bBatchStride?: number
  /** Length n, added to every row of out (default none). */
  bias?: FloatArray | null
}

/** A block of memory kernels use in place (parameters, their gradients, optimiser state). */
export interface PinnedBlock {
  readonly length: number
  /** A typed array over the block, valid now (memory.grow detaches old views): never keep it across ops. */
  view(): FloatArray
  /** Returns the block; later calls are no-ops. */
  free(): void
}

/** Where pinned blocks come from: the wasm heap, once the wasm backend is loaded. */
export interface PinnedMemory {
  alloc(dtype: 'float32' | 'float64', length: number): PinnedBlock
}

export interface SgdOptions {
  lr: number
  momentum: number
  dampening: number
  nesterov: boolean
  weightDecay: number
}

export interface AdamOptions {
  lr: number
  beta1: number
  beta2: number
  eps: number
  weightDecay: number
  /** AdamW: decay the weights (p *= 1 - lr·wd) instead of adding wd·p to the gradient. */
  decoupled: boolean
}

/** Sizes of one fused attention call: q [batch, L, E], k [batch, S, E], v [batch, S, Ev]. */
export interface AttentionShape {
  batch: number
  L: number
  S: number
  E: number
  Ev: number
  scale: number
  /** Query i attends to keys j ≤ i only (PyTorch's top-left causal mask). */
  causal: boolean
  /** The additive mask of batch b is [L, S] at b·maskBatchStride (0 shares one). */
  maskBatchStride: number
}

export interface RmspropOptions {
  lr: number
  alpha: number
  eps: number
  weightDecay: number
  /** Used when a momentum buffer is given. */
  momentum: number
}

export interface AdagradOptions {
  /** This step's rate: lr / (1 + (step − 1)·lrDecay). */
  lr: number
  eps: number
  weightDecay: number
}

/**
 * The geometry of a 2-d window sweep over [h, w] planes (convolution and pooling):
 * kernel kh×kw, stride sh×sw, zero padding ph×pw, dilation dh×dw, output oh×ow.
 */
export interface ConvGeometry {
  h: number
  w: number
  kh: number
  kw: number
  sh: number
  sw: number
  ph: number
  pw: number
  dh: number
  dw: number
  oh: number
  ow: number
}

/**
 * A convolution's sizes for the fused kernels (conv2d, conv2dInputGrad, conv2dWeightGrad):
 * x [n, c, h, w], weight [groups, oc/groups, (c/groups)·kh·kw] (PyTorch's [oc, c/groups, kh, kw]),
 * y [n, oc, oh·ow], geometry `g` of the sweep over each [h, w] plane.
 */
export interface Conv2dOptions {
  n: number
  c: number
  oc: number
  groups: number
  g: ConvGeometry
  /** conv2d only: [oc], added to each output channel after its sum (as a separate add would). */
  bias?: FloatArray | null
}

/**
 * A new kernel family (conv, pooling, attention…) adds its methods here (or, reading int32
 * indices, in types-index.ts), its ts kernels in backend/ts/, its AssemblyScript kernels in
 * assembly/, and its wasm binding (one `invoke` per method) in backend/wasm/: see CONTRIBUTING.md.
 */
export interface Backend extends IndexKernels {
  readonly name: 'ts' | 'wasm'

  /** out[i] = op(x[i]). `out` may alias `x`. */
  unary(op: UnaryOp, x: FloatArray, out: FloatArray): void

  /**
   * out[i] = dy[i] · op'(x[i]), the vector-Jacobian product of `unary`.
   * `y` is the forward output (sigmoid, tanh, exp and sqrt use it; relu uses y > 0).
   * relu'(0) = 0 and abs'(0) = 0, as in PyTorch.
   */
  unaryBackward(op: UnaryOp, x: FloatArray, y: FloatArray, dy: FloatArray, out: FloatArray): void

  /** out[i] = x[i] ** p. */
  powScalar(x: FloatArray, p: number, out: FloatArray): void
  /** out[i] = dy[i] · p · x[i] ** (p − 1); all zeros when p = 0 (PyTorch's rule). */
  powScalarBackward(x: FloatArray, p: number, dy: FloatArray, out: FloatArray): void

  /** out[i] = min(max(x[i], lo), hi). NaN passes through. */
  clamp(x: FloatArray, lo: number, hi: number, out: FloatArray): void
  /** out[i] = dy[i] where lo ≤ x[i] ≤ hi, else 0 (PyTorch's inclusive mask). */
  clampBackward(x: FloatArray, lo: number, hi: number, dy: FloatArray, out: FloatArray): void

  /**
   * out = op(a, b) with broadcasting. `outShape` is the broadcast shape; `aStrides` and
   * `bStrides` are element strides of a and b aligned to `outShape` (0 on broadcast dims).
   * `out` may alias `a` or `b` when that operand already has `outShape` (in-place accumulate).
   */
  binary(
    op: BinaryOp,
    a: FloatArray,
    b: FloatArray,
    out: FloatArray,
    outShape: readonly number[],
    aStrides: readonly number[],
    bStrides: readonly number[],
  ): void

  /**
   * out[i] = 1 where op(a, b) holds, else 0, broadcast as in `binary`. NaN compares false (ne: true).
   */
  compare(
    op: CompareOp,
    a: FloatArray,
    b: FloatArray,
    out: Uint8Array,
    outShape: readonly number[],
    aStrides: readonly number[],
    bStrides: readonly number[],
  ): void

  /**
   * Max (min when `min`) over the middle axis of x viewed as [outer, n, inner]: values[o, i] and
   * indices[o, i] (the first extreme j). NaN is the extreme: it propagates, as in PyTorch.
   */
  maxAxis(x: FloatArray, values: FloatArray, indices: Int32Array, outer: number, n: number, inner: number, min: boolean): void

  /**
   * out[o, i] = m + log Σ_j exp(x[o, j, i] − m) over the middle axis of [outer, n, inner], m the
   * max (0 when the max is infinite, so all −inf gives −inf). Sums in float64.
   */
  logsumexp(x: FloatArray, out: FloatArray, outer: number, n: number, inner: number): void

  /**
   * out[idx] = x[offset + Σ idx[d]·strides[d]] for every index of `outShape`.
   * One gather for transpose, broadcastTo and slicing.
   */
  stridedCopy(x: FloatArray, out: FloatArray, outShape: readonly number[], strides: readonly number[], offset: number): void

  /**
   * A bool mask (one byte per element) as an additive one, broadcast as stridedCopy reads:
   * out[idx] = mask[Σ idx[d]·strides[d]] ? 0 : −∞ for every index of `outShape` (attention's attnMask).
   */
  additiveMask(mask: Uint8Array, out: FloatArray, outShape: readonly number[], strides: readonly number[]): void

  /** Batched GEMM with optional bias: see GemmOptions. */
  gemm(a: FloatArray, b: FloatArray, out: FloatArray, o: GemmOptions): void

  /**
   * Sum over the middle axis of x viewed as [outer, n, inner], times `scale`:
   * out[o, i] = scale · Σ_j x[o, j, i]. Sum-all is outer = inner = 1; mean is scale 1/n.
   */
  sumAxis(x: FloatArray, out: FloatArray, outer: number, n: number, inner: number, scale: number): void

  /** out[0] = Σ x[i]², summed in float64 (clipGradNorm's 2-norm; out has x's dtype, length 1). */
  sumSquares(x: FloatArray, out: FloatArray): void

  /** Softmax (or log-softmax when `log`) over the middle axis of [outer, n, inner], max-shifted. */
  softmax(x: FloatArray, out: FloatArray, outer: number, n: number, inner: number, log: boolean): void
  /**
   * Its vector-Jacobian product, from the forward output y:
   * softmax: dx = y·(dy − Σ dy·y); log-softmax: dx = dy − exp(y)·Σ dy.
   */
  softmaxBackward(y: FloatArray, dy: FloatArray, out: FloatArray, outer: number, n: number, inner: number, log: boolean): void

  /**
   * Pointwise loss values, weighted: out[i] = w[i] · ℓ(x[i], t[i]). `w` is null or has x's length.
   * - bce: −(t·max(log x, −100) + (1−t)·max(log(1−x), −100))   (PyTorch clamps each log at −100)
   * - bceWithLogits: (1−t)·x + log(1 + exp(−x)), computed stably as max(−x,0) + log(e^{−m} + e^{−x−m})
   * - mse: (x − t)²
   */
  pointwiseLoss(kind: PointwiseLoss, x: FloatArray, t: FloatArray, w: FloatArray | null, out: FloatArray): void
  /**
   * Gradient with respect to x: out[i] = scale · dy[i] · w[i] · ∂ℓ/∂x. `dy` has length 1 (broadcast) or x's.
   * - bce: (x − t) / max(x·(1 − x), 1e−12)   (PyTorch's floor)
   * - bceWithLogits: sigmoid(x) − t
   * - mse: 2·(x − t)
   */
  pointwiseLossBackward(
    kind: PointwiseLoss,
    x: FloatArray,
    t: FloatArray,
    w: FloatArray | null,
    dy: FloatArray,
    scale: number,
    out: FloatArray,
  ): void

  /**
   * One SGD step in place on `param` (and `momentumBuffer`), PyTorch's rule:
   * d = g + wd·p; if momentum: buf = first ? d : momentum·buf + (1 − dampening)·d,
   * d = nesterov ? d + momentum·buf : buf; p −= lr·d. `momentumBuffer` is null without momentum.
   */
  sgdStep(param: FloatArray, grad: FloatArray, momentumBuffer: FloatArray | null, firstStep: boolean, o: SgdOptions): void

  /**
   * One Adam/AdamW step in place on `param`, `expAvg`, `expAvgSq` (PyTorch's rule, step counted from 1):
   * Adam: g += wd·p; AdamW: p *= 1 − lr·wd. m += (1−β1)(g − m); v = β2·v + (1−β2)·g²;
   * p −= lr/(1−β1^step) · m / (sqrt(v)/sqrt(1−β2^step) + eps).
   */
  adamStep(param: FloatArray, grad: FloatArray, expAvg: FloatArray, expAvgSq: FloatArray, step: number, o: AdamOptions): void

  /**
   * Unfold [planes, h, w] into cols [planes, kh·kw, oh·ow]: cols[p, ki·kw + kj, oy·ow + ox] =
   * x[p, oy·sh − ph + ki·dh, ox·sw − pw + kj·dw], 0 outside. Convolution is a GEMM over cols.
   */
  im2col(x: FloatArray, cols: FloatArray, planes: number, g: ConvGeometry): void
  /** The adjoint of im2col: dx[p, y, x] = Σ of the cols entries copied from it. Overwrites dx. */
  col2im(cols: FloatArray, dx: FloatArray, planes: number, g: ConvGeometry): void
  /**
   * Convolution, unfold and GEMM in one call (the columns never exist outside the kernel):
   * y[b, group] = weight[group] · im2col(x[b])[group] (+ o.bias per channel), the exact result of
   * im2col + gemm (+ add).
   */
  conv2d(x: FloatArray, weight: FloatArray, y: FloatArray, o: Conv2dOptions): void
  /** Its input gradient: dx[b] = col2im(weight[group]ᵀ · dy[b, group]). Overwrites dx. */
  conv2dInputGrad(dy: FloatArray, weight: FloatArray, dx: FloatArray, o: Conv2dOptions): void
  /** Its weight gradient: dw[group] = Σ_b dy[b, group] · im2col(x[b])[group]ᵀ, b summed in order. Overwrites dw. */
  conv2dWeightGrad(x: FloatArray, dy: FloatArray, dw: FloatArray, o: Conv2dOptions): void

  /**
   * Max over each window of [planes, h, w] (padding counts as −∞); `indices` (same float type)
   * gets the winner's flat position y·w + x within its plane: the first on ties, a NaN wins.
   */
  maxPool2d(x: FloatArray, out: FloatArray, indices: FloatArray, planes: number, g: ConvGeometry): void
  /**
   * dx[p, indices[p, o]] += dy[p, o], with dx [planes, hw] zeroed first. `tiledWidth` > 0 says
   * the windows are 2 × 2 at stride 2 tiling each plane exactly, of that width (a kernel may
   * then write each window's four elements at once).
   */
  maxPool2dBackward(dy: FloatArray, indices: FloatArray, dx: FloatArray, planes: number, hw: number, ohw: number, tiledWidth?: number): void
  /**
   * Window averages of [planes, h, w] into [planes, oh, ow]. `win` (same float type) is
   * [yStart(oh), yEnd(oh), yDiv(oh), xStart(ow), xEnd(ow), xDiv(ow)]: windows clipped to the
   * input, out = window sum / (yDiv·xDiv). Serves avgPool2d and adaptiveAvgPool2d.
   */
  avgPool2d(x: FloatArray, out: FloatArray, planes: number, h: number, w: number, oh: number, ow: number, win: FloatArray): void
  /** Its adjoint: each dy / divisor added over its window; dx zeroed first. */
  avgPool2dBackward(dy: FloatArray, dx: FloatArray, planes: number, h: number, w: number, oh: number, ow: number, win: FloatArray): void

  /**
   * Fused attention (see ts/attention.ts): out [batch, L, Ev] = softmax(scale·q·kᵀ + mask)·v,
   * row by row, and lse [batch, L], the log-sum-exp of each row of scores (−∞ for a fully
   * masked row, whose output is 0). `mask` is an additive float mask or null.
   */
  attention(q: FloatArray, k: FloatArray, v: FloatArray, mask: FloatArray | null, out: FloatArray, lse: FloatArray, s: AttentionShape): void
  /** Its vector-Jacobian product from the forward's out and lse; overwrites dq, dk, dv. */
  attentionBackward(
    q: FloatArray, k: FloatArray, v: FloatArray, mask: FloatArray | null, out: FloatArray, lse: FloatArray, dOut: FloatArray,
    dq: FloatArray, dk: FloatArray, dv: FloatArray, s: AttentionShape,
  ): void

  /**
   * Batch norm of x viewed as [N, C, S] (see ts/batch-norm.ts), C = mean.length: training
   * (runningMean and runningVar null) writes each channel's mean and biased variance over its N·S
   * values; eval copies the running ones there. w and b (length C) may be null.
   */
  batchNorm(
    x: FloatArray, w: FloatArray | null, b: FloatArray | null, runningMean: FloatArray | null, runningVar: FloatArray | null,
    out: FloatArray, mean: FloatArray, variance: FloatArray, s: number, eps: number,
  ): void
  /** Its vector-Jacobian product from the forward's mean and variance (constant ones unless `training`); overwrites dx, dw and db (which may be null). */
  batchNormBackward(
    x: FloatArray, w: FloatArray | null, mean: FloatArray, variance: FloatArray, g: FloatArray,
    dx: FloatArray, dw: FloatArray | null, db: FloatArray | null, s: number, eps: number, training: boolean,
  ): void
  /** Layer norm of rows of n elements (see ts/layer-norm.ts); w and b (length n) may be null; mean and rstd get one value per row. */
  layerNorm(x: FloatArray, w: FloatArray | null, b: FloatArray | null, out: FloatArray, mean: FloatArray, rstd: FloatArray, n: number, eps: number): void
  /** Its vector-Jacobian product from the forward's mean and rstd; overwrites dx, dw and db (which may be null). */
  layerNormBackward(x: FloatArray, w: FloatArray | null, mean: FloatArray, rstd: FloatArray, g: FloatArray, dx: FloatArray, dw: FloatArray | null, db: FloatArray | null, n: number): void
  /** GELU of x into out: x·Φ(x), or the tanh approximation (see ts/gelu.ts); `slope` (exact form) also gets gelu'(x). */
  gelu(x: FloatArray, out: FloatArray, tanhForm: boolean, slope?: FloatArray | null): void
  /** Its vector-Jacobian product: dx = g·gelu'(x), from the forward's `slope` when given (x may then be null), else from x. */
  geluBackward(x: FloatArray | null, g: FloatArray, dx: FloatArray, tanhForm: boolean, slope?: FloatArray | null): void

  /**
   * One RMSprop step in place (PyTorch's rule): g += wd·p; s = α·s + (1−α)·g²;
   * centered (gradAvg given): a += (1−α)(g − a), avg = sqrt(s − a²) + eps, else avg = sqrt(s) + eps;
   * with a momentum buffer: b = momentum·b + g/avg, p −= lr·b; else p −= lr·g/avg.
   * `gradAvg` and `momentumBuffer` are null when not centered / without momentum.
   */
  rmspropStep(param: FloatArray, grad: FloatArray, squareAvg: FloatArray, gradAvg: FloatArray | null, momentumBuffer: FloatArray | null, o: RmspropOptions): void

  /** One Adagrad step in place (PyTorch's rule): g += wd·p; s += g²; p −= lr·g / (sqrt(s) + eps). */
  adagradStep(param: FloatArray, grad: FloatArray, sum: FloatArray, o: AdagradOptions): void

  /**
   * Dropout's mask into `out`, in blocks of `per` elements: each block 0 when its draw of
   * `random()` is below p, else 1 / (1 − p). The draws are JavaScript's on every backend; being a
   * kernel call, a compiled step (compile()) makes them anew at each replay, as eager would.
   */
  dropoutMask(out: FloatArray, o: DropoutMaskOptions): void
}

/** dropoutMask's options: the drop probability, the block length, the generator's draw. */
export interface DropoutMaskOptions {
  p: number
  per: number
  random: () => number
}
