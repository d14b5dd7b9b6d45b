/** `F`: the functional forms of ops and losses, as torch.nn.functional. */
export { binaryCrossEntropy, binaryCrossEntropyWithLogits, crossEntropy, mseLoss } from './ops/loss.js'
export { linear } from './ops/matmul.js'
export { logSoftmax, softmax } from './ops/softmax.js'
export { relu, sigmoid, tanh } from './ops/unary.js'
export { silu, mish, logSigmoid, softsign, relu6, leakyRelu, elu, gelu, softplus, hardtanh } from './ops/activations.js'
export type { LeakyReluOptions, EluOptions, GeluOptions, SoftplusOptions, HardtanhOptions } from './ops/activations.js'
