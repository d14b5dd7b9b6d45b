import { allocate, isFloat } from '../dtype.js'
import { formatShape } from '../shape.js'
import { Tensor } from '../tensor.js'
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
 * Built from vector-Jacobian products: one backward() per output element, with a one-hot
 * gradient and `retainGraph`. `f` is called on detached copies of the inputs (sharing their
 * data), so the caller's tensors and the `.grad` of any other leaf `f` uses are left untouched.
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

  // backward() accumulates into every leaf's .grad: park the existing ones and put them back after.
  const leaves = leavesOf(output)
  const saved = leaves.map((t) => t.grad)
  try {
    for (let o = 0; o < outN; o++) {
      for (const t of leaves) t.grad = null
      const seed = allocate(output.dtype, outN)
      seed[o] = 1
      output.backward(new Tensor(seed, output.shape), { retainGraph: true })
      xs.forEach((x, k) => {
        if (x.grad) jacobians[k].data.set(x.grad.data, o * x.numel())
      })
    }
  } finally {
    leaves.forEach((t, k) => (t.grad = saved[k]))
  }
  return { output, jacobians }
}

/** Every leaf that requires grad and is reachable from `root` through gradFn (root included). */
function leavesOf(root: Tensor): Tensor[] {
  const leaves: Tensor[] = []
  const seen = new Set<Tensor>()
  const stack = [root]
  while (stack.length > 0) {
    const t = stack.pop()!
    if (seen.has(t)) continue
    seen.add(t)
    if (t.isLeaf) {
      if (t.requiresGrad) leaves.push(t)
      continue
    }
    for (const input of t.gradFn!.inputs) stack.push(input)
  }
  return leaves
}
