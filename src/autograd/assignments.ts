import { recording, requiresGradChanged } from '../compile/hooks.js'
import { isFloat } from '../dtype.js'
import { formatShape, sameShape } from '../shape.js'
import { Tensor } from '../tensor.js'

/*
 * What a tensor's autograd fields accept when assigned, checked as PyTorch checks them, with
 * compile() told of the change (its plans assumed the old value).
 */

/**
 * Checks a value assigned to `t.grad` (null, or a tensor of t's shape and dtype, as PyTorch
 * requires) and tells compile() about it. backward() adds into `.grad` in place, so a gradient of
 * another size or dtype would give silently wrong numbers there.
 */
export function gradAssigned(t: Tensor, value: Tensor | null): void {
  if (value !== null) {
    if (!(value instanceof Tensor)) {
      throw new TypeError(`grad: .grad must be a Tensor or null, got ${Array.isArray(value) ? 'an array' : typeof value} (tensor of shape ${formatShape(t.shape)})`)
    }
    if (!sameShape(value.shape, t.shape) || value.dtype !== t.dtype) {
      throw new Error(
        `grad: assigned a ${value.dtype} gradient of shape ${formatShape(value.shape)} to a ${t.dtype} tensor of shape ${formatShape(t.shape)}; ` +
          `.grad must have the tensor's shape and dtype (as in PyTorch); reshape or convert it with .to('${t.dtype}'), or assign null`,
      )
    }
  }
  if (recording !== null) recording.gradSet(t, t.grad, value)
}

/** Checks a value assigned to `t.requiresGrad`: a boolean, on a leaf, true only for a float dtype. */
export function requiresGradAssigned(t: Tensor, value: boolean): void {
  if (typeof value !== 'boolean') {
    throw new TypeError(`requiresGrad: must be true or false, got ${typeof value === 'string' ? `the string ${JSON.stringify(value)}` : String(value)} (tensor of shape ${formatShape(t.shape)})`)
  }
  if (!t.isLeaf) {
    throw new Error('requiresGrad: can only be set on leaf tensors; use .detach() to make a new leaf')
  }
  if (value && !isFloat(t.dtype)) {
    throw new Error(`requiresGrad: only floating point tensors can require gradients, this one is ${t.dtype}`)
  }
  // Compiled plans assumed which leaves get a gradient (and which parameters the optimiser updates).
  if (value !== t.requiresGrad) requiresGradChanged(t)
}
