import { describeValue } from './describe-value.js'
import { Tensor } from './tensor.js'

/**
 * A function form of an op (`yann.sum(x)`, `F.gelu(x)`) that checks its first argument at the
 * API boundary, as PyTorch's argument parser does. A method always has a Tensor, but a JavaScript
 * caller can pass anything: a string or an array read as a tensor failed deep inside the op with
 * a raw TypeError ("x.numel is not a function"). One wrapper per public name, made from a static
 * reference (a module namespace walked at import cost ~1 ms of cold start: its getters compile).
 */
export function tensorFirst<F extends (x: Tensor, ...rest: never[]) => unknown>(op: string, f: F): F {
  return function (this: unknown, x: unknown) {
    if (!(x instanceof Tensor)) throw new TypeError(`${op}: expected a Tensor, got ${describeValue(x)}; make one with tensor(...)`)
    return f.apply(this, arguments as never) // `arguments`, not a rest parameter: no array per call
  } as F
}


/** A tensor argument past the first (a method's `other`, an op's second operand). */
export function requireTensor(op: string, what: string, v: unknown): asserts v is Tensor {
  if (!(v instanceof Tensor)) throw new TypeError(`${op}: ${what} must be a Tensor, got ${describeValue(v)}`)
}

/** A list argument (sizes, dims, index items): a string or a number is not read as one. */
export function requireList(op: string, what: string, v: unknown, example: string): asserts v is readonly unknown[] {
  if (!Array.isArray(v)) throw new TypeError(`${op}: ${what} must be an array, e.g. ${example}, got ${describeValue(v)}`)
}
