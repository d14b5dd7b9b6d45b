/** `F`: the functional forms of ops and losses, as torch.nn.functional. */
import { tensorFirst } from './argument-checks.js'
import * as unary from './ops/unary.js'
import * as dropouts from './ops/dropout.js'
import * as activations from './ops/activations.js'
import * as layout from './ops/layout.js'
import * as softmaxOps from './ops/softmax.js'
export { binaryCrossEntropy, binaryCrossEntropyWithLogits, mseLoss } from './ops/loss.js'
export type { BceWithLogitsOptions, LossOptions, Reduction } from './ops/loss.js'
export { crossEntropy, nllLoss } from './ops/cross-entropy.js'
export type { CrossEntropyOptions, NllLossOptions } from './ops/cross-entropy.js'
export { l1Loss, smoothL1Loss, huberLoss } from './ops/regression-loss.js'
export type { HuberLossOptions, L1LossOptions, SmoothL1LossOptions } from './ops/regression-loss.js'
export { klDiv } from './ops/kl-div.js'
export type { KlDivOptions } from './ops/kl-div.js'
export { cosineSimilarity, normalize } from './ops/similarity.js'
export type { CosineSimilarityOptions, NormalizeOptions } from './ops/similarity.js'
export { linear } from './ops/matmul.js'
export const logSoftmax = tensorFirst('logSoftmax', softmaxOps.logSoftmax)
export const softmax = tensorFirst('softmax', softmaxOps.softmax)
export const relu = tensorFirst('relu', unary.relu)
export const sigmoid = tensorFirst('sigmoid', unary.sigmoid)
export const tanh = tensorFirst('tanh', unary.tanh)
export { conv1d, conv2d, convTranspose2d } from './ops/conv.js'
export type { ConvOptions, ConvTransposeOptions } from './ops/conv.js'
export { adaptiveAvgPool2d, avgPool1d, avgPool2d, maxPool1d, maxPool2d } from './ops/pool.js'
export type { AvgPoolOptions, MaxPoolOptions, PoolWithIndices } from './ops/pool.js'
export { batchNorm, groupNorm, layerNorm } from './ops/norm.js'
export type { BatchNormOptions } from './ops/norm.js'
export const dropout = tensorFirst('dropout', dropouts.dropout)
export const dropout2d = tensorFirst('dropout2d', dropouts.dropout2d)
export type { DropoutOptions } from './ops/dropout.js'
export const silu = tensorFirst('silu', activations.silu)
export const mish = tensorFirst('mish', activations.mish)
export const logSigmoid = tensorFirst('logSigmoid', activations.logSigmoid)
export const softsign = tensorFirst('softsign', activations.softsign)
export const relu6 = tensorFirst('relu6', activations.relu6)
export const leakyRelu = tensorFirst('leakyRelu', activations.leakyRelu)
export const elu = tensorFirst('elu', activations.elu)
export const gelu = tensorFirst('gelu', activations.gelu)
export const softplus = tensorFirst('softplus', activations.softplus)
export const hardtanh = tensorFirst('hardtanh', activations.hardtanh)
export type { LeakyReluOptions, EluOptions, GeluOptions, SoftplusOptions, HardtanhOptions } from './ops/activations.js'
export const pad = tensorFirst('pad', layout.pad)
export { embedding } from './ops/embedding.js'
export type { EmbeddingOptions } from './ops/embedding.js'
export { scaledDotProductAttention } from './ops/attention.js'
export type { ScaledDotProductAttentionOptions } from './ops/attention.js'
