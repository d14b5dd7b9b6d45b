import { allocateFloat, type FloatDType } from '../dtype.js'
import { fansOf } from '../nn/init.js'
import { Generator, random, randomNormal as standardNormal } from '../random.js'
import { formatShape, numelOf, type Shape } from '../shape.js'
import { Tensor, type NestedArray } from '../tensor.js'
import { checkOptionKeys } from '../options.js'

/**
 * Weight initializers with Keras's semantics and TensorFlow.js's names
 * (`keras.initializers.glorotUniform({ seed: 1 })`).
 *
 * Without a seed, the random ones draw from yann's global generator (`manualSeed` makes them
 * repeatable). With a seed, each call starts a generator of its own from that seed, so the
 * same initializer gives the same values on every call, whatever else drew random numbers.
 */
export interface Initializer {
  /** Keras's class name: `'GlorotUniform'`, `'Constant'`, ... */
  readonly className: string
  /** A new tensor of `shape` (float32 unless `dtype` says otherwise). */
  apply(shape: Shape, dtype?: FloatDType): Tensor
}

/** What a layer accepts for an initializer: the object, or its name (`'glorotUniform'`). */
export type InitializerIdentifier = Initializer | InitializerName

export type InitializerName = 'zeros' | 'ones' | 'glorotUniform' | 'glorotNormal' | 'heNormal' | 'heUniform' | 'randomNormal' | 'randomUniform'

export interface SeedArgs {
  seed?: number
}

function fill(className: string, sample: (n: number) => ArrayLike<number>): Initializer {
  return {
    className,
    apply(shape: Shape, dtype: FloatDType = 'float32'): Tensor {
      checkShape(className, shape)
      const data = allocateFloat(dtype, numelOf(shape))
      data.set(sample(data.length))
      return new Tensor(data, shape)
    },
  }
}

function checkShape(className: string, shape: Shape): void {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new TypeError(`${className}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`)
  }
}

export const zeros = (): Initializer => fill('Zeros', (n) => new Float64Array(n))
export const ones = (): Initializer => fill('Ones', (n) => new Float64Array(n).fill(1))

/**
 * Fills with `value`. A number fills every element. An array (nested or flat, or a tensor) is
 * read row-major and poured, row-major, into the requested shape, which must hold exactly as many
 * elements: Python's `tf.constant_initializer(values)`. This is how the seed's `[2, 3]`
 * `WEIGHTS2` became a `[3, 2]` kernel: `[[0.9, 0.6], [0.4, 0.3], [0.8, 0.7]]`, not its transpose.
 *
 * Also accepts TensorFlow.js's form `constant({ value })`.
 */
export function constant(value: number | NestedArray | ArrayLike<number> | Tensor | { value: number | NestedArray }): Initializer {
  const v = isValueArgs(value) ? value.value : value
  const flat = flatten(v)
  return fill('Constant', (n) => {
    if (flat.length === 1) return new Float64Array(n).fill(flat[0])
    if (flat.length !== n) {
      const given = v instanceof Tensor ? `a tensor of shape ${formatShape(v.shape)}` : `an array`
      throw new Error(`constant: ${given} has ${flat.length} values, but the requested shape holds ${n}; give exactly ${n} values (they are reshaped row-major) or one number`)
    }
    return flat
  })
}

function isValueArgs(v: unknown): v is { value: number | NestedArray } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v) && !(v instanceof Tensor) && 'value' in v
}

function flatten(v: unknown): number[] {
  if (v instanceof Tensor) return Array.from(v.data)
  if (typeof v === 'number') return [v]
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>)
  if (Array.isArray(v)) return v.flatMap((x) => flatten(x))
  throw new TypeError(`constant: expected a number, nested arrays of numbers or a tensor, got ${v === null ? 'null' : typeof v}`)
}

/** Keras's fan computation: [in, out] for a kernel; the receptive field multiplies both for convolutions. */
export function computeFans(shape: Shape): [fanIn: number, fanOut: number] {
  if (shape.length === 0) return [1, 1]
  if (shape.length === 1) return [shape[0], shape[0]]
  return fansOf(shape, 'inOut')
}

/**
 * A source of uniform [0, 1) and standard normal numbers: the global generator, or a private
 * one started from `seed`.
 */
interface Source {
  uniform(): number
  normal(): number
}

function source(seed: number | undefined, className: string): Source {
  if (seed === undefined) return { uniform: random, normal: standardNormal }
  if (!Number.isInteger(seed)) throw new TypeError(`${className}: seed must be an integer, got ${seed}`)
  const generator = new Generator(seed)
  return { uniform: () => generator.random(), normal: () => generator.normal() }
}

function uniformIn(className: string, seed: number | undefined, limit: (shape: Shape) => [lo: number, hi: number]): Initializer {
  return {
    className,
    apply(shape: Shape, dtype: FloatDType = 'float32'): Tensor {
      checkShape(className, shape)
      const [lo, hi] = limit(shape)
      const src = source(seed, className)
      const data = allocateFloat(dtype, numelOf(shape))
      for (let i = 0; i < data.length; i++) data[i] = lo + (hi - lo) * src.uniform()
      return new Tensor(data, shape)
    },
  }
}

