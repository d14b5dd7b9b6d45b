import { record } from '../autograd/engine.js'
import { SCALAR } from '../shape.js'
import type { Tensor } from '../tensor.js'
import { empty, floatDType, floats } from './operands.js'

/** How an elementwise loss reduces: PyTorch's reductions, plus kl_div's 'batchmean' (sum / batch size). */
export type ElementReduction = 'mean' | 'sum' | 'none' | 'batchmean'

/**
 * One loss term per element i, with its derivatives: `value(x, t, i)`, `dx(x, t, i)` = ∂ℓ/∂x and,
 * where the loss allows a target that requires grad, `dt(x, t, i)` = ∂ℓ/∂t.
 */
export interface ElementLoss {
  value(x: number, t: number, i: number): number
  dx(x: number, t: number, i: number): number
  dt?: (x: number, t: number, i: number) => number
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
  const x = floats(input)
  const t = floats(target)
  let out: Tensor
  if (reduction === 'none') {
    out = empty(dtype, input.shape)
    const o = floats(out)
    for (let i = 0; i < n; i++) o[i] = loss.value(x[i], t[i], i)
  } else {
    let total = 0
    for (let i = 0; i < n; i++) total += loss.value(x[i], t[i], i)
    out = empty(dtype, SCALAR)
    floats(out)[0] = total * scale
  }
  return record(out, gradFnName, [input, target], (g) => {
    const gs = floats(g)
    const each = gs.length !== 1
    const grad = (d: (x: number, t: number, i: number) => number): Tensor => {
      const r = empty(dtype, input.shape)
      const o = floats(r)
      const xs = floats(input)
      const ts = floats(target)
      for (let i = 0; i < n; i++) o[i] = scale * (each ? gs[i] : gs[0]) * d(xs[i], ts[i], i)
      return r
    }
    return [input.requiresGrad ? grad(loss.dx) : null, target.requiresGrad && loss.dt ? grad(loss.dt) : null]
  }, undefined, [input, target])
}
