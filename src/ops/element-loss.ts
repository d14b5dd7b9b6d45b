import { record } from '../autograd/engine.js'
import { SCALAR } from '../shape.js'
import type { Tensor } from '../tensor.js'
import { replayedStep } from '../compile/hooks.js'
import type { FloatArray } from '../dtype.js'
import { empty, floatDType, floats } from './operands.js'

/** How an elementwise loss reduces: PyTorch's reductions, plus kl_div's 'batchmean' (sum / batch size). */
export type ElementReduction = 'mean' | 'sum' | 'none' | 'batchmean'

/**
 * One loss term per element i, with its derivatives: `value(x, t, i)`, `dx(x, t, i)` = ∂ℓ/∂x and,
 * where the loss allows a target that requires grad, `dt(x, t, i)` = ∂ℓ/∂t.
 */
export interface ElementLoss {
  value: Term
  dx: Term
  dt?: Term
}

/**
 * An elementwise loss and its reduction as one recorded node, computed in plain loops (these
 * losses are not hot: one pass forward, one backward). Sums accumulate in float64. The caller
 * has checked the shapes and dtypes; `input` and `target` have one shape and one float dtype.
 */
export function elementLossOp(op: string, gradFnName: string, input: Tensor, target: Tensor, loss: ElementLoss, reduction: ElementReduction): Tensor {
  if (target.requiresGrad && !loss.dt) {
    throw new Error(`${op}: gradients with respect to the target are not supported; pass target.detach()`)
  }
  const dtype = floatDType(input)
  const n = input.numel()
  const batch = input.ndim === 0 ? 1 : input.shape[0]
  const scale = reduction === 'mean' ? 1 / n : reduction === 'batchmean' ? 1 / batch : 1
  const out = empty(dtype, reduction === 'none' ? input.shape : SCALAR)
  // The loops run as replayedSteps: a compiled step redoes them on each call's values, as kernels.
  replayedStep('elementLoss', lossValues, [floats(input), floats(target), floats(out), loss.value, reduction !== 'none', scale])
  return record(out, gradFnName, [input, target], (g) => {
    const grad = (d: Term): Tensor => {
      const r = empty(dtype, input.shape)
      replayedStep('elementLossGrad', lossGrad, [floats(g), floats(input), floats(target), floats(r), d, scale])
      return r
    }
    return [input.requiresGrad ? grad(loss.dx) : null, target.requiresGrad && loss.dt ? grad(loss.dt) : null]
  }, undefined, [input, target])
}

type Term = (x: number, t: number, i: number) => number

/** Each element's loss into `o`, or their sum (in float64) times `scale` into o[0] when `reduced`. */
function lossValues(x: FloatArray, t: FloatArray, o: FloatArray, value: Term, reduced: boolean, scale: number): void {
  if (!reduced) {
    for (let i = 0; i < x.length; i++) o[i] = value(x[i], t[i], i)
    return
  }
  let total = 0
  for (let i = 0; i < x.length; i++) total += value(x[i], t[i], i)
  o[0] = total * scale
}

/** scale · g · d(x, t) per element (g one number when the loss was reduced). */
function lossGrad(gs: FloatArray, xs: FloatArray, ts: FloatArray, o: FloatArray, d: Term, scale: number): void {
  const each = gs.length !== 1
  for (let i = 0; i < o.length; i++) o[i] = scale * (each ? gs[i] : gs[0]) * d(xs[i], ts[i], i)
}
