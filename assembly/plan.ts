// compile()'s plan interpreter (src/compile/wasm-plan.ts writes the op list): a recorded
// training step replayed as one call into wasm. A record `r` (8-byte aligned) is
//   [f64 arg argc-1 … f64 arg 0] r: [id, step, argc, metaInts] [i32 arg 0 … arg argc-1] [i32 meta …]
// with its head at r (four i32; `step` is the byte distance to the next record's head) and
// every arg written twice, as f64 before the head (arg i at r − 8·(i+1)) and as i32 after it
// (arg i at r + 16 + 4·i): a pointer, count or flag is one integer load at a fixed offset, a
// floating-point scalar one f64 load, neither decoded at replay. (Decoding ~100 integers a
// seed step from f64, an add of 1.5·2^52 and a move each, partly in chains, cost ~0.5 ns each.)
// An arg is as the kernel export takes it; the meta ints (shapes and strides of binary and
// stridedCopy) are copied to `scratch` before the call (the kernels use the counters there as
// scratch); the word before `scratch` holds the record of a kernel allocating its scratch while
// it runs (mark()). Kernel ids are listed in PLAN_KERNELS (src/compile/plan-kernels.ts):
// id = KERNEL_BASE + 2·index + (f64 ? 1 : 0). An unknown id traps (unreachable): the JS side names it.

import { unary_f32, unary_f64, unaryBackward_f32, unaryBackward_f64 } from './unary.generated'
import {
  powScalar_f32, powScalar_f64, powScalarBackward_f32, powScalarBackward_f64,
  clamp_f32, clamp_f64, clampBackward_f32, clampBackward_f64,
} from './elementwise'
import { stridedCopy_f32, stridedCopy_f64 } from './strided-copy'
import { binary_f32, binary_f64 } from './binary.generated'
import { gemm_f32, gemm_f64 } from './gemm'
import { madd } from './fma'
import { sumAxis_f32, sumAxis_f64, softmax_f32, softmax_f64, softmaxBackward_f32, softmaxBackward_f64 } from './reduce'
import {
  indexSelect_f32, indexSelect_f64, indexAdd_f32, indexAdd_f64, flatIndex_f32, flatIndex_f64,
  compare_f32, compare_f64, maxAxis_f32, maxAxis_f64,
} from './compare'
import { attention_f32, attention_f64, attentionBackward_f32, attentionBackward_f64 } from './attention'
import { gelu_f32, gelu_f64, geluBackward_f32, geluBackward_f64 } from './gelu'
import { layerNorm_f32, layerNorm_f64, layerNormBackward_f32, layerNormBackward_f64 } from './layer-norm'
import { im2col_f32, im2col_f64, col2im_f32, col2im_f64, copyRun } from './conv'
import {
  conv2d_f32, conv2d_f64, conv2dInputGrad_f32, conv2dInputGrad_f64, conv2dWeightGrad_f32, conv2dWeightGrad_f64,
} from './convgemm'
import {
  maxPool2d_f32, maxPool2d_f64, maxPool2dBackward_f32, maxPool2dBackward_f64,
  avgPool2d_f32, avgPool2d_f64, avgPool2dBackward_f32, avgPool2dBackward_f64,
} from './pool'
import { logsumexp_f32, logsumexp_f64 } from './logsumexp'
import { sumSquares_f32, sumSquares_f64 } from './sum-squares'
import { additiveMask_f32, additiveMask_f64 } from './additive-mask'
import { batchNorm_f32, batchNorm_f64, batchNormBackward_f32, batchNormBackward_f64 } from './batch-norm'
import { pointwiseLoss_f32, pointwiseLoss_f64, pointwiseLossBackward_f32, pointwiseLossBackward_f64 } from './loss'
import { nllLoss_f32, nllLoss_f64, nllLossBackward_f32, nllLossBackward_f64, targetMask_f32, targetMask_f64 } from './nll-loss'
import {
  sgdStep_f32, sgdStep_f64, adamStep_f32, adamStep_f64, rmspropStep_f32, rmspropStep_f64, adagradStep_f32, adagradStep_f64,
} from './optim'

