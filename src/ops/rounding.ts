import { checkOptionKeys } from '../options.js'
import type { Tensor } from '../tensor.js'

/** div's options, as PyTorch's `rounding_mode` keyword: `a.div(b, { roundingMode: 'floor' })` is a // b. */
export interface DivOptions {
  /** null (default): true division; 'trunc': rounded toward zero; 'floor': rounded down. */
  roundingMode?: 'trunc' | 'floor' | null
}

/** The quotient q rounded as options ask (q itself without them). Rounded, it has zero gradient, as in PyTorch. */
export function rounded(q: Tensor, options: DivOptions | undefined): Tensor {
  if (options === undefined) return q
  checkOptionKeys('div', options, ['roundingMode'])
  const mode = options.roundingMode ?? null
  if (mode === null) return q
  if (mode === 'floor') return q.floor()
  if (mode === 'trunc') return q.neg().floor().neg().where(q.lt(0), q.floor())
  throw new TypeError(`div: roundingMode must be 'trunc', 'floor' or null, got ${JSON.stringify(mode)}`)
}
