import { requireTensor } from '../argument-checks.js'
import { describeValue } from '../describe-value.js'
import { constantArray } from '../compile/hooks.js'
import { isFloat, MAX_TENSOR_BYTES, type DType, type FloatArray, type FloatDType } from '../dtype.js'
import { computeDType, resultType } from '../promote.js'
import { checkOptionKeys } from '../options.js'
import { formatShape, type Shape } from '../shape.js'
import { Tensor, type Operand } from '../tensor.js'

/** Helpers every op uses to turn its arguments into float tensors and make its output. */

/** A new float tensor of `shape` whose elements the kernel will write into `out.data`. */
export function empty(dtype: FloatDType, shape: Shape): Tensor {
  let n = 1
  for (let i = 0; i < shape.length; i++) n *= shape[i]
  // The limit zeros() has: an outer product or a broadcast could otherwise ask the engine for 10 GB.
  const bytes = n * (dtype === 'float64' ? 8 : 4)
  if (bytes > MAX_TENSOR_BYTES) {
    throw new RangeError(`a result of shape ${formatShape(shape)} (${bytes} bytes as ${dtype}) is more than one tensor holds (${MAX_TENSOR_BYTES} bytes, 4 GiB): the op's inputs broadcast or multiply to too large a result`)
  }
  // Each constructor named: one call site per array type allocates faster than a lookup.
  try {
    return new Tensor(dtype === 'float64' ? new Float64Array(n) : new Float32Array(n), shape)
  } catch (e) {
    if (!(e instanceof RangeError)) throw e
    // Wasm kernels whose arrays do not fit wasm memory already ran on ts: this fits nowhere.
    const bytes = n * (dtype === 'float64' ? 8 : 4)
    throw new RangeError(`cannot allocate a ${dtype} result of shape [${shape.join(', ')}] (${bytes} bytes): it fits neither in JavaScript nor in wasm memory`)
  }
}

/** The float elements of a tensor (valid until the next kernel call: never keep it). */
export function floats(t: Tensor): FloatArray {
  return t.data as FloatArray
}

/** int32 and bool tensors compute as float32, the dtype PyTorch gives float ops on integers. */
export function asFloat(t: Tensor): Tensor {
  return t.dtype === 'int32' || t.dtype === 'bool' ? t.to('float32') : t
}

export function floatDType(t: Tensor): FloatDType {
  return t.dtype === 'float64' ? 'float64' : 'float32'
}

/**
 * Both operands of a binary op as tensors of the float dtype it computes in, and the dtype of
 * its result (PyTorch's promotion, src/promote.ts): an integer result computes in float64
 * (exact) for the op to narrow; a number becomes a 0-d tensor of the compute dtype.
 */
export function promote(op: string, a: Operand, b: Operand): [Tensor, Tensor, DType] {
  if (typeof a === 'number' && typeof b === 'number') throw new TypeError(`${op}: at least one operand must be a tensor`)
  checkOperand(op, a)
  checkOperand(op, b)
  const dtype = resultType(a, b)
  const compute = computeDType(dtype)
  return [operandAs(a, compute), operandAs(b, compute), dtype]
}

/** A tensor or number as a tensor of a float dtype. */
export function operandAs(v: Operand, dtype: FloatDType): Tensor {
  if (typeof v !== 'number') return v.dtype === dtype ? v : v.to(dtype)
  const t = empty(dtype, [])
  constantArray(floats(t))[0] = v
  return t
}

/** int32 and bool as float64 (exact), floats as they are: what an op with an integer result computes on. */
export const exact = (t: Tensor): Tensor => (isFloat(t.dtype) ? t : t.to('float64'))

export function checkOperand(op: string, x: unknown): void {
  if (typeof x !== 'number' && !(x instanceof Tensor)) {
    throw new TypeError(`${op}: expected a Tensor or a number, got ${describeValue(x)}`)
  }
}

/** A tensor argument of an op that PyTorch only runs on floats (conv, linear): a missing or int32/bool one is named. */
export function requireFloatTensor(op: string, what: string, t: unknown): Tensor {
  requireTensor(op, what, t)
  if (t.dtype !== 'float32' && t.dtype !== 'float64') throw new TypeError(`${op}: ${what} must be float32 or float64, got ${t.dtype} of shape ${formatShape(t.shape)}; convert it with .float()`)
  return t
}

/** PyTorch's `dtype` keyword of softmax, logSoftmax and cumsum: the input is cast to it first. */
export interface DTypeOptions {
  dtype?: FloatDType
}

/** x cast to options.dtype (x itself without it); an unknown key is an error rather than ignored. */
export function castFor(op: string, x: Tensor, options: DTypeOptions | undefined): Tensor {
  if (options === undefined) return x
  checkOptionKeys(op, options, ['dtype'])
  return options.dtype === undefined ? x : x.to(options.dtype)
}

/** Ops that PyTorch refuses on mixed dtypes (matmul, linear, losses) call this. */
export function requireSameDType(op: string, a: Tensor, b: Tensor, what = 'both operands'): void {
  if (a.dtype !== b.dtype) {
    // Advise converting toward the float dtype (an int32 input against float weights: convert the input).
    const [first, second] = what.includes(' and ') ? what.split(' and ') : ['the first', 'the second']
    const fix =
      !isFloat(a.dtype) ? `convert ${first} with .to('${b.dtype}')`
      : !isFloat(b.dtype) ? `convert ${second} with .to('${a.dtype}')`
      : `convert one with .to('${a.dtype}')`
    throw new TypeError(`${op}: expected ${what} to have the same dtype, got ${a.dtype} ${formatShape(a.shape)} and ${b.dtype} ${formatShape(b.shape)}; ${fix}`)
  }
}
