/**
 * Parameter initialisation, as torch.nn.init: each function fills a tensor in place (hence the
 * trailing underscore, PyTorch's mark for in-place) from the seedable generator (manualSeed),
 * records nothing in the autograd graph, and returns the tensor.
 *
 * Values are drawn into a scratch array and written with one `t.data.set(...)`, the only safe
 * way to write a parameter that may live in wasm memory.
 */
import { bumpVersion } from '../autograd/version.js'
import { isFloat } from '../dtype.js'
import { random, randomNormal } from '../random.js'
import { formatShape } from '../shape.js'
import { Tensor } from '../tensor.js'
import { checkOptionKeys } from './options.js'

export type Nonlinearity = 'linear' | 'identity' | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'leaky_relu' | 'selu'
export type FanMode = 'fanIn' | 'fanOut'

/** The recommended gain for a nonlinearity (torch.nn.init.calculate_gain). `param` is leaky ReLU's slope (default 0.01). */
export function calculateGain(nonlinearity: Nonlinearity, param?: number | null): number {
  switch (nonlinearity) {
    case 'linear':
    case 'identity':
    case 'sigmoid':
      return 1
    case 'tanh':
      return 5 / 3
    case 'relu':
      return Math.SQRT2
    case 'leakyRelu':
    case 'leaky_relu': {
      const slope = param ?? 0.01
      if (typeof slope !== 'number' || !Number.isFinite(slope)) throw new TypeError(`calculateGain: negative slope ${slope} is not a valid number`)
      return Math.sqrt(2 / (1 + slope * slope))
    }
    case 'selu':
      return 3 / 4
    default:
      throw new Error(`calculateGain: unsupported nonlinearity ${JSON.stringify(nonlinearity)}; use linear, sigmoid, tanh, relu, leakyRelu or selu`)
  }
}

/**
 * fan_in and fan_out of a weight: for [out, in, ...kernel], fan_in = in·Π kernel and
 * fan_out = out·Π kernel (torch.nn.init._calculate_fan_in_and_fan_out).
 */
export function calculateFanInAndFanOut(t: Tensor): [fanIn: number, fanOut: number] {
  if (t.ndim < 2) {
    throw new Error(`calculateFanInAndFanOut: fan in and fan out cannot be computed for a tensor with fewer than 2 dims (shape ${formatShape(t.shape)})`)
  }
  return fansOf(t.shape, 'outIn')
}

/**
 * fan_in and fan_out of a weight shape of ≥ 2 dims, laid out [out, in, ...kernel] (PyTorch) or
 * [...kernel, in, out] (Keras, whose initializers use this too): in and out times the kernel's size.
 */
export function fansOf(shape: readonly number[], layout: 'outIn' | 'inOut'): [fanIn: number, fanOut: number] {
  const r = shape.length
  const kernel = layout === 'outIn' ? shape.slice(2) : shape.slice(0, r - 2)
  const receptive = kernel.reduce((n, d) => n * d, 1)
  const [fanIn, fanOut] = layout === 'outIn' ? [shape[1], shape[0]] : [shape[r - 2], shape[r - 1]]
  return [fanIn * receptive, fanOut * receptive]
}

/** `draw` fills the whole scratch array: each caller's own loop stays monomorphic (a per-element callback was ~60% of making an nn.Linear). */
function fill(op: string, t: Tensor, draw: (values: Float64Array) => void): Tensor {
  if (!(t instanceof Tensor)) throw new TypeError(`${op}: expected a Tensor, got ${t === null ? 'null' : typeof t}`)
  if (!isFloat(t.dtype)) throw new TypeError(`${op}: can only fill float32 or float64 tensors, got ${t.dtype}`)
  const values = new Float64Array(t.numel())
  draw(values)
  t.data.set(values)
  bumpVersion(t)
  return t
}

/** Fill with samples of U(a, b). */
export function uniform_(t: Tensor, a = 0, b = 1): Tensor {
  if (!(a <= b)) throw new RangeError(`uniform_: expects a <= b, got a = ${a}, b = ${b}`)
  return fill('uniform_', t, (v) => {
    for (let i = 0; i < v.length; i++) v[i] = a + (b - a) * random()
  })
}

/** Fill with samples of N(mean, std²). */
export function normal_(t: Tensor, mean = 0, std = 1): Tensor {
  if (!(std >= 0)) throw new RangeError(`normal_: std must be >= 0, got ${std}`)
  return fill('normal_', t, (v) => {
    for (let i = 0; i < v.length; i++) v[i] = mean + std * randomNormal()
  })
}

/** Fill with `value`. */
export function constant_(t: Tensor, value: number): Tensor {
  return fill('constant_', t, (v) => v.fill(value))
}

export const zeros_ = (t: Tensor): Tensor => constant_(t, 0)
export const ones_ = (t: Tensor): Tensor => constant_(t, 1)

/** Glorot uniform: U(±gain·√(6 / (fan_in + fan_out))). */
export function xavierUniform_(t: Tensor, gain = 1): Tensor {
  const [fanIn, fanOut] = calculateFanInAndFanOut(t)
  const bound = gain * Math.sqrt(6 / (fanIn + fanOut))
  return uniform_(t, -bound, bound)
}

/** Glorot normal: N(0, gain²·2 / (fan_in + fan_out)). */
export function xavierNormal_(t: Tensor, gain = 1): Tensor {
  const [fanIn, fanOut] = calculateFanInAndFanOut(t)
  return normal_(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)))
}

export interface KaimingOptions {
  /** Negative slope of the leaky ReLU that follows (default 0). */
  a?: number
  /** Preserve the variance of the forward pass (fanIn, default) or of the backward pass (fanOut). */
  mode?: FanMode
  /** Default leakyRelu (with slope `a`), as in PyTorch. */
  nonlinearity?: Nonlinearity
}

function kaimingStd(op: string, t: Tensor, options: KaimingOptions): number | null {
  checkOptionKeys(op, options, ['a', 'mode', 'nonlinearity'])
  const { a = 0, mode = 'fanIn', nonlinearity = 'leakyRelu' } = options
  if (mode !== 'fanIn' && mode !== 'fanOut') throw new Error(`${op}: mode must be 'fanIn' or 'fanOut', got ${JSON.stringify(mode)}`)
  // PyTorch warns and leaves a tensor with a zero-size dim alone.
  if (t.numel() === 0) return null
  const [fanIn, fanOut] = calculateFanInAndFanOut(t)
  return calculateGain(nonlinearity, a) / Math.sqrt(mode === 'fanIn' ? fanIn : fanOut)
}

/**
 * He uniform: U(±bound) with bound = gain·√(3 / fan). nn.Linear uses a = √5, which makes
 * gain = √(1/3) and bound = 1/√fan_in.
 */
export function kaimingUniform_(t: Tensor, options: KaimingOptions = {}): Tensor {
  const std = kaimingStd('kaimingUniform_', t, options)
  if (std === null) return t
  const bound = Math.sqrt(3) * std
  return uniform_(t, -bound, bound)
}

/** He normal: N(0, (gain / √fan)²). */
export function kaimingNormal_(t: Tensor, options: KaimingOptions = {}): Tensor {
  const std = kaimingStd('kaimingNormal_', t, options)
  if (std === null) return t
  return normal_(t, 0, std)
}