const COPY = 1
const FILL_F32 = 2
const FILL_F64 = 3
// A gemm (args 0-11) and the unary kernel on its output (args 12-15): one dispatch for the two.
const GEMM_UNARY_F32 = 4
const GEMM_UNARY_F64 = 5
// binaryCrossEntropy's input check (args: pointer, length): every element in [0, 1], NaN not.
const CHECK_UNIT_F32 = 6
const CHECK_UNIT_F64 = 7
// BatchNorm's running statistics (args: mean, var, runningMean | 0, runningVar | 0, channels,
// momentum, unbias) and numBatchesTracked + 1 (args: pointer to the int32).
const RUNNING_STATS_F32 = 8
const RUNNING_STATS_F64 = 9
const INCREMENT_I32 = 10
const KERNEL_BASE = 16

// @ts-ignore: decorator
@inline function f(r: usize, i: i32): f64 { return load<f64>(r - 8 - (<usize>i << 3)) }
// @ts-ignore: decorator
@inline function n(r: usize, i: i32): i32 { return load<i32>(r + 16 + (<usize>i << 2)) }
// @ts-ignore: decorator
@inline function p(r: usize, i: i32): usize { return <usize>n(r, i) }
// @ts-ignore: decorator
@inline function b(r: usize, i: i32): bool { return f(r, i) != 0 }

/**
 * Runs the `count` ops whose first head is at `ops`; `scratch` takes each op's meta ints.
 * Returns the ops run: fewer than `count` when a check failed (the JS side then throws eager's
 * error for it).
 */
export function runPlan(ops: usize, count: i32, scratch: usize): i32 {
  let r = ops
  for (let k = 0; k < count; k++) {
    const next = r + <usize>load<i32>(r, 4)
    const metaInts = load<i32>(r, 12)
    const meta = r + 16 + (<usize>load<i32>(r, 8) << 2)
    for (let j = 0; j < metaInts; j++) store<i32>(scratch + (<usize>j << 2), load<i32>(meta + (<usize>j << 2)))
    if (!run(load<i32>(r), r, scratch)) return k
    r = next
  }
  return count
}

/** Every one of the `length` elements at `x` is in [0, 1] (NaN is not). */
function inUnit(f64: bool, x: usize, length: i32): bool {
  for (let i = 0; i < length; i++) {
    const v = f64 ? load<f64>(x + (<usize>i << 3)) : <f64>load<f32>(x + (<usize>i << 2))
    if (!(v >= 0 && v <= 1)) return false
  }
  return true
}

/**
 * r ← (1 − momentum)·r + momentum·stat per channel in f64, each operation in the order of
 * src/ops/norm.ts updateRunning (JS doubles and wasm f64 round alike; no fused multiply-add),
 * so the stored values are eager's bits.
 */
function runningStats<T>(r: usize): void {
  const mean = p(r, 0), variance = p(r, 1), rm = p(r, 2), rv = p(r, 3), c = n(r, 4)
  const momentum = f(r, 5), unbias = f(r, 6), keep = 1 - momentum
  const sz = <usize>sizeof<T>()
  for (let i = 0; i < c; i++) {
    const o = <usize>i * sz
    if (rm != 0) store<T>(rm + o, <T>(keep * <f64>load<T>(rm + o) + momentum * <f64>load<T>(mean + o)))
    if (rv != 0) store<T>(rv + o, <T>(keep * <f64>load<T>(rv + o) + momentum * <f64>load<T>(variance + o) * unbias))
  }
}

/**
 * Runs op `id` of record `r`; false where a check op found a bad element. (The checks answer
 * here, not with a test of the id in runPlan's loop: that test cost every op of a seed step
 * ~1 ns, 5% of the compiled step.) Inlined into runPlan's loop: a call per op cost ~1 ns more.
 */
