import { grad } from '../autograd/engine.js'
import { isGradEnabled } from '../autograd/grad-mode.js'
import { allocate, isFloat } from '../dtype.js'
import { formatShape, sameShape } from '../shape.js'
import { Tensor } from '../tensor.js'
import { checkOptionKeys } from '../options.js'

/**
 * TensorFlow-style gradients: `valueAndGrads(f)` (TensorFlow.js) and `GradientTape`
 * (TensorFlow 2). Both ask yann's autograd for gradients of a result with respect to chosen
 * tensors, and hand them back as values: unlike `backward()`, nothing accumulates into `.grad`.
 */

/**
 * Gradients of `target` with respect to each of `sources` (leaves or intermediate tensors):
 * the vector-Jacobian product with `dy` (default ones, i.e. the gradient of target's sum),
 * through the graph recorded from the sources to the target. null where a source does not
 * lead to the target. The graph is left intact, so this can run again.
 */
function gradients(op: string, target: Tensor, sources: readonly Tensor[], dy?: Tensor): (Tensor | null)[] {
  if (!(target instanceof Tensor)) throw new TypeError(`${op}: the target must be a Tensor, got ${target === null ? 'null' : typeof target}`)
  sources.forEach((s, i) => {
    if (!(s instanceof Tensor)) throw new TypeError(`${op}: source ${i} must be a Tensor, got ${s === null ? 'null' : typeof s}`)
  })
  let seed: Tensor
  if (dy === undefined) {
    seed = new Tensor(allocate(target.dtype, target.numel()).fill(1), target.shape)
  } else {
    if (!(dy instanceof Tensor) || !sameShape(dy.shape, target.shape)) {
      throw new Error(`${op}: dy must be a tensor of the target's shape ${formatShape(target.shape)}, got ${dy instanceof Tensor ? formatShape(dy.shape) : String(dy)}`)
    }
    seed = dy.dtype === target.dtype ? dy : dy.to(target.dtype)
  }
  // The graph is kept, so a persistent tape can ask again.
  return grad(target, sources, seed, { retainGraph: true })
}

export interface ValueAndGrads {
  /** f's result (detached from the graph). */
  value: Tensor
  /** ∂(dy · value)/∂arg for each argument, shaped like it. */
  grads: Tensor[]
}

/**
 * TensorFlow.js's `tf.valueAndGrads(f)`: a function that takes f's arguments as an array and
 * returns f's value and its gradient with respect to every argument.
 *
 * f runs on fresh leaves sharing the arguments' data, so the caller's tensors and any `.grad`
 * are left alone. f must return one tensor; a non-scalar gets `dy` (default ones).
 *
 * @example
 * const { value, grads } = valueAndGrads((w, b) => x.matmul(w).add(b).sigmoid().sum())([w, b])
 */
export function valueAndGrads(f: (...args: Tensor[]) => Tensor): (args: Tensor[], dy?: Tensor) => ValueAndGrads {
  if (typeof f !== 'function') throw new TypeError(`valueAndGrads: f must be a function of tensors returning a tensor, got ${typeof f}`)
  return (args: Tensor[], dy?: Tensor): ValueAndGrads => {
    if (!Array.isArray(args)) throw new TypeError('valueAndGrads(f): pass the arguments as an array: valueAndGrads(f)([x, y])')
    if (!isGradEnabled()) throw new Error('valueAndGrads: called inside noGrad(), where no graph is recorded; call it outside')
    const xs = args.map((a, i) => {
      if (!(a instanceof Tensor)) throw new TypeError(`valueAndGrads: argument ${i} must be a Tensor, got ${a === null ? 'null' : typeof a}`)
      if (!isFloat(a.dtype)) throw new TypeError(`valueAndGrads: argument ${i} (shape ${formatShape(a.shape)}) is ${a.dtype}; only float tensors have gradients`)
      const x = a.detach()
      x.requiresGrad = true
      return x
    })
    const value = f(...xs)
    if (!(value instanceof Tensor)) throw new TypeError(`valueAndGrads: f must return one Tensor, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`)
    const grads = gradients('valueAndGrads', value, xs, dy)
    const missing = grads.findIndex((g) => g === null)
    if (missing >= 0) {
      throw new Error(
        `valueAndGrads: cannot compute the gradient of f with respect to argument ${missing} (shape ${formatShape(xs[missing].shape)}): ` +
          "f's result does not depend on it; make sure f computes its result from the arguments it is given",
      )
    }
    return { value: value.detach(), grads: grads as Tensor[] }
  }
}

export interface GradientTapeArgs {
  /** Allow more than one gradient() call (TensorFlow's `persistent=True`). Default false. */
  persistent?: boolean
}

/**
 * TensorFlow 2's `tf.GradientTape`, for code written in its style:
 *
 *     const tape = new GradientTape({ persistent: true })
 *     tape.watch(w1)                                 // with tf.GradientTape(...) as tape: tape.watch(w1)
 *     const loss = f(w1)
 *     const [gw1] = tape.gradient(loss, [w1])        // tape.gradient(loss, [w1])
 *
 * yann records every op on tensors that require grad, inside a tape or not; `watch` makes a
 * tensor one of those (it sets `requiresGrad`, as a TensorFlow Variable is watched automatically),
 * and `gradient` reads gradients off the recorded graph without touching any `.grad`.
 */
export class GradientTape {
  readonly persistent: boolean
  private used = false

  constructor(args: GradientTapeArgs = {}) {
    checkOptionKeys('GradientTape', args, ['persistent'])
    const { persistent = false } = args
    this.persistent = persistent
  }

  /** Record ops on these tensors from now on (sets `requiresGrad` on leaves). */
  watch(...tensors: (Tensor | Tensor[])[]): void {
    for (const t of tensors.flat()) {
      if (!(t instanceof Tensor)) throw new TypeError(`GradientTape.watch: expected tensors, got ${t === null ? 'null' : typeof t}`)
      if (!t.requiresGrad) t.requiresGrad = true
    }
  }

  /**
   * The gradient of `target` (summed, when not a scalar, or weighted by `outputGradients`) with
   * respect to `sources`: one tensor, or an array in the sources' order. null where a source
   * does not lead to the target (TensorFlow's None).
   */
  gradient(target: Tensor, sources: Tensor, outputGradients?: Tensor): Tensor | null
  gradient(target: Tensor, sources: readonly Tensor[], outputGradients?: Tensor): (Tensor | null)[]
  gradient(target: Tensor, sources: Tensor | readonly Tensor[], outputGradients?: Tensor): Tensor | null | (Tensor | null)[] {
    if (this.used && !this.persistent) {
      throw new Error('GradientTape.gradient: a non-persistent GradientTape can only be used to compute one set of gradients; create it with { persistent: true }')
    }
    this.used = true
    const list = sources instanceof Tensor ? [sources] : sources
    if (!Array.isArray(list)) throw new TypeError('GradientTape.gradient: sources must be a tensor or an array of tensors')
    const grads = gradients('GradientTape.gradient', target, list, outputGradients)
    return sources instanceof Tensor ? grads[0] : grads
  }
}
