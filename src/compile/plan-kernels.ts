import type { KernelName } from '../backend/wasm/invoke.js'

/**
 * The kernels compile()'s wasm plan interpreter (assembly/plan.ts) can run, in the order of
 * its switch: id = KERNEL_BASE + 2·index + (f64 ? 1 : 0). Each is a wasm backend method of
 * the same name whose wasm path is exactly one `invoke` and nothing else (no JS work around
 * it), so replaying that one export call with the same arguments is the whole method.
 * A step using any other kernel replays through the JS replay instead (still exact).
 * To add one: append it here and a case for its f32 and f64 export in assembly/plan.ts.
 */
export const PLAN_KERNELS: readonly KernelName[] = [
  'unary', 'unaryBackward', 'powScalar', 'powScalarBackward', 'clamp', 'clampBackward', 'binary', 'stridedCopy',
  'gemm', 'sumAxis', 'softmax', 'softmaxBackward', 'pointwiseLoss', 'pointwiseLossBackward',
  'sgdStep', 'adamStep', 'rmspropStep', 'adagradStep', 'nllLoss', 'nllLossBackward',
  'targetMask', 'indexSelect', 'indexAdd', 'flatIndex', 'additiveMask', 'batchNorm', 'batchNormBackward',
  'layerNorm', 'layerNormBackward', 'attention', 'attentionBackward', 'gelu', 'geluBackward',
  'conv2d', 'conv2dInputGrad', 'conv2dWeightGrad', 'im2col', 'col2im',
  'maxPool2d', 'maxPool2dBackward', 'avgPool2d', 'avgPool2dBackward', 'maxAxis', 'logsumexp', 'sumSquares', 'compare',
]

/** Op ids besides kernels (assembly/plan.ts). */
export const OP_COPY = 1
export const OP_FILL_F32 = 2
export const OP_FILL_F64 = 3
/** A gemm and the unary kernel that reads its output, in one record (wasm-plan.ts fuses them). */
export const OP_GEMM_UNARY_F32 = 4
export const OP_GEMM_UNARY_F64 = 5
/** binaryCrossEntropy's input check: the interpreter stops where an element is outside [0, 1]. */
export const OP_CHECK_UNIT_F32 = 6
export const OP_CHECK_UNIT_F64 = 7
/** BatchNorm's running statistics update (src/ops/norm.ts updateRunning) and numBatchesTracked + 1. */
export const OP_RUNNING_STATS_F32 = 8
export const OP_RUNNING_STATS_F64 = 9
export const OP_INCREMENT_I32 = 10
const KERNEL_BASE = 16

/** The interpreter's id for kernel `name` on f32 or f64 arrays, or -1 when it does not know it. */
export function kernelId(name: string, f64: boolean): number {
  const i = PLAN_KERNELS.indexOf(name as KernelName)
  return i < 0 ? -1 : KERNEL_BASE + 2 * i + (f64 ? 1 : 0)
}
