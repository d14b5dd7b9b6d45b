import { Tensor } from '../tensor.js'
import { backwardArguments, type GradientArgument } from './backward-arguments.js'
import { grad as gradOf, type BackwardOptions } from './engine.js'

/**
 * Like torch.autograd.grad: the gradients of `output` with respect to `inputs` (one tensor or a
 * list; leaves or intermediate tensors), returned as a list rather than accumulated into `.grad`.
 * A scalar output's gradient defaults to 1 (or give a number); a non-scalar needs a gradient
 * tensor of its shape. null where an input does not lead to the output.
 *
 * @example
 * const x = tensor([1, 2], { requiresGrad: true })
 * const [dx] = grad(x.mul(x).sum(), x)   // tensor([2., 4.])
 */
export function grad(output: Tensor, inputs: Tensor | readonly Tensor[], gradient?: GradientArgument, options?: BackwardOptions): (Tensor | null)[] {
  const [g, o] = backwardArguments('grad', output, gradient, options)
  const list: readonly unknown[] = Array.isArray(inputs) ? inputs : [inputs]
  list.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new TypeError(`grad: inputs[${i}] must be a Tensor (a leaf or an intermediate result), got ${t === null ? 'null' : typeof t}`)
  })
  return gradOf(output, list as readonly Tensor[], g, o)
}