// @ts-ignore: decorator
@inline function run(id: i32, r: usize, s: usize): bool {
  switch (id) {
    case COPY: copy(p(r, 0), p(r, 1), p(r, 2)); break
    case CHECK_UNIT_F32: return inUnit(false, p(r, 0), n(r, 1))
    case CHECK_UNIT_F64: return inUnit(true, p(r, 0), n(r, 1))
    case RUNNING_STATS_F32: runningStats<f32>(r); break
    case RUNNING_STATS_F64: runningStats<f64>(r); break
    case INCREMENT_I32: { const d = p(r, 0); store<i32>(d, load<i32>(d) + 1) } break
    case GEMM_UNARY_F32: gemm<f32>(r, s); unary_f32(n(r, 12), p(r, 13), p(r, 14), n(r, 15)); break
    case GEMM_UNARY_F64: gemm<f64>(r, s); unary_f64(n(r, 12), p(r, 13), p(r, 14), n(r, 15)); break
    case FILL_F32: { const d = p(r, 0); const v = <f32>f(r, 2); for (let i = 0, e = n(r, 1); i < e; i++) store<f32>(d + (<usize>i << 2), v) } break
    case FILL_F64: { const d = p(r, 0); const v = f(r, 2); for (let i = 0, e = n(r, 1); i < e; i++) store<f64>(d + (<usize>i << 3), v) } break
    case KERNEL_BASE + 0: unary_f32(n(r, 0), p(r, 1), p(r, 2), n(r, 3)); break
    case KERNEL_BASE + 1: unary_f64(n(r, 0), p(r, 1), p(r, 2), n(r, 3)); break
    case KERNEL_BASE + 2: unaryBackward_f32(n(r, 0), p(r, 1), p(r, 2), p(r, 3), p(r, 4), n(r, 5)); break
    case KERNEL_BASE + 3: unaryBackward_f64(n(r, 0), p(r, 1), p(r, 2), p(r, 3), p(r, 4), n(r, 5)); break
    case KERNEL_BASE + 4: powScalar_f32(p(r, 0), f(r, 1), p(r, 2), n(r, 3)); break
    case KERNEL_BASE + 5: powScalar_f64(p(r, 0), f(r, 1), p(r, 2), n(r, 3)); break
    case KERNEL_BASE + 6: powScalarBackward_f32(p(r, 0), f(r, 1), p(r, 2), p(r, 3), n(r, 4)); break
    case KERNEL_BASE + 7: powScalarBackward_f64(p(r, 0), f(r, 1), p(r, 2), p(r, 3), n(r, 4)); break
    case KERNEL_BASE + 8: clamp_f32(p(r, 0), f(r, 1), f(r, 2), p(r, 3), n(r, 4)); break
    case KERNEL_BASE + 9: clamp_f64(p(r, 0), f(r, 1), f(r, 2), p(r, 3), n(r, 4)); break
    case KERNEL_BASE + 10: clampBackward_f32(p(r, 0), f(r, 1), f(r, 2), p(r, 3), p(r, 4), n(r, 5)); break
    case KERNEL_BASE + 11: clampBackward_f64(p(r, 0), f(r, 1), f(r, 2), p(r, 3), p(r, 4), n(r, 5)); break
    case KERNEL_BASE + 12: binary_f32(n(r, 0), p(r, 1), n(r, 2), p(r, 3), n(r, 4), p(r, 5), n(r, 6), n(r, 7), p(r, 8)); break
    case KERNEL_BASE + 13: binary_f64(n(r, 0), p(r, 1), n(r, 2), p(r, 3), n(r, 4), p(r, 5), n(r, 6), n(r, 7), p(r, 8)); break
    case KERNEL_BASE + 14: stridedCopy_f32(p(r, 0), p(r, 1), n(r, 2), n(r, 3), p(r, 4), n(r, 5)); break
    case KERNEL_BASE + 15: stridedCopy_f64(p(r, 0), p(r, 1), n(r, 2), n(r, 3), p(r, 4), n(r, 5)); break
    case KERNEL_BASE + 16: gemm<f32>(r, s); break
    case KERNEL_BASE + 17: gemm<f64>(r, s); break
    case KERNEL_BASE + 18: sumAxis_f32(p(r, 0), p(r, 1), n(r, 2), n(r, 3), n(r, 4), f(r, 5)); break
    case KERNEL_BASE + 19: sumAxis_f64(p(r, 0), p(r, 1), n(r, 2), n(r, 3), n(r, 4), f(r, 5)); break
    case KERNEL_BASE + 20: softmax_f32(p(r, 0), p(r, 1), n(r, 2), n(r, 3), n(r, 4), b(r, 5)); break
    case KERNEL_BASE + 21: softmax_f64(p(r, 0), p(r, 1), n(r, 2), n(r, 3), n(r, 4), b(r, 5)); break
    case KERNEL_BASE + 22: softmaxBackward_f32(p(r, 0), p(r, 1), p(r, 2), n(r, 3), n(r, 4), n(r, 5), b(r, 6)); break
    case KERNEL_BASE + 23: softmaxBackward_f64(p(r, 0), p(r, 1), p(r, 2), n(r, 3), n(r, 4), n(r, 5), b(r, 6)); break
    case KERNEL_BASE + 24: pointwiseLoss_f32(n(r, 0), p(r, 1), p(r, 2), p(r, 3), p(r, 4), n(r, 5)); break
    case KERNEL_BASE + 25: pointwiseLoss_f64(n(r, 0), p(r, 1), p(r, 2), p(r, 3), p(r, 4), n(r, 5)); break
    case KERNEL_BASE + 26: pointwiseLossBackward_f32(n(r, 0), p(r, 1), p(r, 2), p(r, 3), p(r, 4), n(r, 5), f(r, 6), p(r, 7), n(r, 8)); break
    case KERNEL_BASE + 27: pointwiseLossBackward_f64(n(r, 0), p(r, 1), p(r, 2), p(r, 3), p(r, 4), n(r, 5), f(r, 6), p(r, 7), n(r, 8)); break
    case KERNEL_BASE + 28: sgdStep_f32(p(r, 0), p(r, 1), p(r, 2), n(r, 3), b(r, 4), f(r, 5), f(r, 6), f(r, 7), b(r, 8), f(r, 9)); break
    case KERNEL_BASE + 29: sgdStep_f64(p(r, 0), p(r, 1), p(r, 2), n(r, 3), b(r, 4), f(r, 5), f(r, 6), f(r, 7), b(r, 8), f(r, 9)); break
    case KERNEL_BASE + 30: adamStep_f32(p(r, 0), p(r, 1), p(r, 2), p(r, 3), n(r, 4), f(r, 5), f(r, 6), f(r, 7), f(r, 8), f(r, 9), f(r, 10), f(r, 11)); break
    case KERNEL_BASE + 31: adamStep_f64(p(r, 0), p(r, 1), p(r, 2), p(r, 3), n(r, 4), f(r, 5), f(r, 6), f(r, 7), f(r, 8), f(r, 9), f(r, 10), f(r, 11)); break
    case KERNEL_BASE + 32: rmspropStep_f32(p(r, 0), p(r, 1), p(r, 2), p(r, 3), p(r, 4), n(r, 5), f(r, 6), f(r, 7), f(r, 8), f(r, 9), f(r, 10)); break
    case KERNEL_BASE + 33: rmspropStep_f64(p(r, 0), p(r, 1), p(r, 2), p(r, 3), p(r, 4), n(r, 5), f(r, 6), f(r, 7), f(r, 8), f(r, 9), f(r, 10)); break
    case KERNEL_BASE + 34: adagradStep_f32(p(r, 0), p(r, 1), p(r, 2), n(r, 3), f(r, 4), f(r, 5), f(r, 6)); break
    case KERNEL_BASE + 35: adagradStep_f64(p(r, 0), p(r, 1), p(r, 2), n(r, 3), f(r, 4), f(r, 5), f(r, 6)); break
    case KERNEL_BASE + 36: nllLoss_f32(p(r, 0), p(r, 1), p(r, 2), p(r, 3), n(r, 4), n(r, 5), n(r, 6), n(r, 7), n(r, 8)); break
    case KERNEL_BASE + 37: nllLoss_f64(p(r, 0), p(r, 1), p(r, 2), p(r, 3), n(r, 4), n(r, 5), n(r, 6), n(r, 7), n(r, 8)); break
    case KERNEL_BASE + 38: nllLossBackward_f32(p(r, 0), p(r, 1), p(r, 2), p(r, 3), n(r, 4), n(r, 5), n(r, 6), n(r, 7), n(r, 8)); break
    case KERNEL_BASE + 39: nllLossBackward_f64(p(r, 0), p(r, 1), p(r, 2), p(r, 3), n(r, 4), n(r, 5), n(r, 6), n(r, 7), n(r, 8)); break
    case KERNEL_BASE + 40: targetMask_f32(p(r, 0), p(r, 1), p(r, 2), p(r, 3), n(r, 4), n(r, 5), n(r, 6)); break
    case KERNEL_BASE + 41: targetMask_f64(p(r, 0), p(r, 1), p(r, 2), p(r, 3), n(r, 4), n(r, 5), n(r, 6)); break
    case KERNEL_BASE + 42: indexSelect_f32(p(r, 0), p(r, 1), p(r, 2), n(r, 3), n(r, 4), n(r, 5), n(r, 6)); break
    case KERNEL_BASE + 43: indexSelect_f64(p(r, 0), p(r, 1), p(r, 2), n(r, 3), n(r, 4), n(r, 5), n(r, 6)); break
    case KERNEL_BASE + 44: indexAdd_f32(p(r, 0), p(r, 1), p(r, 2), n(r, 3), n(r, 4), n(r, 5), n(r, 6)); break
    case KERNEL_BASE + 45: indexAdd_f64(p(r, 0), p(r, 1), p(r, 2), n(r, 3), n(r, 4), n(r, 5), n(r, 6)); break
    case KERNEL_BASE + 46: flatIndex_f32(p(r, 0), p(r, 1), n(r, 2), n(r, 3), p(r, 4), n(r, 5), b(r, 6)); break
    case KERNEL_BASE + 47: flatIndex_f64(p(r, 0), p(r, 1), n(r, 2), n(r, 3), p(r, 4), n(r, 5), b(r, 6)); break
    case KERNEL_BASE + 48: additiveMask_f32(p(r, 0), p(r, 1), n(r, 2), n(r, 3), p(r, 4)); break
    case KERNEL_BASE + 49: additiveMask_f64(p(r, 0), p(r, 1), n(r, 2), n(r, 3), p(r, 4)); break
    case KERNEL_BASE + 50: batchNorm_f32(p(r, 0), p(r, 1), p(r, 2), p(r, 3), p(r, 4), p(r, 5), p(r, 6), p(r, 7), n(r, 8), n(r, 9), n(r, 10), f(r, 11)); break
    case KERNEL_BASE + 51: batchNorm_f64(p(r, 0), p(r, 1), p(r, 2), p(r, 3), p(r, 4), p(r, 5), p(r, 6), p(r, 7), n(r, 8), n(r, 9), n(r, 10), f(r, 11)); break
    case KERNEL_BASE + 52: batchNormBackward_f32(p(r, 0), p(r, 1), p(r, 2), p(r, 3), p(r, 4), p(r, 5), p(r, 6), p(r, 7), n(r, 8), n(r, 9), n(r, 10), f(r, 11), n(r, 12)); break
    case KERNEL_BASE + 53: batchNormBackward_f64(p(r, 0), p(r, 1), p(r, 2), p(r, 3), p(r, 4), p(r, 5), p(r, 6), p(r, 7), n(r, 8), n(r, 9), n(r, 10), f(r, 11), n(r, 12)); break
    case KERNEL_BASE + 54: layerNorm_f32(p(r, 0), p(r, 1), p(r, 2), p(r, 3), p(r, 4), p(r, 5), n(r, 6), n(r, 7), f(r, 8)); break
    case KERNEL_BASE + 55: layerNorm_f64(p(r, 0), p(r, 1), p(r, 2), p(r, 3), p(r, 4), p(r, 5), n(r, 6), n(r, 7), f(r, 8)); break
    case KERNEL_BASE + 56: layerNormBackward_f32(p(r, 0), p(r, 1), p(r, 2), p(r, 3), p(r, 4), p(r, 5), p(r, 6), p(r, 7), n(r, 8), n(r, 9)); break
    case KERNEL_BASE + 57: layerNormBackward_f64(p(r, 0), p(r, 1), p(r, 2), p(r, 3), p(r, 4), p(r, 5), p(r, 6), p(r, 7), n(r, 8), n(r, 9)); break
    case KERNEL_BASE + 58: mark(s, r); attention_f32(p(r, 0), p(r, 1), p(r, 2), p(r, 3), p(r, 4), p(r, 5), n(r, 6), n(r, 7), n(r, 8), n(r, 9), n(r, 10), f(r, 11), n(r, 12), n(r, 13)); mark(s, 0); break
    case KERNEL_BASE + 59: mark(s, r); attention_f64(p(r, 0), p(r, 1), p(r, 2), p(r, 3), p(r, 4), p(r, 5), n(r, 6), n(r, 7), n(r, 8), n(r, 9), n(r, 10), f(r, 11), n(r, 12), n(r, 13)); mark(s, 0); break
    case KERNEL_BASE + 60: mark(s, r); attentionBackward_f32(p(r, 0), p(r, 1), p(r, 2), p(r, 3), p(r, 4), p(r, 5), p(r, 6), p(r, 7), p(r, 8), p(r, 9), n(r, 10), n(r, 11), n(r, 12), n(r, 13), n(r, 14), f(r, 15), n(r, 16), n(r, 17)); mark(s, 0); break
    case KERNEL_BASE + 61: mark(s, r); attentionBackward_f64(p(r, 0), p(r, 1), p(r, 2), p(r, 3), p(r, 4), p(r, 5), p(r, 6), p(r, 7), p(r, 8), p(r, 9), n(r, 10), n(r, 11), n(r, 12), n(r, 13), n(r, 14), f(r, 15), n(r, 16), n(r, 17)); mark(s, 0); break
    case KERNEL_BASE + 62: gelu_f32(p(r, 0), p(r, 1), p(r, 2), n(r, 3), n(r, 4)); break
    case KERNEL_BASE + 63: gelu_f64(p(r, 0), p(r, 1), p(r, 2), n(r, 3), n(r, 4)); break
    case KERNEL_BASE + 64: geluBackward_f32(p(r, 0), p(r, 1), p(r, 2), p(r, 3), n(r, 4), n(r, 5)); break
    case KERNEL_BASE + 65: geluBackward_f64(p(r, 0), p(r, 1), p(r, 2), p(r, 3), n(r, 4), n(r, 5)); break
    case KERNEL_BASE + 66: mark(s, r); conv2d_f32(p(r, 0), p(r, 1), p(r, 2), p(r, 3), n(r, 4), n(r, 5), n(r, 6), n(r, 7), n(r, 8), n(r, 9), n(r, 10), n(r, 11), n(r, 12), n(r, 13), n(r, 14), n(r, 15), n(r, 16), n(r, 17), n(r, 18), n(r, 19)); mark(s, 0); break
    case KERNEL_BASE + 67: mark(s, r); conv2d_f64(p(r, 0), p(r, 1), p(r, 2), p(r, 3), n(r, 4), n(r, 5), n(r, 6), n(r, 7), n(r, 8), n(r, 9), n(r, 10), n(r, 11), n(r, 12), n(r, 13), n(r, 14), n(r, 15), n(r, 16), n(r, 17), n(r, 18), n(r, 19)); mark(s, 0); break
    case KERNEL_BASE + 68: mark(s, r); conv2dInputGrad_f32(p(r, 0), p(r, 1), p(r, 2), n(r, 3), n(r, 4), n(r, 5), n(r, 6), n(r, 7), n(r, 8), n(r, 9), n(r, 10), n(r, 11), n(r, 12), n(r, 13), n(r, 14), n(r, 15), n(r, 16), n(r, 17), n(r, 18)); mark(s, 0); break
    case KERNEL_BASE + 69: mark(s, r); conv2dInputGrad_f64(p(r, 0), p(r, 1), p(r, 2), n(r, 3), n(r, 4), n(r, 5), n(r, 6), n(r, 7), n(r, 8), n(r, 9), n(r, 10), n(r, 11), n(r, 12), n(r, 13), n(r, 14), n(r, 15), n(r, 16), n(r, 17), n(r, 18)); mark(s, 0); break
    case KERNEL_BASE + 70: mark(s, r); conv2dWeightGrad_f32(p(r, 0), p(r, 1), p(r, 2), n(r, 3), n(r, 4), n(r, 5), n(r, 6), n(r, 7), n(r, 8), n(r, 9), n(r, 10), n(r, 11), n(r, 12), n(r, 13), n(r, 14), n(r, 15), n(r, 16), n(r, 17), n(r, 18)); mark(s, 0); break
    case KERNEL_BASE + 71: mark(s, r); conv2dWeightGrad_f64(p(r, 0), p(r, 1), p(r, 2), n(r, 3), n(r, 4), n(r, 5), n(r, 6), n(r, 7), n(r, 8), n(r, 9), n(r, 10), n(r, 11), n(r, 12), n(r, 13), n(r, 14), n(r, 15), n(r, 16), n(r, 17), n(r, 18)); mark(s, 0); break
    case KERNEL_BASE + 72: im2col_f32(p(r, 0), p(r, 1), n(r, 2), n(r, 3), n(r, 4), n(r, 5), n(r, 6), n(r, 7), n(r, 8), n(r, 9), n(r, 10), n(r, 11), n(r, 12), n(r, 13), n(r, 14)); break
    case KERNEL_BASE + 73: im2col_f64(p(r, 0), p(r, 1), n(r, 2), n(r, 3), n(r, 4), n(r, 5), n(r, 6), n(r, 7), n(r, 8), n(r, 9), n(r, 10), n(r, 11), n(r, 12), n(r, 13), n(r, 14)); break
    case KERNEL_BASE + 74: col2im_f32(p(r, 0), p(r, 1), n(r, 2), n(r, 3), n(r, 4), n(r, 5), n(r, 6), n(r, 7), n(r, 8), n(r, 9), n(r, 10), n(r, 11), n(r, 12), n(r, 13), n(r, 14)); break
    case KERNEL_BASE + 75: col2im_f64(p(r, 0), p(r, 1), n(r, 2), n(r, 3), n(r, 4), n(r, 5), n(r, 6), n(r, 7), n(r, 8), n(r, 9), n(r, 10), n(r, 11), n(r, 12), n(r, 13), n(r, 14)); break
    case KERNEL_BASE + 76: maxPool2d_f32(p(r, 0), p(r, 1), p(r, 2), n(r, 3), n(r, 4), n(r, 5), n(r, 6), n(r, 7), n(r, 8), n(r, 9), n(r, 10), n(r, 11), n(r, 12), n(r, 13), n(r, 14), n(r, 15)); break
    case KERNEL_BASE + 77: maxPool2d_f64(p(r, 0), p(r, 1), p(r, 2), n(r, 3), n(r, 4), n(r, 5), n(r, 6), n(r, 7), n(r, 8), n(r, 9), n(r, 10), n(r, 11), n(r, 12), n(r, 13), n(r, 14), n(r, 15)); break
    case KERNEL_BASE + 78: maxPool2dBackward_f32(p(r, 0), p(r, 1), p(r, 2), n(r, 3), n(r, 4), n(r, 5), n(r, 6)); break
    case KERNEL_BASE + 79: maxPool2dBackward_f64(p(r, 0), p(r, 1), p(r, 2), n(r, 3), n(r, 4), n(r, 5), n(r, 6)); break
    case KERNEL_BASE + 80: avgPool2d_f32(p(r, 0), p(r, 1), n(r, 2), n(r, 3), n(r, 4), n(r, 5), n(r, 6), p(r, 7)); break
    case KERNEL_BASE + 81: avgPool2d_f64(p(r, 0), p(r, 1), n(r, 2), n(r, 3), n(r, 4), n(r, 5), n(r, 6), p(r, 7)); break
    case KERNEL_BASE + 82: avgPool2dBackward_f32(p(r, 0), p(r, 1), n(r, 2), n(r, 3), n(r, 4), n(r, 5), n(r, 6), p(r, 7)); break
    case KERNEL_BASE + 83: avgPool2dBackward_f64(p(r, 0), p(r, 1), n(r, 2), n(r, 3), n(r, 4), n(r, 5), n(r, 6), p(r, 7)); break
    case KERNEL_BASE + 84: maxAxis_f32(p(r, 0), p(r, 1), p(r, 2), n(r, 3), n(r, 4), n(r, 5), b(r, 6)); break
    case KERNEL_BASE + 85: maxAxis_f64(p(r, 0), p(r, 1), p(r, 2), n(r, 3), n(r, 4), n(r, 5), b(r, 6)); break
    case KERNEL_BASE + 86: logsumexp_f32(p(r, 0), p(r, 1), n(r, 2), n(r, 3), n(r, 4)); break
    case KERNEL_BASE + 87: logsumexp_f64(p(r, 0), p(r, 1), n(r, 2), n(r, 3), n(r, 4)); break
    case KERNEL_BASE + 88: sumSquares_f32(p(r, 0), p(r, 1), n(r, 2)); break
    case KERNEL_BASE + 89: sumSquares_f64(p(r, 0), p(r, 1), n(r, 2)); break
    case KERNEL_BASE + 90: compare_f32(n(r, 0), p(r, 1), n(r, 2), p(r, 3), n(r, 4), p(r, 5), n(r, 6), n(r, 7), p(r, 8)); break
    case KERNEL_BASE + 91: compare_f64(n(r, 0), p(r, 1), n(r, 2), p(r, 3), n(r, 4), p(r, 5), n(r, 6), n(r, 7), p(r, 8)); break
    default: unreachable()
  }
  return true
}

