import { noGrad } from './grad-mode.js'
import { jacobianOf, type TensorFunction } from './jacobian.js'
import { formatShape, sameShape, stridesOf, type Shape } from '../shape.js'
import { Tensor } from '../tensor.js'
import { checkOptionKeys } from '../options.js'

export interface GradcheckOptions {
  /** Finite-difference step. Default 1e-6. */
  eps?: number
  /** Absolute tolerance. Default 1e-5. */
  atol?: number
  /** Relative tolerance, times |numerical|. Default 1e-3. */
  rtol?: number
}

/**
 * Check `f`'s gradients, like `torch.autograd.gradcheck`: the analytic Jacobian (from backward,
 * see jacobian()) must match central finite differences (f(x + eps) − f(x − eps)) / 2eps entry
 * by entry, |analytic − numerical| ≤ atol + rtol·|numerical|.
 *
 * Every input must be a float64 tensor with requiresGrad: in float32 the rounding error of
 * f(x ± eps), about 1e-7·|f| / eps, swamps the derivative. Capture constants (targets, int32
 * indices) in `f`'s closure instead of passing them. `f` must not be random and must return
 * one float64 tensor.
 *
 * Returns true, or throws an Error naming the worst entry: input and output index, the analytic
 * and numerical values, and the op that made f's output.
 */
export function gradcheck(f: TensorFunction, inputs: Tensor | readonly Tensor[], options: GradcheckOptions = {}): true {
  checkOptionKeys('gradcheck', options, ['eps', 'atol', 'rtol'])
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3 } = options
  if (!(eps > 0 && eps < Infinity)) throw new RangeError(`gradcheck: eps must be a positive finite step, got ${eps}`)
  if (!(atol >= 0 && rtol >= 0)) throw new RangeError(`gradcheck: atol and rtol must be >= 0, got atol ${atol}, rtol ${rtol}`)
  const xs = inputs instanceof Tensor ? [inputs] : inputs
  if (!Array.isArray(xs) || xs.length === 0) throw new TypeError('gradcheck: inputs must be a tensor or a non-empty array of tensors')
  xs.forEach((x, k) => {
    if (!(x instanceof Tensor)) throw new TypeError(`gradcheck: input ${k} is not a Tensor (got ${x === null ? 'null' : typeof x})`)
    if (x.dtype !== 'float64') {
      throw new TypeError(
        `gradcheck: input ${k} (shape ${formatShape(x.shape)}) is ${x.dtype}, but finite differences need float64: ` +
          `in ${x.dtype} the rounding error of f(x ± eps) is about 1e-7·|f| / eps, larger than the gradient itself; convert it with .double()`,
      )
    }
    if (!x.requiresGrad) {
      throw new Error(
        `gradcheck: input ${k} (shape ${formatShape(x.shape)}) does not require grad; set requiresGrad on every input, ` +
          "and capture tensors you don't differentiate in f's closure",
      )
    }
  })

  const { output, jacobians } = jacobianOf('gradcheck', f, xs)
  if (output.dtype !== 'float64') {
    throw new TypeError(`gradcheck: f returned a ${output.dtype} tensor; finite differences need a float64 output (remove the cast inside f)`)
  }
  const opName = output.gradFn?.name ?? (output.requiresGrad ? 'a leaf (f returned an input)' : 'no op (the output does not depend on the inputs)')
  const outN = output.numel()

  let worst: Mismatch | null = null
  let failures = 0
  xs.forEach((x, k) => {
    const inN = x.numel()
    const analytic = jacobians[k].data
    for (let i = 0; i < inN; i++) {
      // x.data afresh at each write: a Parameter's is a view of wasm memory, detached if f grows it.
      const orig = x.data[i]
      let plus: ArrayLike<number>
      let minus: ArrayLike<number>
      try {
        x.data[i] = orig + eps
        plus = evaluate(f, xs, output.shape)
        x.data[i] = orig - eps
        minus = evaluate(f, xs, output.shape)
      } finally {
        x.data[i] = orig
      }
      for (let o = 0; o < outN; o++) {
        const numerical = (plus[o] - minus[o]) / (2 * eps)
        const a = analytic[o * inN + i]
        const bound = atol + rtol * Math.abs(numerical)
        const diff = Math.abs(a - numerical)
        const bothNaN = Number.isNaN(a) && Number.isNaN(numerical)
        if (bothNaN || diff <= bound) continue
        failures++
        const excess = Number.isNaN(diff) ? Infinity : diff - bound
        if (!worst || excess > worst.excess) worst = { input: k, inIndex: i, outIndex: o, analytic: a, numerical, diff, bound, excess }
      }
    }
  })
  if (!worst) return true

  const w: Mismatch = worst
  const x = xs[w.input]
  const total = jacobians.reduce((n, j) => n + j.numel(), 0)
  throw new Error(
    `gradcheck: the analytic gradient of ${opName} differs from the numerical one for input ${w.input} (shape ${formatShape(x.shape)}): ` +
      `worst at output index ${formatIndex(w.outIndex, output.shape)}, input index ${formatIndex(w.inIndex, x.shape)}: ` +
      `analytic ${w.analytic} vs numerical ${w.numerical}, |difference| ${w.diff} > atol + rtol·|numerical| = ${w.bound} ` +
      `(eps ${eps}, atol ${atol}, rtol ${rtol}); ${failures} of ${total} Jacobian entries differ`,
  )
}

interface Mismatch {
  input: number
  inIndex: number
  outIndex: number
  analytic: number
  numerical: number
  diff: number
  bound: number
  excess: number
}

/** f's output values at the inputs as they are now: a copy, as f may return a view of an input (reshape), which the next perturbation would change. */
function evaluate(f: TensorFunction, xs: readonly Tensor[], shape: Shape): ArrayLike<number> {
  const y = noGrad(() => f(...xs))
  if (!(y instanceof Tensor) || !sameShape(y.shape, shape)) {
    throw new Error(`gradcheck: f returned ${y instanceof Tensor ? `shape ${formatShape(y.shape)}` : typeof y} for perturbed inputs, but ${formatShape(shape)} at the inputs`)
  }
  return y.data.slice()
}

/** A flat row-major index as [i, j, ...] in `shape`. */
function formatIndex(flat: number, shape: Shape): string {
  const strides = stridesOf(shape)
  return `[${shape.map((d, k) => Math.floor(flat / strides[k]) % d).join(', ')}]`
}
