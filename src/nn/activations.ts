import { logSoftmax, softmax } from '../ops/softmax.js'
import { relu, sigmoid, tanh } from '../ops/unary.js'
import type { Tensor } from '../tensor.js'
import { Module } from './module.js'

/** Elementwise activation layers, each the module form of one op. Any input shape; output has the same shape. */

/** max(0, x), like torch.nn.ReLU. The gradient at 0 is 0, as in PyTorch. */
export class ReLU extends Module {
  forward(input: Tensor): Tensor {
    return relu(input)
  }
}

/** 1 / (1 + e^(−x)), like torch.nn.Sigmoid. */
export class Sigmoid extends Module {
  forward(input: Tensor): Tensor {
    return sigmoid(input)
  }
}

/** Hyperbolic tangent, like torch.nn.Tanh. */
export class Tanh extends Module {
  forward(input: Tensor): Tensor {
    return tanh(input)
  }
}

function checkDim(op: string, dim: number): number {
  if (!Number.isInteger(dim)) {
    throw new TypeError(`${op}: dim must be an integer (PyTorch's implicit dim is deprecated, so yann needs it), got ${dim}`)
  }
  return dim
}

/** exp(x_i) / Σ_j exp(x_j) along `dim`, like torch.nn.Softmax. Each slice along dim sums to 1. */
export class Softmax extends Module {
  readonly dim: number

  constructor(dim: number) {
    super()
    this.dim = checkDim('Softmax', dim)
  }

  forward(input: Tensor): Tensor {
    return softmax(input, this.dim)
  }

  override extraRepr(): string {
    return `dim=${this.dim}`
  }
}

/** log(softmax(x)) along `dim`, computed stably, like torch.nn.LogSoftmax. */
export class LogSoftmax extends Module {
  readonly dim: number

  constructor(dim: number) {
    super()
    this.dim = checkDim('LogSoftmax', dim)
  }

  forward(input: Tensor): Tensor {
    return logSoftmax(input, this.dim)
  }

  override extraRepr(): string {
    return `dim=${this.dim}`
  }
}
