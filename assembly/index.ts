// yann's WebAssembly kernels. Every export takes byte pointers into this module's
// memory and element counts; the JS side (src/backend/wasm/) stages arrays in and out.

import { allocate } from './alloc'

export { takeFailedAllocation } from './alloc'

/** Allocate `size` bytes from AssemblyScript's heap (TLSF); 16-byte aligned. */
export function alloc(size: usize): usize {
  return allocate(size)
}

/** Free a block from `alloc`. */
export function free(ptr: usize): void {
  heap.free(ptr)
}

export { gemm_f32, gemm_f64 } from './gemm'
export { relaxedSimd } from './fma'
export { unary_f32, unary_f64, unaryBackward_f32, unaryBackward_f64 } from './unary.generated'
export {
  powScalar_f32, powScalar_f64, powScalarBackward_f32, powScalarBackward_f64,
  clamp_f32, clamp_f64, clampBackward_f32, clampBackward_f64,
} from './elementwise'
export { stridedCopy_f32, stridedCopy_f64 } from './strided-copy'
export { binary_f32, binary_f64 } from './binary.generated'
export {
  sumAxis_f32, sumAxis_f64, softmax_f32, softmax_f64, softmaxBackward_f32, softmaxBackward_f64,
} from './reduce'
export { sumSquares_f32, sumSquares_f64 } from './sum-squares'
export {
  pointwiseLoss_f32, pointwiseLoss_f64, pointwiseLossBackward_f32, pointwiseLossBackward_f64,
} from './loss'
export { sgdStep_f32, sgdStep_f64, adamStep_f32, adamStep_f64 } from './optim'
export { im2col_f32, im2col_f64, col2im_f32, col2im_f64 } from './conv'
export {
  conv2d_f32, conv2d_f64, conv2dInputGrad_f32, conv2dInputGrad_f64, conv2dWeightGrad_f32, conv2dWeightGrad_f64,
} from './convgemm'
export {
  maxPool2d_f32, maxPool2d_f64, maxPool2dBackward_f32, maxPool2dBackward_f64,
  avgPool2d_f32, avgPool2d_f64, avgPool2dBackward_f32, avgPool2dBackward_f64,
} from './pool'
export {
  compare_f32, compare_f64, maxAxis_f32, maxAxis_f64, indexSelect_f32, indexSelect_f64, indexAdd_f32, indexAdd_f64,
  gatherAxis_f32, gatherAxis_f64, scatterAddAxis_f32, scatterAddAxis_f64, flatIndex_f32, flatIndex_f64,
} from './compare'
export { attention_f32, attention_f64, attentionBackward_f32, attentionBackward_f64 } from './attention'
export { logsumexp_f32, logsumexp_f64 } from './logsumexp'
export { rmspropStep_f32, rmspropStep_f64, adagradStep_f32, adagradStep_f64 } from './optim'
export { gelu_f32, gelu_f64, geluBackward_f32, geluBackward_f64 } from './gelu'
export { batchNorm_f32, batchNorm_f64, batchNormBackward_f32, batchNormBackward_f64 } from './batch-norm'
export { layerNorm_f32, layerNorm_f64, layerNormBackward_f32, layerNormBackward_f64 } from './layer-norm'
export { nllLoss_f32, nllLoss_f64, nllLossBackward_f32, nllLossBackward_f64, targetMask_f32, targetMask_f64 } from './nll-loss'
export { additiveMask_f32, additiveMask_f64 } from './additive-mask'
export { runPlan } from './plan'
