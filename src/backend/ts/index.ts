import type { Backend } from '../types.js'
import { binary, clamp, clampBackward, powScalar, powScalarBackward, stridedCopy, unary, unaryBackward } from './elementwise.js'
import { col2im, im2col } from './conv.js'
import { conv2d, conv2dInputGrad, conv2dWeightGrad } from './convgemm.js'
import { compare, flatIndex, gatherAxis, indexAdd, indexSelect, logsumexp, maxAxis, scatterAddAxis } from './compare.js'
import { dropoutMask } from './dropout.js'
import { gemm } from './gemm.js'
import { additiveMask } from './additive-mask.js'
import { attention, attentionBackward } from './attention.js'
import { gelu, geluBackward } from './gelu.js'
import { batchNorm, batchNormBackward } from './batch-norm.js'
import { layerNorm, layerNormBackward } from './layer-norm.js'
import { pointwiseLoss, pointwiseLossBackward } from './loss.js'
import { nllLoss, nllLossBackward, targetMask } from './nll-loss.js'
import { avgPool2d, avgPool2dBackward, maxPool2d, maxPool2dBackward } from './pool.js'
import { adagradStep, adamStep, rmspropStep, sgdStep } from './optim.js'
import { softmax, softmaxBackward, sumAxis, sumSquares } from './reduce.js'

/** The pure-TypeScript backend: the reference every other backend is checked against, and the fallback. */
export const tsBackend: Backend = {
  name: 'ts',
  unary,
  unaryBackward,
  powScalar,
  powScalarBackward,
  clamp,
  clampBackward,
  binary,
  stridedCopy,
  compare,
  maxAxis,
  logsumexp,
  indexSelect,
  indexAdd,
  flatIndex,
  gatherAxis,
  scatterAddAxis,
  gemm,
  sumAxis,
  sumSquares,
  softmax,
  softmaxBackward,
  pointwiseLoss,
  pointwiseLossBackward,
  nllLoss,
  nllLossBackward,
  targetMask,
  additiveMask,
  sgdStep,
  adamStep,
  im2col,
  col2im,
  conv2d,
  conv2dInputGrad,
  conv2dWeightGrad,
  maxPool2d,
  maxPool2dBackward,
  avgPool2d,
  avgPool2dBackward,
  attention,
  attentionBackward,
  gelu,
  geluBackward,
  batchNorm,
  batchNormBackward,
  layerNorm,
  layerNormBackward,
  rmspropStep,
  adagradStep,
  dropoutMask,
}