/**
 * Normal samples; `truncated` redraws any beyond two standard deviations, as Keras's
 * variance-scaling initializers do.
 */
function normalWith(className: string, seed: number | undefined, truncated: boolean, params: (shape: Shape) => [mean: number, stddev: number]): Initializer {
  return {
    className,
    apply(shape: Shape, dtype: FloatDType = 'float32'): Tensor {
      checkShape(className, shape)
      const [mean, stddev] = params(shape)
      const src = source(seed, className)
      const data = allocateFloat(dtype, numelOf(shape))
      for (let i = 0; i < data.length; i++) {
        let z = src.normal()
        while (truncated && Math.abs(z) > 2) z = src.normal()
        data[i] = mean + stddev * z
      }
      return new Tensor(data, shape)
    },
  }
}

/** Keras's default kernel initializer: uniform in ±√(6 / (fanIn + fanOut)). */
export function glorotUniform(args: SeedArgs = {}): Initializer {
  checkOptionKeys('glorotUniform', args, ['seed'])
  const { seed } = args
  return uniformIn('GlorotUniform', seed, (shape) => {
    const [fanIn, fanOut] = computeFans(shape)
    const limit = Math.sqrt(6 / Math.max(1, fanIn + fanOut))
    return [-limit, limit]
  })
}

/**
 * The standard deviation of a normal truncated at ±2σ is 0.8796… of σ; Keras divides by it so the
 * samples end up with the intended spread.
 */
const TRUNCATED_STDDEV = 0.87962566103423978

/** Truncated normal with standard deviation √(2 / (fanIn + fanOut)). */
export function glorotNormal(args: SeedArgs = {}): Initializer {
  checkOptionKeys('glorotNormal', args, ['seed'])
  const { seed } = args
  return normalWith('GlorotNormal', seed, true, (shape) => {
    const [fanIn, fanOut] = computeFans(shape)
    return [0, Math.sqrt(2 / Math.max(1, fanIn + fanOut)) / TRUNCATED_STDDEV]
  })
}

/** He et al.: truncated normal with standard deviation √(2 / fanIn), for ReLU layers. */
export function heNormal(args: SeedArgs = {}): Initializer {
  checkOptionKeys('heNormal', args, ['seed'])
  const { seed } = args
  return normalWith('HeNormal', seed, true, (shape) => [0, Math.sqrt(2 / Math.max(1, computeFans(shape)[0])) / TRUNCATED_STDDEV])
}

/** Uniform in ±√(6 / fanIn). */
export function heUniform(args: SeedArgs = {}): Initializer {
  checkOptionKeys('heUniform', args, ['seed'])
  const { seed } = args
  return uniformIn('HeUniform', seed, (shape) => {
    const limit = Math.sqrt(6 / Math.max(1, computeFans(shape)[0]))
    return [-limit, limit]
  })
}

export interface RandomNormalArgs extends SeedArgs {
  /** Default 0. */
  mean?: number
  /** Default 0.05, as in Keras. */
  stddev?: number
}

export function randomNormal(args: RandomNormalArgs = {}): Initializer {
  checkOptionKeys('randomNormal', args, ['mean', 'stddev', 'seed'])
  const { mean = 0, stddev = 0.05, seed } = args
  return normalWith('RandomNormal', seed, false, () => [mean, stddev])
}

export interface RandomUniformArgs extends SeedArgs {
  /** Default −0.05, as in Keras. */
  minval?: number
  /** Default 0.05. */
  maxval?: number
}

export function randomUniform(args: RandomUniformArgs = {}): Initializer {
  checkOptionKeys('randomUniform', args, ['minval', 'maxval', 'seed'])
  const { minval = -0.05, maxval = 0.05, seed } = args
  return uniformIn('RandomUniform', seed, () => [minval, maxval])
}

const byName: Record<InitializerName, () => Initializer> = {
  zeros,
  ones,
  glorotUniform,
  glorotNormal,
  heNormal,
  heUniform,
  randomNormal,
  randomUniform,
}

/** Python Keras's spellings, accepted so code ported from it runs unchanged. */
const pythonNames: Record<string, InitializerName> = {
  glorot_uniform: 'glorotUniform',
  glorot_normal: 'glorotNormal',
  he_normal: 'heNormal',
  he_uniform: 'heUniform',
  random_normal: 'randomNormal',
  random_uniform: 'randomUniform',
}

/** The initializer an identifier names; `what` says where it was given, for the error. */
export function getInitializer(id: InitializerIdentifier | string, what: string): Initializer {
  if (typeof id === 'object' && id !== null && typeof id.apply === 'function') return id
  if (typeof id === 'string') {
    const name = (pythonNames[id] ?? id) as InitializerName
    if (Object.hasOwn(byName, name)) return byName[name]()
  }
  throw new Error(
    `${what}: unknown initializer ${typeof id === 'string' ? `'${id}'` : String(id)}; ` +
      `use one of ${Object.keys(byName).map((n) => `'${n}'`).join(', ')}, or an initializer such as keras.initializers.constant(values)`,
  )
}
