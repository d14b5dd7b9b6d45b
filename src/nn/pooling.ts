import { adaptiveAvgPool2d, avgPool1d, avgPool2d, maxPool1d, maxPool2d, type AvgPoolOptions, type MaxPoolOptions, type PoolWithIndices } from '../ops/pool.js'
import type { Tensor } from '../tensor.js'
import { Module, pyBool } from './module.js'
import { checkOptionKeys } from './options.js'

/** Pooling modules: the F forms with their settings kept (PyTorch's MaxPool2d, AvgPool2d, ...). */

const MAX_KEYS = ['stride', 'padding', 'dilation', 'ceilMode', 'returnIndices']
const AVG_KEYS = ['stride', 'padding', 'ceilMode', 'countIncludePad']

abstract class MaxPoolBase extends Module<[Tensor], Tensor | PoolWithIndices> {
  constructor(op: string, readonly kernelSize: number | number[], readonly options: MaxPoolOptions) {
    super()
    checkOptionKeys(op, options, MAX_KEYS)
  }
  override extraRepr(): string {
    const o = this.options
    return `kernel_size=${this.kernelSize}, stride=${o.stride ?? this.kernelSize}, padding=${o.padding ?? 0}, dilation=${o.dilation ?? 1}, ceil_mode=${pyBool(o.ceilMode ?? false)}`
  }
}

/** Max over kh×kw windows of [N, C, H, W] (stride defaults to the kernel size). */
export class MaxPool2d extends MaxPoolBase {
  static readonly displayName: string = 'MaxPool2d'
  constructor(kernelSize: number | number[], options: MaxPoolOptions = {}) {
    super('MaxPool2d', kernelSize, options)
  }
  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.kernelSize, this.options) as Tensor
  }
}

/** Max over windows of the last dim of [N, C, L]. */
export class MaxPool1d extends MaxPoolBase {
  static readonly displayName: string = 'MaxPool1d'
  constructor(kernelSize: number | number[], options: MaxPoolOptions = {}) {
    super('MaxPool1d', kernelSize, options)
  }
  forward(x: Tensor): Tensor {
    return maxPool1d(x, this.kernelSize, this.options) as Tensor
  }
}

abstract class AvgPoolBase extends Module {
  constructor(op: string, readonly kernelSize: number | number[], readonly options: AvgPoolOptions) {
    super()
    checkOptionKeys(op, options, AVG_KEYS)
  }
  override extraRepr(): string {
    return `kernel_size=${this.kernelSize}, stride=${this.options.stride ?? this.kernelSize}, padding=${this.options.padding ?? 0}`
  }
}

/** Mean over kh×kw windows of [N, C, H, W] (stride defaults to the kernel size). */
export class AvgPool2d extends AvgPoolBase {
  static readonly displayName: string = 'AvgPool2d'
  constructor(kernelSize: number | number[], options: AvgPoolOptions = {}) {
    super('AvgPool2d', kernelSize, options)
  }
  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.kernelSize, this.options)
  }
}

/** Mean over windows of the last dim of [N, C, L]. */
export class AvgPool1d extends AvgPoolBase {
  static readonly displayName: string = 'AvgPool1d'
  constructor(kernelSize: number | number[], options: AvgPoolOptions = {}) {
    super('AvgPool1d', kernelSize, options)
  }
  forward(x: Tensor): Tensor {
    return avgPool1d(x, this.kernelSize, this.options)
  }
}

/** Mean over PyTorch's adaptive windows to a fixed output size: `new nn.AdaptiveAvgPool2d([1, 1])`. */
export class AdaptiveAvgPool2d extends Module {
  static readonly displayName: string = 'AdaptiveAvgPool2d'
  constructor(readonly outputSize: number | (number | null)[]) {
    super()
  }
  forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize)
  }
  override extraRepr(): string {
    return `output_size=${Array.isArray(this.outputSize) ? `(${this.outputSize.map((v) => v ?? 'None').join(', ')})` : this.outputSize}`
  }
}