/**
 * memory.copy of `bytes` (whole elements) from `src` to `dst`; a few dozen bytes that do not
 * overlap (a bias gradient of one row) by hand: V8 makes memory.copy an out-of-line call.
 */
// @ts-ignore: decorator
@inline function copy(dst: usize, src: usize, bytes: usize): void {
  if (bytes <= 64 && (dst + bytes <= src || src + bytes <= dst)) copyRun(dst, src, bytes)
  else memory.copy(dst, src, bytes)
}

/**
 * Record `r` (0: none) runs a kernel that allocates its scratch, which may fail: the JS side
 * reads this word before `scratch` after a trap to name the kernel and its shapes, as eager does.
 */
// @ts-ignore: decorator
@inline function mark(scratch: usize, r: usize): void { store<u32>(scratch - 4, <u32>r) }

/** The gemm export's call from a record, through tinyGemm when it is small (which allocates nothing). */
// @ts-ignore: decorator
@inline function gemm<T>(r: usize, s: usize): void {
  if (tinyGemm<T>(r)) return
  mark(s, r)
  if (sizeof<T>() == 4) gemm_f32(p(r, 0), p(r, 1), p(r, 2), n(r, 3), n(r, 4), n(r, 5), n(r, 6), b(r, 7), b(r, 8), n(r, 9), n(r, 10), p(r, 11))
  else gemm_f64(p(r, 0), p(r, 1), p(r, 2), n(r, 3), n(r, 4), n(r, 5), n(r, 6), b(r, 7), b(r, 8), n(r, 9), n(r, 10), p(r, 11))
  mark(s, 0)
}

