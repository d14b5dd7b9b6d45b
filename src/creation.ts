import { constantArray } from './compile/hooks.js'
import { checkOptionKeys } from './options.js'
import { boolByte, bytesPerElement, checkDType, checkInt32Values, isFloat, MAX_TENSOR_BYTES, type DType, type TypedArray } from './dtype.js'
import { Generator, random, randomNormal } from './random.js'
import { numelOf, type Shape } from './shape.js'
import { allocateShaped, checkShape } from './shape-check.js'
import { Tensor, type NestedArray } from './tensor.js'

export interface TensorOptions {
  /** Default float32 (int32 for Int32Array data). */
  dtype?: DType
  requiresGrad?: boolean
}

export type TensorData = number | boolean | TypedArray | readonly TensorData[]

/** A tensor from a number, nested arrays or a typed array (copied), like torch.tensor. */
export function tensor(data: TensorData, options: TensorOptions = {}): Tensor {
  checkTensorOptions('tensor', options)
  const dtype = checkDType(options.dtype ?? inferDType(data), 'tensor')
  if (ArrayBuffer.isView(data)) {
    if (dtype === 'int32') checkInt32Values('tensor', data)
    const out = allocateShaped('tensor', dtype, [data.length], data.length)
    out.set(dtype === 'bool' ? Array.from(data as ArrayLike<number>, boolByte) : data)
    return withGrad(new Tensor(out, [data.length]), options)
  }
  const shape = nestedShape(data)
  const values = new Float64Array(shape.reduce((n, d) => n * d, 1))
  fill(data, 0, shape, values, 0, [])
  if (dtype === 'int32') checkInt32Values('tensor', values)
  const out = allocateShaped('tensor', dtype, shape, values.length)
  out.set(dtype === 'bool' ? values.map(boolByte) : values)
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

// PyTorch's limit for nested sequences (MAX_DIMS in torch/csrc/utils/tensor_new.cpp).
const MAX_NESTING = 128

/** The shape nested arrays claim through their first elements; fill() checks every other row against it. */
function nestedShape(data: TensorData): number[] {
  const shape: number[] = []
  for (let d = data; Array.isArray(d) || ArrayBuffer.isView(d); d = (d as ArrayLike<TensorData>)[0]) {
    if (shape.length === MAX_NESTING) throw new Error(`tensor: nested arrays deeper than ${MAX_NESTING} levels; a tensor has at most ${MAX_NESTING} dimensions (as in PyTorch)`)
    const length = (d as ArrayLike<TensorData>).length
    shape.push(length)
    if (length === 0) break
  }
  return shape
}

/**
 * Copies the numbers of nested arrays into `out` from index `k`, checking each row's length
 * against `shape`; `at` is the index being visited (only read to name a ragged row). Returns
 * the next index.
 */
function fill(data: TensorData, depth: number, shape: number[], out: Float64Array, k: number, at: number[]): number {
  if (typeof data === 'number' || typeof data === 'boolean') {
    if (depth < shape.length) throw raggedError(at, depth, shape[depth], 'a number')
    out[k] = Number(data)
    return k + 1
  }
  if (!Array.isArray(data) && !ArrayBuffer.isView(data)) {
    throw new TypeError(`tensor: expected numbers, arrays or typed arrays, got ${data === null ? 'null' : typeof data} at ${formatIndex(at, depth)}`)
  }
  const items = data as ArrayLike<TensorData>
  if (depth >= shape.length) throw raggedError(at, depth, undefined, `a sequence of length ${items.length}`)
  if (items.length !== shape[depth]) throw raggedError(at, depth, shape[depth], `length ${items.length}`)
  for (let i = 0; i < items.length; i++) {
    at[depth] = i
    k = fill(items[i], depth + 1, shape, out, k, at)
  }
  return k
}

function raggedError(at: number[], depth: number, expected: number | undefined, got: string): Error {
  const want = expected === undefined ? 'a number' : `a sequence of length ${expected}`
  return new Error(`tensor: ragged nested array: expected ${want} at ${formatIndex(at, depth)} but got ${got}; every row at one depth must have the same length`)
}

function formatIndex(at: number[], depth: number): string {
  return depth === 0 ? 'the top level' : `index [${at.slice(0, depth).join('][')}]`
}

function withGrad(t: Tensor, options: TensorOptions): Tensor {
  if (options.requiresGrad) t.requiresGrad = true
  return t
}

const TENSOR_OPTIONS = ['dtype', 'requiresGrad'] as const

function checkTensorOptions(op: string, options: TensorOptions | undefined): void {
  checkOptionKeys(op, options, TENSOR_OPTIONS)
}

/** A tensor of `shape` filled with `value`. */
export function full(shape: Shape, value: number | boolean, options: TensorOptions = {}): Tensor {
  return filled('full', shape, value, options)
}

/** full() under the name of the function the user called, for its error messages. */
export function filled(op: string, shape: Shape, value: number | boolean, options: TensorOptions = {}): Tensor {
  checkTensorOptions(op, options)
  checkShape(op, shape, options.dtype)
  if (typeof value !== 'number' && typeof value !== 'boolean') {
    throw new TypeError(`${op}: the fill value must be a number, got ${typeof value} ${JSON.stringify(value)}`)
  }
  const dtype = checkDType(options.dtype ?? (typeof value === 'boolean' ? 'bool' : 'float32'), op) // full(s, true) is bool, as in PyTorch
  if (dtype === 'int32') checkInt32Values(op, [Number(value)])
  const data = constantArray(allocateShaped(op, dtype, shape, numelOf(shape)).fill(dtype === 'bool' ? boolByte(Number(value)) : Number(value)))
  return withGrad(new Tensor(data, shape), options)
}

/** A creator's size arguments as PyTorch takes them: a shape array, or the sizes as numbers (zeros(2, 3)); then the options. */
type SizeArgs<O> = [Shape, O?] | (number | O)[]

function sizeArgs<O>(args: SizeArgs<O>): [Shape, O | undefined] {
  if (typeof args[0] !== 'number') return [args[0] as Shape, args[1] as O | undefined]
  let n = 0
  while (typeof args[n] === 'number') n++
  return [args.slice(0, n) as number[], args[n] as O | undefined]
}

export function zeros(...args: SizeArgs<TensorOptions>): Tensor {
  const [shape, options] = sizeArgs(args)
  return filled('zeros', shape, 0, options)
}

export function ones(...args: SizeArgs<TensorOptions>): Tensor {
  const [shape, options] = sizeArgs(args)
  return filled('ones', shape, 1, options)
}
export const zerosLike = (t: Tensor, options?: TensorOptions): Tensor => filled('zerosLike', t.shape, 0, { dtype: t.dtype, ...options })
export const onesLike = (t: Tensor, options?: TensorOptions): Tensor => filled('onesLike', t.shape, 1, { dtype: t.dtype, ...options })

/** Values start, start + step, ... below end (like torch.arange; arange(n) is 0..n-1). */
export function arange(end: number, options?: TensorOptions): Tensor
export function arange(start: number, end: number, options?: TensorOptions): Tensor
export function arange(start: number, end?: number, step?: number, options?: TensorOptions): Tensor
export function arange(start: number, ...rest: (number | TensorOptions | undefined)[]): Tensor {
  // The options object may follow any count of numbers, as PyTorch's arange(5, dtype=...).
  const last = rest.length > 0 && typeof rest[rest.length - 1] === 'object' ? rest.pop() : undefined
  const options = (last ?? {}) as TensorOptions
  let [end, step = 1] = rest as (number | undefined)[]
  checkTensorOptions('arange', options)
  if (end === undefined) [start, end] = [0, start]
  if (!Number.isFinite(start) || !Number.isFinite(end)) throw new RangeError(`arange: start and end must be finite numbers, got ${start} and ${end}`)
  if (step === 0 || !Number.isFinite(step)) throw new RangeError(`arange: step must be a non-zero finite number, got ${step}`)
  if ((end - start) * step < 0) {
    throw new RangeError(`arange: step ${step} goes away from end: from ${start} to ${end} needs a ${end > start ? 'positive' : 'negative'} step (as in PyTorch)`)
  }
  const n = Math.ceil((end - start) / step)
  const dtype = checkDType(options.dtype ?? 'float32', 'arange')
  if (n * bytesPerElement(dtype) > MAX_TENSOR_BYTES) {
    throw new RangeError(`arange: from ${start} to ${end} by ${step} is ${n} elements; one tensor holds at most ${MAX_TENSOR_BYTES} bytes (4 GiB)`)
  }
  if (dtype === 'int32') checkInt32Values('arange', [start, start + (n - 1) * step])
  const data = constantArray(allocateShaped('arange', dtype, [n], n)) // (values from its numbers: a compiled step keeps them)
  for (let i = 0; i < n; i++) data[i] = start + i * step
  return withGrad(new Tensor(data, [n]), options)
}

function randomTensor(op: string, shape: Shape, options: RandomOptions, sample: () => number): Tensor {
  checkOptionKeys(op, options, [...TENSOR_OPTIONS, 'generator'])
  checkShape(op, shape, options.dtype)
  const dtype = checkDType(options.dtype ?? 'float32', op)
  if (!isFloat(dtype)) throw new TypeError(`${op}: dtype must be float32 or float64, got ${dtype}`)
  const data = allocateShaped(op, dtype, shape, numelOf(shape))
  for (let i = 0; i < data.length; i++) data[i] = sample()
  return withGrad(new Tensor(data, shape), options)
}

export interface RandomOptions extends TensorOptions {
  /** Draw from this generator instead of the global one (see manualSeed). */
  generator?: Generator
}

function sampler(op: string, options: RandomOptions, fromGlobal: () => number, from: (g: Generator) => number): () => number {
  const g = options.generator
  if (g === undefined) return fromGlobal
  if (!(g instanceof Generator)) throw new TypeError(`${op}: generator must be a yann Generator, e.g. new Generator(0)`)
  return () => from(g)
}

/** Uniform samples in [0, 1) from the seedable generator (see manualSeed), or from `options.generator`. */
export function rand(...args: SizeArgs<RandomOptions>): Tensor {
  const [shape, options = {}] = sizeArgs(args)
  return randomTensor('rand', shape, options, options.dtype === 'float64'
    ? sampler('rand', options, random, (g) => g.random())
    : sampler('rand', options, () => belowOneInFloat32(random()), (g) => belowOneInFloat32(g.random())))
}

/** A double in [0, 1) that float32 would round up to 1 becomes float32's largest value below 1: rand stays in [0, 1). */
function belowOneInFloat32(x: number): number {
  return Math.fround(x) < 1 ? x : 1 - 2 ** -24
}

/** Standard normal samples from the seedable generator (see manualSeed), or from `options.generator`. */
export function randn(...args: SizeArgs<RandomOptions>): Tensor {
  const [shape, options = {}] = sizeArgs(args)
  return randomTensor('randn', shape, options, sampler('randn', options, randomNormal, (g) => g.normal()))
}

export type { NestedArray }
