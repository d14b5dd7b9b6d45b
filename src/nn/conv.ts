import { checkDType, isFloat, type FloatDType } from '../dtype.js'
import { conv1d, conv2d, convTranspose2d } from '../ops/conv.js'
import { empty } from '../ops/operands.js'
import type { Tensor } from '../tensor.js'
import { calculateFanInAndFanOut, kaimingUniform_, uniform_ } from './init.js'
import { Module, pyBool } from './module.js'
import { checkOptionKeys } from './options.js'
import { Parameter } from './parameter.js'

export interface ConvModuleOptions {
  stride?: number | number[]
  padding?: number | number[] | 'same' | 'valid'
  dilation?: number | number[]
  groups?: number
  bias?: boolean
  /** Only 'zeros' (PyTorch's default). */
  paddingMode?: 'zeros'
  dtype?: FloatDType
}

export interface ConvTransposeModuleOptions extends Omit<ConvModuleOptions, 'padding'> {
  padding?: number | number[]
  outputPadding?: number | number[]
}

const KEYS = ['stride', 'padding', 'dilation', 'groups', 'bias', 'paddingMode', 'dtype']

/**
 * The convolution modules share parameters and init: weight kaiming-uniform with a = √5
 * (bound 1/√fanIn) and bias U(−1/√fanIn, 1/√fanIn), fanIn from weight.shape[1]·kernel, as PyTorch.
 */
abstract class ConvBase extends Module {
  readonly inChannels: number
  readonly outChannels: number
  readonly kernelSize: number[]
  protected readonly options: ConvModuleOptions & { outputPadding?: number | number[] }

  constructor(op: string, dims: number, inC: number, outC: number, kernelSize: number | number[], options: ConvModuleOptions | ConvTransposeModuleOptions, transposed: boolean) {
    super()
    checkOptionKeys(op, options, transposed ? [...KEYS, 'outputPadding'] : KEYS)
    const { groups = 1, bias = true, paddingMode = 'zeros', dtype = 'float32' } = options
    for (const [name, n] of [['inChannels', inC], ['outChannels', outC]] as const) {
      if (!Number.isInteger(n) || n < 1) throw new RangeError(`${op}: ${name} must be a positive integer, got ${n}`)
    }
    if (!Number.isInteger(groups) || groups < 1 || inC % groups !== 0 || outC % groups !== 0) {
      throw new Error(`${op}: groups = ${groups} must divide both inChannels (${inC}) and outChannels (${outC})`)
    }
    if (paddingMode !== 'zeros') throw new Error(`${op}: paddingMode '${paddingMode}' is not supported; use 'zeros'`)
    checkDType(dtype, op)
    if (!isFloat(dtype)) throw new TypeError(`${op}: dtype must be float32 or float64, got ${dtype}`)
    const k = typeof kernelSize === 'number' ? Array<number>(dims).fill(kernelSize) : [...kernelSize]
    if (k.length !== dims || k.some((v) => !Number.isInteger(v) || v < 1)) throw new RangeError(`${op}: kernelSize must be a positive integer or ${dims} of them, got ${JSON.stringify(kernelSize)}`)
    this.inChannels = inC
    this.outChannels = outC
    this.kernelSize = k
    this.options = options
    const shape = transposed ? [inC, outC / groups, ...k] : [outC, inC / groups, ...k]
    this.registerParameter('weight', new Parameter(empty(dtype, shape)))
    this.registerParameter('bias', bias ? new Parameter(empty(dtype, [outC])) : null)
    this.resetParameters()
  }

  get weight(): Parameter {
    return this.ownParameter('weight')!
  }

  get bias(): Parameter | null {
    return this.ownParameter('bias')
  }

  resetParameters(): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5) })
    if (this.bias) {
      const [fanIn] = calculateFanInAndFanOut(this.weight)
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0
      uniform_(this.bias, -bound, bound)
    }
  }

  protected convOptions(): { stride?: number | number[]; padding?: ConvModuleOptions['padding']; dilation?: number | number[]; groups?: number } {
    const { stride, padding, dilation, groups } = this.options
    return { stride, padding, dilation, groups }
  }

  override extraRepr(): string {
    const t = (v: number | number[] | string | undefined, d: number) => (typeof v === 'string' ? `'${v}'` : `(${(Array.isArray(v) ? v : Array(this.kernelSize.length).fill(v ?? d)).join(', ')}${this.kernelSize.length === 1 ? ',' : ''})`)
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${t(this.kernelSize, 1)}, stride=${t(this.options.stride, 1)}`
    if (this.options.padding !== undefined && this.options.padding !== 0) s += `, padding=${t(this.options.padding, 0)}`
    if (this.options.dilation !== undefined && this.options.dilation !== 1) s += `, dilation=${t(this.options.dilation, 1)}`
    if ((this.options.groups ?? 1) !== 1) s += `, groups=${this.options.groups}`
    if (!this.bias) s += `, bias=${pyBool(false)}`
    return s
  }
}

/** 1-d convolution over [N, C, L], like torch.nn.Conv1d: weight [outC, inC/groups, k], bias [outC]. */
export class Conv1d extends ConvBase {
  static readonly displayName: string = 'Conv1d'
  constructor(inChannels: number, outChannels: number, kernelSize: number | number[], options: ConvModuleOptions = {}) {
    super('Conv1d', 1, inChannels, outChannels, kernelSize, options, false)
  }
  forward(x: Tensor): Tensor {
    return conv1d(x, this.weight, this.bias, this.convOptions())
  }
}

/**
 * 2-d convolution over [N, C, H, W], like torch.nn.Conv2d: weight [outC, inC/groups, kh, kw], bias [outC].
 *
 * @example
 * const conv = new nn.Conv2d(1, 8, 3, { padding: 1 })
 * conv.forward(yann.randn([64, 1, 28, 28])).shape   // [64, 8, 28, 28]
 */
export class Conv2d extends ConvBase {
  static readonly displayName: string = 'Conv2d'
  constructor(inChannels: number, outChannels: number, kernelSize: number | number[], options: ConvModuleOptions = {}) {
    super('Conv2d', 2, inChannels, outChannels, kernelSize, options, false)
  }
  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, this.convOptions())
  }
}

/** 2-d transposed convolution, like torch.nn.ConvTranspose2d: weight [inC, outC/groups, kh, kw], bias [outC]. */
export class ConvTranspose2d extends ConvBase {
  static readonly displayName: string = 'ConvTranspose2d'
  constructor(inChannels: number, outChannels: number, kernelSize: number | number[], options: ConvTransposeModuleOptions = {}) {
    super('ConvTranspose2d', 2, inChannels, outChannels, kernelSize, options, true)
  }
  forward(x: Tensor): Tensor {
    const { stride, padding, dilation, groups, outputPadding } = this.options
    return convTranspose2d(x, this.weight, this.bias, { stride, padding: padding as number | number[] | undefined, dilation, groups, outputPadding })
  }
}