/**
 * A small gemm without gemm.ts's packing (which dominates at a few dozen products), computing
 * exactly what gemm.ts computes: each element starts at its bias (or 0) and takes the products
 * one p at a time through the same madd, in order (gemm.ts blocks k by KC = 512 and keeps one
 * accumulator per element, so for k up to that the sums agree bit for bit). False: not small.
 */
function tinyGemm<T>(r: usize): bool {
  const batch = n(r, 3), m = n(r, 4), cols = n(r, 5), k = n(r, 6)
  if (batch != 1 || k < 1 || k > 64 || m * cols * k > 1024) return false
  const a = p(r, 0), bm = p(r, 1), bias = p(r, 11), transA = b(r, 7), transB = b(r, 8)
  const sz = <usize>sizeof<T>()
  // Byte strides of op(A)[i, q] over i and q, and of op(B)[q, j] over q and j.
  const aI = (transA ? <usize>1 : <usize>k) * sz, aQ = (transA ? <usize>m : <usize>1) * sz
  const bQ = (transB ? <usize>1 : <usize>cols) * sz, bJ = (transB ? <usize>k : <usize>1) * sz
  const rowBytes = <usize>cols * sz
  let o = p(r, 2)
  if (!transB) {
    // B's rows are contiguous: a row of the output at a time, q outer and j inner, q = 0 from
    // the bias (or 0), so each element is a load, a product and a store (outer products of the
    // weight gradients, k = 1). Every element still takes its products in q order.
    for (let i = 0; i < m; i++, o += rowBytes) {
      let x = a + <usize>i * aI
      let v = load<T>(x)
      if (bias != 0) for (let j: usize = 0; j < rowBytes; j += sz) store<T>(o + j, madd1<T>(v, load<T>(bm + j), load<T>(bias + j)))
      else for (let j: usize = 0; j < rowBytes; j += sz) store<T>(o + j, madd1<T>(v, load<T>(bm + j), <T>0))
      let row = bm
      for (let q = 1; q < k; q++) {
        x += aQ
        row += bQ
        v = load<T>(x)
        for (let j: usize = 0; j < rowBytes; j += sz) store<T>(o + j, madd1<T>(v, load<T>(row + j), load<T>(o + j)))
      }
    }
    return true
  }
  const span = <usize>k * aQ
  for (let i = 0; i < m; i++, o += rowBytes) {
    const xi = a + <usize>i * aI
    let yj = bm
    for (let j: usize = 0; j < rowBytes; j += sz, yj += bJ) {
      let c: T = bias != 0 ? load<T>(bias + j) : <T>0
      for (let x = xi, y = yj, e = xi + span; x < e; x += aQ, y += bQ) c = madd1<T>(load<T>(x), load<T>(y), c)
      store<T>(o + j, c)
    }
  }
  return true
}

/** c + x·y with gemm.ts's madd on one lane: relaxed_madd may fuse (the same instruction); plain madd is a multiply then an add, as scalar arithmetic rounds. */
// @ts-ignore: decorator
@inline function madd1<T>(x: T, y: T, c: T): T {
  if (ASC_FEATURE_RELAXED_SIMD) return v128.extract_lane<T>(madd<T>(v128.splat<T>(x), v128.splat<T>(y), v128.splat<T>(c)), 0)
  return c + x * y
}
