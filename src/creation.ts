import { constantArray } from './compile/hooks.js'
import { allocate, checkDType, isFloat, type DType, type TypedArray } from './dtype.js'
import { random, randomNormal } from './random.js'
import { numelOf, type Shape } from './shape.js'
import { Tensor, type NestedArray } from './tensor.js'

export interface TensorOptions {
  /** Default float32 (int32 for Int32Array data). */
  dtype?: DType
  requiresGrad?: boolean
}

export type TensorData = number | boolean | TypedArray | readonly TensorData[]

/** A tensor from a number, nested arrays or a typed array (copied), like torch.tensor. */
export function tensor(data: TensorData, options: TensorOptions = {}): Tensor {
  const dtype = checkDType(options.dtype ?? inferDType(data), 'tensor')
  if (ArrayBuffer.isView(data)) {
    const out = allocate(dtype, data.length)
    out.set(data)
    return withGrad(new Tensor(out, [data.length]), options)
  }
  const shape: number[] = []
  const values: number[] = []
  collect(data, 0, shape, values, [])
  const out = allocate(dtype, values.length)
  out.set(values)
  return withGrad(new Tensor(out, shape), options)
}

/** The dtype PyTorch would infer: int32 and float64 from typed arrays, bool from JS booleans, else float32. */
function inferDType(data: TensorData): DType {
  if (data instanceof Int32Array) return 'int32'
  if (data instanceof Float64Array) return 'float64'
  let first: TensorData = data
  while (Array.isArray(first) && first.length > 0) first = first[0]
  return typeof first === 'boolean' ? 'bool' : 'float32'
}

/** Walk nested arrays, fixing the shape from the first element of each depth and checking the rest. */
function collect(data: TensorData, depth: number, shape: number[], values: number[], at: number[]): void {
  if (typeof data === 'number' || typeof data === 'boolean') {
    if (depth < shape.length) throw raggedError(at, shape[depth], 'a number')
    values.push(Number(data))
    return
  }
  if (!Array.isArray(data) && !ArrayBuffer.isView(data)) {
    throw new TypeError(`tensor: expected numbers, arrays or typed arrays, got ${data === null ? 'null' : typeof data} at ${formatIndex(at)}`)
  }
  const items = data as ArrayLike<TensorData>
  if (depth === shape.length && values.length === 0) shape.push(items.length)
  else if (depth >= shape.length) throw raggedError(at, undefined, `a sequence of length ${items.length}`)
  else if (items.length !== shape[depth]) throw raggedError(at, shape[depth], `length ${items.length}`)
  for (let i = 0; i < items.length; i++) collect(items[i], depth + 1, shape, values, [...at, i])
  if (items.length === 0 && depth + 1 < shape.length) throw raggedError(at, shape[depth + 1], 'an empty sequence')
}

function raggedError(at: number[], expected: number | undefined, got: string): Error {
  const want = expected === undefined ? 'a number' : `a sequence of length ${expected}`
  return new Error(`tensor: ragged nested array: expected ${want} at ${formatIndex(at)} but got ${got}; every row at one depth must have the same length`)
}

function formatIndex(at: number[]): string {
  return at.length === 0 ? 'the top level' : `index [${at.join('][')}]`
}

function withGrad(t: Tensor, options: TensorOptions): Tensor {
  if (options.requiresGrad) t.requiresGrad = true
  return t
}

function checkShape(op: string, shape: Shape): void {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new TypeError(`${op}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`)
  }
}

/** A tensor of `shape` filled with `value`. */
export function full(shape: Shape, value: number, options: TensorOptions = {}): Tensor {
  return filled('full', shape, value, options)
}

/** full() under the name of the function the user called, for its error messages. */
function filled(op: string, shape: Shape, value: number, options: TensorOptions = {}): Tensor {
  checkShape(op, shape)
  const data = constantArray(allocate(checkDType(options.dtype ?? 'float32', op), numelOf(shape)).fill(value))
  return withGrad(new Tensor(data, shape), options)
}

export const zeros = (shape: Shape, options?: TensorOptions): Tensor => filled('zeros', shape, 0, options)
export const ones = (shape: Shape, options?: TensorOptions): Tensor => filled('ones', shape, 1, options)
export const zerosLike = (t: Tensor, options?: TensorOptions): Tensor => filled('zerosLike', t.shape, 0, { dtype: t.dtype, ...options })
export const onesLike = (t: Tensor, options?: TensorOptions): Tensor => filled('onesLike', t.shape, 1, { dtype: t.dtype, ...options })

/** Values start, start + step, ... below end (like torch.arange; arange(n) is 0..n-1). */
export function arange(start: number, end?: number, step = 1, options: TensorOptions = {}): Tensor {
  if (end === undefined) [start, end] = [0, start]
  if (step === 0 || !Number.isFinite(step)) throw new RangeError(`arange: step must be a non-zero finite number, got ${step}`)
  const n = Math.max(0, Math.ceil((end - start) / step))
  const dtype = checkDType(options.dtype ?? 'float32', 'arange')
  const data = allocate(dtype, n)
  for (let i = 0; i < n; i++) data[i] = start + i * step
  return withGrad(new Tensor(data, [n]), options)
}

function randomTensor(op: string, shape: Shape, options: TensorOptions, sample: () => number): Tensor {
  checkShape(op, shape)
  const dtype = checkDType(options.dtype ?? 'float32', op)
  if (!isFloat(dtype)) throw new TypeError(`${op}: dtype must be float32 or float64, got ${dtype}`)
  const data = allocate(dtype, numelOf(shape))
  for (let i = 0; i < data.length; i++) data[i] = sample()
  return withGrad(new Tensor(data, shape), options)
}

/** Uniform samples in [0, 1) from the seedable generator (see manualSeed). */
export const rand = (shape: Shape, options: TensorOptions = {}): Tensor => randomTensor('rand', shape, options, random)

/** Standard normal samples from the seedable generator (see manualSeed). */
export const randn = (shape: Shape, options: TensorOptions = {}): Tensor => randomTensor('randn', shape, options, randomNormal)

export type { NestedArray }
