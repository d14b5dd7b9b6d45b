/** `F`: the functional forms of ops and losses, as torch.nn.functional. */
export { binaryCrossEntropy, binaryCrossEntropyWithLogits, crossEntropy, mseLoss } from './ops/loss.js'
export { linear } from './ops/matmul.js'
export { logSoftmax, softmax } from './ops/softmax.js'
export { relu, sigmoid, tanh } from './ops/unary.js'
export { embedding } from './ops/embedding.js'
export type { EmbeddingOptions } from './ops/embedding.js'
export { scaledDotProductAttention } from './ops/attention.js'
export type { ScaledDotProductAttentionOptions } from './ops/attention.js'
