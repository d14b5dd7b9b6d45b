import { constantArray } from '../compile/hooks.js'
import { checkOptionKeys } from '../options.js'
import { formatShape } from '../shape.js'
import { Tensor } from '../tensor.js'
import type { BackwardOptions } from './engine.js'

/** What backward() and grad() accept as the output's gradient. */
export type GradientArgument = Tensor | number | BackwardOptions | null | undefined

/** The options when none are given: one frozen object, not a new one per backward(). */
const NO_OPTIONS: BackwardOptions = Object.freeze({})

/**
 * The gradient and options of backward()/grad() from their four call forms: `()`,
 * `(gradient)`, `(gradient, options)`, `(options)`. The gradient comes back as a tensor of the
 * output's shape and dtype: ones for a scalar output when none is given, a number filled in.
 */
export function backwardArguments(op: string, output: Tensor, gradient: GradientArgument, options: BackwardOptions | undefined): [Tensor, BackwardOptions] {
  if (!(output instanceof Tensor)) {
    throw new TypeError(`${op}: the output must be a Tensor (a computed result, as in torch.autograd.grad(outputs, inputs)), got ${output === null ? 'null' : typeof output}`)
  }
  if (gradient !== null && typeof gradient === 'object' && !(gradient instanceof Tensor)) {
    if (options !== undefined) {
      throw new TypeError(`${op}: the first argument is the gradient (a Tensor or a number), the second the options; got two objects`)
    }
    options = gradient
    gradient = undefined
  }
  checkOptionKeys(op, options, ['retainGraph'])
  if (gradient === undefined || gradient === null || typeof gradient === 'number') {
    if (output.numel() !== 1) {
      throw new Error(
        `${op}: grad can be implicitly created only for scalar outputs, but this tensor has shape ${formatShape(output.shape)}; ` +
          'pass a gradient tensor of that shape, or reduce first (e.g. .sum())',
      )
    }
    const value = typeof gradient === 'number' ? gradient : 1
    const data = output.dtype === 'float64' ? new Float64Array(1) : new Float32Array(1)
    constantArray(data)[0] = value // compile: a number in code, the same at every replay
    return [new Tensor(data, output.shape), options ?? NO_OPTIONS]
  }
  if (!(gradient instanceof Tensor)) {
    throw new TypeError(`${op}: gradient must be a Tensor or a number, got ${typeof gradient}`)
  }
  if (formatShape(gradient.shape) !== formatShape(output.shape)) {
    throw new Error(`${op}: gradient has shape ${formatShape(gradient.shape)} but the tensor has shape ${formatShape(output.shape)}; they must match`)
  }
  return [gradient.dtype === output.dtype ? gradient : gradient.to(output.dtype), options ?? NO_OPTIONS]
}
