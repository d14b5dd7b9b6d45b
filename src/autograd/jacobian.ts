import { allocate, isFloat } from '../dtype.js'
import { formatShape } from '../shape.js'
import { Tensor } from '../tensor.js'
import { grad } from './engine.js'
import { isGradEnabled } from './grad-mode.js'

/** A function of tensors returning one tensor: what jacobian() and gradcheck() differentiate. */
export type TensorFunction = (...inputs: Tensor[]) => Tensor

/** @internal f's output on fresh leaves, and its Jacobian with respect to each input. */
export interface JacobianResult {
  output: Tensor
  jacobians: Tensor[]
}

/**
 * The Jacobian of `f` at `inputs`, like `torch.autograd.functional.jacobian`: for an output of
 * shape O and an input of shape I, a tensor of shape [...O, ...I] whose entry [o, i] is
 * ∂out[o]/∂in[i]. One tensor for a single input; an array (one per input) for an array of inputs.
 *
 * Built from vector-Jacobian products: one autograd grad() per output element, with a one-hot
 * gradient. `f` is called on detached copies of the inputs (sharing their data), and grad()
 * accumulates into no `.grad`, so the caller's tensors are left untouched.
 * An input the output does not depend on gets a zero Jacobian.
 *
 * ```ts
 * const x = tensor([1, 2, 3], { dtype: 'float64' })
 * jacobian((x) => x.mul(x), x) // diag(2, 4, 6), shape [3, 3]
 * ```
 */
export function jacobian(f: TensorFunction, inputs: Tensor): Tensor
export function jacobian(f: TensorFunction, inputs: readonly Tensor[]): Tensor[]
export function jacobian(f: TensorFunction, inputs: Tensor | readonly Tensor[]): Tensor | Tensor[] {
  const { jacobians } = jacobianOf('jacobian', f, inputs instanceof Tensor ? [inputs] : inputs)
  return inputs instanceof Tensor ? jacobians[0] : jacobians
}

/** @internal jacobian() for a list of inputs, also handing back f's output (gradcheck names its op). */
export function jacobianOf(op: string, f: TensorFunction, inputs: readonly Tensor[]): JacobianResult {
  if (typeof f !== 'function') throw new TypeError(`${op}: f must be a function of tensors returning a tensor, got ${typeof f}`)
  if (!Array.isArray(inputs) || inputs.length === 0) {
    throw new TypeError(`${op}: inputs must be a tensor or a non-empty array of tensors`)
  }
  if (!isGradEnabled()) {
    throw new Error(`${op}: gradient recording is off (called inside noGrad() or during backward()); call it outside noGrad`)
  }
  const xs = inputs.map((t, k) => {
    if (!(t instanceof Tensor)) throw new TypeError(`${op}: input ${k} is not a Tensor (got ${t === null ? 'null' : typeof t})`)
    if (!isFloat(t.dtype)) {
      throw new TypeError(`${op}: input ${k} (shape ${formatShape(t.shape)}) is ${t.dtype}; only float32 and float64 tensors have gradients`)
    }
    const x = t.detach()
    x.requiresGrad = true
    return x
  })
  const output = f(...xs)
  if (!(output instanceof Tensor)) {
    throw new TypeError(`${op}: f must return one Tensor, got ${output === null ? 'null' : Array.isArray(output) ? 'an array' : typeof output}`)
  }
  const outN = output.numel()
  const jacobians = xs.map((x) => new Tensor(allocate(x.dtype, outN * x.numel()), [...output.shape, ...x.shape]))
  if (!output.requiresGrad) return { output, jacobians } // f's output does not depend on any input

  // One vector-Jacobian product per output element: row o of the Jacobian.
  for (let o = 0; o < outN; o++) {
    const seed = allocate(output.dtype, outN)
    seed[o] = 1
    const rows = grad(output, xs, new Tensor(seed, output.shape), { retainGraph: o < outN - 1 })
    rows.forEach((g, k) => {
      if (g) jacobians[k].data.set(g.data, o * xs[k].numel())
    })
  }
  return { output, jacobians }
}
