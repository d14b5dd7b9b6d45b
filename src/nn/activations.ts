import { logSoftmax, softmax } from '../ops/softmax.js'
import { relu, sigmoid, tanh } from '../ops/unary.js'
import type { Tensor } from '../tensor.js'
import { Module } from './module.js'

/**
 * ReLU(x) = max(0, x) elementwise, like torch.nn.ReLU. The gradient at 0 is 0, as in PyTorch.
 * Input: any shape; output: the same shape.
 *
 * @example
 * new nn.ReLU().forward(yann.tensor([-1, 2]))   // tensor([0., 2.])
 */
export class ReLU extends Module {
  static readonly displayName: string = 'ReLU'

  forward(input: Tensor): Tensor {
    return relu(input)
  }
}

/**
 * σ(x) = 1 / (1 + e^(−x)) elementwise, like torch.nn.Sigmoid; its gradient σ(1 − σ) uses the saved output.
 * Input: any shape; output: the same shape, values in (0, 1).
 */
export class Sigmoid extends Module {
  static readonly displayName: string = 'Sigmoid'

  forward(input: Tensor): Tensor {
    return sigmoid(input)
  }
}

/**
 * tanh(x) elementwise, like torch.nn.Tanh. Input: any shape; output: the same shape, values in (−1, 1).
 */
export class Tanh extends Module {
  static readonly displayName: string = 'Tanh'

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

/**
 * Softmax(x)_i = exp(x_i) / Σ_j exp(x_j) along `dim` (max-shifted, so large scores do not
 * overflow), like torch.nn.Softmax. Input: any shape; output: the same shape, each slice along
 * `dim` summing to 1.
 *
 * @example
 * new nn.Softmax(1).forward(yann.tensor([[1, 2, 3]]))   // tensor([[0.0900, 0.2447, 0.6652]])
 */
export class Softmax extends Module {
  static readonly displayName: string = 'Softmax'

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

/**
 * LogSoftmax(x)_i = x_i − log Σ_j exp(x_j) along `dim`, computed stably, like torch.nn.LogSoftmax.
 * Input: any shape; output: the same shape.
 */
export class LogSoftmax extends Module {
  static readonly displayName: string = 'LogSoftmax'

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
