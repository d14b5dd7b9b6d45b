import { Tensor } from './tensor.js'

/**
 * The function forms of ops (`yann.sum(x)`, `F.gelu(x)`) check their first argument at the API
 * boundary, as PyTorch's argument parser does. A method always has a Tensor, but a JavaScript
 * caller can pass anything: a string or an array read as a tensor failed deep inside the op with
 * a raw TypeError ("x.numel is not a function"). Every function of `ops` (a module namespace)
 * is wrapped (named in errors by `publicNames`, where exported under another name); destructure the
 * public ones.
 */
export function tensorFirst<M extends object>(ops: M, publicNames: Record<string, string> = {}): M {
  const checked: Record<string, unknown> = {}
  for (const [name, f] of Object.entries(ops)) {
    if (typeof f !== 'function') continue
    const op = publicNames[name] ?? name
    checked[name] = function (this: unknown, x: unknown) {
      if (!(x instanceof Tensor)) throw new TypeError(`${op}: expected a Tensor, got ${describeValue(x)}; make one with tensor(...)`)
      return f.apply(this, arguments) // `arguments`, not a rest parameter: no array per call
    }
  }
  return checked as M
}

/** What a value that should have been a tensor is, for error messages. */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return String(v)
  if (Array.isArray(v)) return `an array of length ${v.length}`
  if (typeof v === 'object') return `an object (${v.constructor?.name ?? 'no class'})`
  return `${/^[aeiou]/.test(typeof v) ? 'an' : 'a'} ${typeof v}`
}

/** A tensor argument past the first (a method's `other`, an op's second operand). */
export function requireTensor(op: string, what: string, v: unknown): asserts v is Tensor {
  if (!(v instanceof Tensor)) throw new TypeError(`${op}: ${what} must be a Tensor, got ${describeValue(v)}`)
}

/** A list argument (sizes, dims, index items): a string or a number is not read as one. */
export function requireList(op: string, what: string, v: unknown, example: string): asserts v is readonly unknown[] {
  if (!Array.isArray(v)) throw new TypeError(`${op}: ${what} must be an array, e.g. ${example}, got ${describeValue(v)}`)
}
