import { checkOptionKeys } from '../options.js'
import type { Tensor } from '../tensor.js'

/** div's options, as PyTorch's `rounding_mode` keyword: `a.div(b, { roundingMode: 'floor' })` is a // b. */
export interface DivOptions {
  /** null (default): true division; 'trunc': rounded toward zero; 'floor': rounded down. */
  roundingMode?: 'trunc' | 'floor' | null
}

/** The quotient q rounded as options ask (q itself without them). Rounded, it has zero gradient, as in PyTorch. */
export function rounded(q: Tensor, options: DivOptions | undefined): Tensor {
  const mode = roundingModeOf(options)
  if (mode === null) return q
  if (mode === 'floor') return q.floor()
  return q.neg().floor().neg().where(q.lt(0), q.floor())
}

/** options.roundingMode checked (errors naming `op`): null without it. */
export function roundingModeOf(options: DivOptions | undefined, op = 'div'): 'trunc' | 'floor' | null {
  if (options === undefined) return null
  checkOptionKeys(op, options, ['roundingMode'])
  const mode = options.roundingMode ?? null
  if (mode !== null && mode !== 'floor' && mode !== 'trunc') throw new TypeError(`${op}: roundingMode must be 'trunc', 'floor' or null, got ${JSON.stringify(mode)}`)
  return mode
}
