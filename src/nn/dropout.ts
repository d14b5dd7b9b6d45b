import { dropout, dropout2d } from '../functional.js' // the function forms, which check that the input is a Tensor
import type { Generator } from '../random.js'
import type { Tensor } from '../tensor.js'
import { Module, pyBool } from './module.js'
import { checkOptionKeys } from './options.js'

export interface DropoutModuleOptions {
  p?: number
  inplace?: boolean
  generator?: Generator
}

abstract class DropoutBase extends Module {
  readonly p: number
  readonly generator: Generator | undefined

  constructor(op: string, pOrOptions: number | DropoutModuleOptions) {
    super()
    const options = typeof pOrOptions === 'number' ? { p: pOrOptions } : pOrOptions
    checkOptionKeys(op, options, ['p', 'inplace', 'generator'])
    const { p = 0.5, generator } = options
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new RangeError(`${op}: p must be a probability in [0, 1], got ${p}`)
    this.p = p
    this.generator = generator
  }

  override extraRepr(): string {
    return `p=${this.p}, inplace=${pyBool(false)}`
  }
}

/** Zeroes each element with probability p in training (survivors × 1/(1 − p)); identity in eval(). `new nn.Dropout(0.1)` or `{ p: 0.1 }`. */
export class Dropout extends DropoutBase {
  static readonly displayName: string = 'Dropout'
  constructor(p: number | DropoutModuleOptions = {}) {
    super('Dropout', p)
  }
  forward(x: Tensor): Tensor {
    return dropout(x, { p: this.p, training: this.training, generator: this.generator })
  }
}

/** Zeroes whole channels of [N, C, H, W] with probability p in training; identity in eval(). */
export class Dropout2d extends DropoutBase {
  static readonly displayName: string = 'Dropout2d'
  constructor(p: number | DropoutModuleOptions = {}) {
    super('Dropout2d', p)
  }
  forward(x: Tensor): Tensor {
    return dropout2d(x, { p: this.p, training: this.training, generator: this.generator })
  }
}
