import type { Tensor } from '../tensor.js'
import * as act from '../functional.js' // the function forms, which check that the input is a Tensor
import { Module } from './module.js'
import { checkOptionKeys } from './options.js'

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
    return act.relu(input)
  }
}

/**
 * σ(x) = 1 / (1 + e^(−x)) elementwise, like torch.nn.Sigmoid; its gradient σ(1 − σ) uses the saved output.
 * Input: any shape; output: the same shape, values in (0, 1).
 */
export class Sigmoid extends Module {
  static readonly displayName: string = 'Sigmoid'

  forward(input: Tensor): Tensor {
    return act.sigmoid(input)
  }
}

/**
 * tanh(x) elementwise, like torch.nn.Tanh. Input: any shape; output: the same shape, values in (−1, 1).
 */
export class Tanh extends Module {
  static readonly displayName: string = 'Tanh'

  forward(input: Tensor): Tensor {
    return act.tanh(input)
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
    return act.softmax(input, this.dim)
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
    return act.logSoftmax(input, this.dim)
  }

  override extraRepr(): string {
    return `dim=${this.dim}`
  }
}

// ---- activations written from existing ops (src/ops/activations.ts) --------------------

/** x·σ(x) elementwise, like torch.nn.SiLU. Input: any shape; output: the same shape. */
export class SiLU extends Module {
  static readonly displayName: string = 'SiLU'
  forward(input: Tensor): Tensor {
    return act.silu(input)
  }
}

/** x·tanh(softplus(x)) elementwise, like torch.nn.Mish. */
export class Mish extends Module {
  static readonly displayName: string = 'Mish'
  forward(input: Tensor): Tensor {
    return act.mish(input)
  }
}

/** log σ(x) elementwise, like torch.nn.LogSigmoid. */
export class LogSigmoid extends Module {
  static readonly displayName: string = 'LogSigmoid'
  forward(input: Tensor): Tensor {
    return act.logSigmoid(input)
  }
}

/** x / (1 + |x|) elementwise, like torch.nn.Softsign. */
export class Softsign extends Module {
  static readonly displayName: string = 'Softsign'
  forward(input: Tensor): Tensor {
    return act.softsign(input)
  }
}

/** min(max(x, 0), 6) elementwise, like torch.nn.ReLU6. */
export class ReLU6 extends Module {
  static readonly displayName: string = 'ReLU6'
  forward(input: Tensor): Tensor {
    return act.relu6(input)
  }
}

/** An options object, or PyTorch's habit of passing the first option positionally. */
function firstOption<O extends object>(op: string, key: keyof O & string, arg: O | O[keyof O] | undefined, type: string): O {
  if (arg === undefined) return {} as O
  if (typeof arg === type) return { [key]: arg } as O
  if (typeof arg === 'object' && arg !== null) return arg as O
  throw new TypeError(`${op}: expected ${key} (a ${type}) or an options object like { ${key}: ... }, got ${String(arg)}`)
}

/** x where x > 0, else negativeSlope·x, like torch.nn.LeakyReLU: `new LeakyReLU(0.2)` or `{ negativeSlope: 0.2 }`. */
export class LeakyReLU extends Module {
  static readonly displayName: string = 'LeakyReLU'
  readonly negativeSlope: number
  constructor(options?: act.LeakyReluOptions | number) {
    super()
    const o = firstOption<act.LeakyReluOptions>('LeakyReLU', 'negativeSlope', options, 'number')
    checkOptionKeys('LeakyReLU', o, ['negativeSlope'])
    this.negativeSlope = o.negativeSlope ?? 0.01
  }
  forward(input: Tensor): Tensor {
    return act.leakyRelu(input, { negativeSlope: this.negativeSlope })
  }
  override extraRepr(): string {
    return `negative_slope=${this.negativeSlope}`
  }
}

/** x where x > 0, else alpha·(eˣ − 1), like torch.nn.ELU: `new ELU(1.0)` or `{ alpha }`. */
export class ELU extends Module {
  static readonly displayName: string = 'ELU'
  readonly alpha: number
  constructor(options?: act.EluOptions | number) {
    super()
    const o = firstOption<act.EluOptions>('ELU', 'alpha', options, 'number')
    checkOptionKeys('ELU', o, ['alpha'])
    this.alpha = o.alpha ?? 1
  }
  forward(input: Tensor): Tensor {
    return act.elu(input, { alpha: this.alpha })
  }
  override extraRepr(): string {
    return `alpha=${this.alpha}`
  }
}

/** x·Φ(x), like torch.nn.GELU: `new GELU('tanh')` or `{ approximate: 'tanh' }` for the tanh approximation. */
export class GELU extends Module {
  static readonly displayName: string = 'GELU'
  readonly approximate: 'none' | 'tanh'
  constructor(options?: act.GeluOptions | 'none' | 'tanh') {
    super()
    const o = firstOption<act.GeluOptions>('GELU', 'approximate', options, 'string')
    checkOptionKeys('GELU', o, ['approximate'])
    this.approximate = o.approximate ?? 'none'
    if (this.approximate !== 'none' && this.approximate !== 'tanh') {
      throw new TypeError(`GELU: approximate must be 'none' or 'tanh', got ${String(this.approximate)}`)
    }
  }
  forward(input: Tensor): Tensor {
    return act.gelu(input, { approximate: this.approximate })
  }
  override extraRepr(): string {
    return `approximate='${this.approximate}'`
  }
}

/** (1/beta)·log(1 + e^(beta·x)), x where beta·x > threshold, like torch.nn.Softplus: `{ beta, threshold }` or `new Softplus(beta)`. */
export class Softplus extends Module {
  static readonly displayName: string = 'Softplus'
  readonly beta: number
  readonly threshold: number
  constructor(options?: act.SoftplusOptions | number) {
    super()
    const o = firstOption<act.SoftplusOptions>('Softplus', 'beta', options, 'number')
    checkOptionKeys('Softplus', o, ['beta', 'threshold'])
    this.beta = o.beta ?? 1
    this.threshold = o.threshold ?? 20
  }
  forward(input: Tensor): Tensor {
    return act.softplus(input, { beta: this.beta, threshold: this.threshold })
  }
  override extraRepr(): string {
    return `beta=${this.beta}, threshold=${this.threshold}`
  }
}

/** min(max(x, minVal), maxVal), like torch.nn.Hardtanh: `{ minVal, maxVal }` or `new Hardtanh(minVal, maxVal)`. */
export class Hardtanh extends Module {
  static readonly displayName: string = 'Hardtanh'
  readonly minVal: number
  readonly maxVal: number
  constructor(options?: act.HardtanhOptions | number, maxVal?: number) {
    super()
    const o = firstOption<act.HardtanhOptions>('Hardtanh', 'minVal', options, 'number')
    if (maxVal !== undefined) o.maxVal = maxVal
    checkOptionKeys('Hardtanh', o, ['minVal', 'maxVal'])
    this.minVal = o.minVal ?? -1
    this.maxVal = o.maxVal ?? 1
    if (!(this.maxVal > this.minVal)) throw new RangeError(`Hardtanh: maxVal must be greater than minVal (as PyTorch asserts), got minVal ${this.minVal} and maxVal ${this.maxVal}`)
  }
  forward(input: Tensor): Tensor {
    return act.hardtanh(input, { minVal: this.minVal, maxVal: this.maxVal })
  }
  override extraRepr(): string {
    return `min_val=${this.minVal}, max_val=${this.maxVal}`
  }
}
