import type { Backend } from '../types.js'
import { binary, clamp, clampBackward, powScalar, powScalarBackward, stridedCopy, unary, unaryBackward } from './elementwise.js'
import { compare, logsumexp, maxAxis } from './compare.js'
import { gemm } from './gemm.js'
import { attention, attentionBackward } from './attention.js'
import { pointwiseLoss, pointwiseLossBackward } from './loss.js'
import { adagradStep, adamStep, rmspropStep, sgdStep } from './optim.js'
import { softmax, softmaxBackward, sumAxis } from './reduce.js'

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
  gemm,
  sumAxis,
  softmax,
  softmaxBackward,
  pointwiseLoss,
  pointwiseLossBackward,
  sgdStep,
  adamStep,
  attention,
  attentionBackward,
  rmspropStep,
  adagradStep,
}
