import { checkDType, isFloat, type FloatDType } from '../dtype.js'
import { empty } from '../ops/operands.js'
import { linear } from '../ops/matmul.js'
import type { Tensor } from '../tensor.js'
import { calculateFanInAndFanOut, kaimingUniform_, uniform_ } from './init.js'
import { Module, pyBool } from './module.js'
import { Parameter } from './parameter.js'
import { checkOptionKeys } from './options.js'
import { checkShape } from '../shape-check.js'

export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean
  /** float32 (default) or float64. */
  dtype?: FloatDType
}

/**
 * Applies an affine transformation to the last dim of its input, like torch.nn.Linear:
 *
 *     y = x·Wᵀ + b
 *
 * Shapes:
 * - input: `[..., inFeatures]` (any number of leading dims, including none)
 * - output: `[..., outFeatures]`
 *
 * Parameters:
 * - `weight`: `[outFeatures, inFeatures]`, initialised from U(−k, k) with k = 1/√inFeatures
 *   (PyTorch's kaiming_uniform_ with a = √5)
 * - `bias`: `[outFeatures]`, U(−k, k) as well; null with `bias: false`
 *
 * Initial values come from the seedable generator: call `manualSeed(n)` first for
 * reproducible weights (the numbers differ from torch's for the same seed).
 *
 * @example
 * const m = new nn.Linear(20, 30)
 * const out = m.forward(yann.randn([128, 20]))
 * out.shape   // [128, 30]
 */
export class Linear extends Module {
  static readonly displayName: string = 'Linear'

  readonly inFeatures: number
  readonly outFeatures: number

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super()
    checkOptionKeys('Linear', options, ['bias', 'dtype'])
    const { bias = true, dtype = 'float32' } = options
    for (const [name, n] of [['inFeatures', inFeatures], ['outFeatures', outFeatures]] as const) {
      if (!Number.isInteger(n) || n < 0) throw new RangeError(`Linear: ${name} must be a non-negative integer, got ${n}`)
    }
    checkDType(dtype, 'Linear')
    if (!isFloat(dtype)) throw new TypeError(`Linear: dtype must be float32 or float64, got ${dtype}`)
    checkShape('Linear', [outFeatures, inFeatures], dtype)
    this.inFeatures = inFeatures
    this.outFeatures = outFeatures
    this.registerParameter('weight', new Parameter(empty(dtype, [outFeatures, inFeatures])))
    this.registerParameter('bias', bias ? new Parameter(empty(dtype, [outFeatures])) : null)
    this.resetParameters()
  }

  /** `[outFeatures, inFeatures]`. */
  get weight(): Parameter {
    const w = this.ownParameter('weight')
    if (!w) throw new Error('Linear: the weight was unregistered (registerParameter(\'weight\', null)); register a Parameter of shape [out, in]')
    return w
  }

  /** `[outFeatures]`, or null when made with `bias: false`. */
  get bias(): Parameter | null {
    return this.ownParameter('bias')
  }

  /** Draw fresh initial values (PyTorch's reset_parameters). */
  resetParameters(): void {
    const weight = this.weight
    // a = √5 makes the bound gain·√(3/fan_in) = 1/√fan_in.
    kaimingUniform_(weight, { a: Math.sqrt(5) })
    const bias = this.bias
    if (bias) {
      const [fanIn] = calculateFanInAndFanOut(weight)
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0
      uniform_(bias, -bound, bound)
    }
  }

  forward(input: Tensor): Tensor {
    return linear(input, this.weight, this.bias)
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${pyBool(this.bias !== null)}`
  }
}
