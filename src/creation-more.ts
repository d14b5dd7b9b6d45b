import { constantArray } from './compile/hooks.js'
import { allocate, checkDType, checkInt32Values, isFloat, type DType } from './dtype.js'
import { checkOptionKeys } from './nn/options.js'
import { Generator, random, randomNormal } from './random.js'
import { numelOf, type Shape } from './shape.js'
import { Tensor } from './tensor.js'
import { filled } from './creation.js'
import { empty as emptyFloat } from './ops/operands.js'

/** eye, linspace, randint, randperm and the *Like creators (zerosLike and onesLike live in creation.ts). */

export interface CreationOptions {
  dtype?: DType
  requiresGrad?: boolean
}

export interface RandomCreationOptions extends CreationOptions {
  generator?: Generator
}

function make(data: Tensor['data'], shape: Shape, options: CreationOptions | undefined): Tensor {
  const t = new Tensor(data, shape)
  if (options?.requiresGrad) t.requiresGrad = true
  return t
}

function dtypeOf(op: string, options: CreationOptions | undefined, known: string[], dflt: DType): DType {
  checkOptionKeys(op, options, known)
  return checkDType(options?.dtype ?? dflt, op)
}

function sizeArg(op: string, name: string, v: number): number {
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`${op}: ${name} must be a non-negative integer, got ${v}`)
  return v
}

/** The n×m identity (m defaults to n). */
export function eye(n: number, m?: number | CreationOptions, options?: CreationOptions): Tensor {
  if (typeof m === 'object') [m, options] = [undefined, m]
  const rows = sizeArg('eye', 'n', n)
  const cols = sizeArg('eye', 'm', m ?? n)
  const data = constantArray(allocate(dtypeOf('eye', options, ['dtype', 'requiresGrad'], 'float32'), rows * cols)) // (values from its numbers: a compiled step keeps them)
  for (let i = 0; i < Math.min(rows, cols); i++) data[i * cols + i] = 1
  return make(data, [rows, cols], options)
}

/** `steps` evenly spaced values from start to end inclusive (as torch.linspace: the second half counts back from end). */
export function linspace(start: number, end: number, steps: number, options?: CreationOptions): Tensor {
  const n = sizeArg('linspace', 'steps', steps)
  const data = constantArray(allocate(dtypeOf('linspace', options, ['dtype', 'requiresGrad'], 'float32'), n))
  const step = n > 1 ? (end - start) / (n - 1) : 0
  const half = Math.floor(n / 2)
  for (let i = 0; i < n; i++) data[i] = i < half || n === 1 ? start + step * i : end - step * (n - 1 - i)
  return make(data, [n], options)
}

function nextUniform(options: RandomCreationOptions | undefined): () => number {
  const g = options?.generator
  if (g !== undefined && !(g instanceof Generator)) throw new TypeError('generator must be a Generator')
  return g ? () => g.random() : random
}

/** Integers uniform in [low, high), int32 by default. `randint(high, shape)` starts at 0. */
export function randint(low: number, high: number | Shape, shape?: Shape | RandomCreationOptions, options?: RandomCreationOptions): Tensor {
  if (Array.isArray(high)) [low, high, shape, options] = [0, low, high, shape as RandomCreationOptions | undefined]
  const dims = shape as Shape
  const hi = high as number
  if (!Number.isInteger(low) || !Number.isInteger(hi) || hi <= low) throw new RangeError(`randint: low ${low} and high ${hi} must be integers with low < high`)
  if (!Array.isArray(dims) || !dims.every((d) => Number.isInteger(d) && d >= 0)) throw new TypeError(`randint: shape must be an array of non-negative integers, got ${JSON.stringify(dims)}`)
  const dtype = dtypeOf('randint', options, ['dtype', 'requiresGrad', 'generator'], 'int32')
  if (dtype === 'int32') checkInt32Values('randint', [low, hi - 1]) // an Int32Array would wrap them silently
  const data = allocate(dtype, numelOf(dims))
  const next = nextUniform(options)
  for (let i = 0; i < data.length; i++) data[i] = low + Math.floor(next() * (hi - low))
  return make(data, dims, options)
}

/** A random permutation of 0..n−1 (int32), by Fisher–Yates. */
export function randperm(n: number, options?: RandomCreationOptions): Tensor {
  const size = sizeArg('randperm', 'n', n)
  const dtype = dtypeOf('randperm', options, ['dtype', 'requiresGrad', 'generator'], 'int32')
  const next = nextUniform(options)
  const perm = Array.from({ length: size }, (_, i) => i)
  for (let i = size - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1))
    ;[perm[i], perm[j]] = [perm[j], perm[i]]
  }
  const data = allocate(dtype, size)
  data.set(perm)
  return make(data, [size], options)
}

/** A tensor of t's shape (and dtype unless given) filled with value. */
export function fullLike(t: Tensor, value: number, options?: CreationOptions): Tensor {
  // full's checks: the value is a number or boolean, a bool tensor stores truth (0.5 is true, not 0).
  return filled('fullLike', t.shape, value, { dtype: dtypeOf('fullLike', options, ['dtype', 'requiresGrad'], t.dtype), requiresGrad: options?.requiresGrad })
}

/** An uninitialised tensor of t's shape: here, zeros. */
export function emptyLike(t: Tensor, options?: CreationOptions): Tensor {
  return make(allocate(dtypeOf('emptyLike', options, ['dtype', 'requiresGrad'], t.dtype), t.numel()), t.shape, options)
}

function randomLike(op: string, t: Tensor, options: RandomCreationOptions | undefined, normal: boolean): Tensor {
  const dtype = dtypeOf(op, options, ['dtype', 'requiresGrad', 'generator'], t.dtype)
  if (!isFloat(dtype)) throw new TypeError(`${op}: needs a float dtype, got ${dtype}; pass { dtype: 'float32' }`)
  const g = options?.generator
  if (g !== undefined && !(g instanceof Generator)) throw new TypeError(`${op}: generator must be a Generator`)
  const next = g ? (normal ? () => g.normal() : () => g.random()) : normal ? randomNormal : random
  const out = emptyFloat(dtype, t.shape)
  const d = out.data
  for (let i = 0; i < d.length; i++) d[i] = next()
  if (options?.requiresGrad) out.requiresGrad = true
  return out
}

/** Uniform [0, 1) samples of t's shape. */
export const randLike = (t: Tensor, options?: RandomCreationOptions): Tensor => randomLike('randLike', t, options, false)
/** Standard normal samples of t's shape. */
export const randnLike = (t: Tensor, options?: RandomCreationOptions): Tensor => randomLike('randnLike', t, options, true)
