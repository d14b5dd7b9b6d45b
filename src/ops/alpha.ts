import { isFloat } from '../dtype.js'
import { checkOptionKeys } from '../options.js'
import { resultType } from '../promote.js'
import { Tensor, type Operand } from '../tensor.js'
import { mul } from './binary.js'

/** add/sub's options, as PyTorch's `alpha` keyword: `a.add(b, { alpha: 10 })` is a + 10·b. */
export interface AlphaOptions {
  alpha?: number
}

/** `b` scaled by options.alpha for add/sub of `a` (b itself when there is no alpha); a stray argument is an error. */
export function scaled(op: string, a: Operand, b: Operand, options: AlphaOptions | undefined): Operand {
  if (options === undefined) return b
  if (typeof options !== 'object' || options === null || options instanceof Tensor) {
    throw new TypeError(`${op}: the argument after the operand is an options object like { alpha: 2 } (a + alpha·b), got ${options === null ? 'null' : typeof options}`)
  }
  checkOptionKeys(op, options, ['alpha'])
  const alpha = options.alpha ?? 1
  if (typeof alpha !== 'number') throw new TypeError(`${op}: alpha must be a number, got ${typeof alpha}`)
  if (alpha === 1) return b
  if (!Number.isInteger(alpha) && !isFloat(resultType(a, b))) {
    throw new TypeError(`${op}: alpha ${alpha} is not an integer, and integral operands must have an integral alpha (as in PyTorch); convert one operand with .float() first`)
  }
  return typeof b === 'number' ? b * alpha : mul(b, alpha)
}
