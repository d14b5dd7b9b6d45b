import { conv2d } from '../ops/conv.js'
import { avgPool2d, maxPool2d } from '../ops/pool.js'
import { permute } from '../ops/shape.js'
import type { Parameter } from '../nn/parameter.js'
import type { Tensor } from '../tensor.js'
import { getActivation, type Activation, type ActivationIdentifier } from './activations.js'
import { formatSymbolic } from './dense.js'
import { getInitializer, type Initializer, type InitializerIdentifier } from './initializers.js'
import { Layer, type LayerArgs, type SymbolicShape } from './layer.js'

/**
 * TensorFlow.js's convolution and pooling layers. Data are channelsLast ([batch, h, w, c], TF.js's
 * default) or channelsFirst; channelsLast is permuted to NCHW around yann's NCHW kernels. The
 * kernel is TF.js's [kh, kw, in, filters], permuted to PyTorch's [filters, in, kh, kw] per call.
 */

export type DataFormat = 'channelsLast' | 'channelsFirst'
type Pair = number | [number, number]

/** A size, stride or rate given as one positive integer or two (TF.js's forms), or the default. */
function pair(what: string, name: string, v: Pair | undefined, d: number): [number, number] {
  const p: unknown[] = v === undefined ? [d, d] : typeof v === 'number' ? [v, v] : Array.isArray(v) ? v : [v]
  if (p.length !== 2 || !p.every((n) => Number.isInteger(n) && (n as number) > 0)) {
    throw new RangeError(`${what}: ${name} must be a positive integer or a pair of them, got ${JSON.stringify(v)}`)
  }
  return p as [number, number]
}

/** One of the strings an option allows, or its default; anything else is named (it would have read as another). */
function oneOf<T extends string>(what: string, name: string, v: T | undefined, allowed: readonly T[]): T {
  if (v === undefined) return allowed[0]
  if (!allowed.includes(v)) throw new RangeError(`${what}: ${name} must be ${allowed.map((a) => `'${a}'`).join(' or ')}, got ${JSON.stringify(v)}`)
  return v
}

/** TF.js's 'same' as symmetric padding: only when the total padding is even (always for odd kernels at stride 1). */
function samePadding(what: string, size: number, k: number, s: number): number {
  const total = Math.max((Math.ceil(size / s) - 1) * s + k - size, 0)
  if (total % 2 !== 0) throw new Error(`${what}: padding 'same' here needs uneven padding (${total} for size ${size}, kernel ${k}, stride ${s}), not supported yet; use an odd kernel with stride 1, or 'valid'`)
  return total / 2
}

const toNchw = (x: Tensor, f: DataFormat): Tensor => (f === 'channelsLast' ? permute(x, [0, 3, 1, 2]) : x)
const fromNchw = (y: Tensor, f: DataFormat): Tensor => (f === 'channelsLast' ? permute(y, [0, 2, 3, 1]) : y)

function checkInput(what: string, x: Tensor): void {
  if (x.ndim !== 4) throw new Error(`${what}: expected a 4-d input [batch, h, w, channels] (or channels first), got shape [${x.shape.join(', ')}]`)
}

function spatial(shape: SymbolicShape, f: DataFormat): [number, number, number] {
  return f === 'channelsLast' ? [shape[1] as number, shape[2] as number, shape[3] as number] : [shape[2] as number, shape[3] as number, shape[1] as number]
}
const outShape = (b: number | null, h: number, w: number, c: number, f: DataFormat): SymbolicShape => (f === 'channelsLast' ? [b, h, w, c] : [b, c, h, w])
const outSize = (size: number, k: number, s: number, p: number): number => Math.floor((size + 2 * p - k) / s) + 1

export interface Conv2DLayerArgs extends LayerArgs {
  filters: number
  kernelSize: Pair
  strides?: Pair
  padding?: 'valid' | 'same'
  dataFormat?: DataFormat
  dilationRate?: Pair
  activation?: ActivationIdentifier
  useBias?: boolean
  kernelInitializer?: InitializerIdentifier
  biasInitializer?: InitializerIdentifier
}

/** 2-d convolution, TF.js's tf.layers.conv2d: kernel [kh, kw, in, filters], bias [filters]. */
export class Conv2D extends Layer {
  readonly filters: number
  readonly kernelSize: [number, number]
  readonly strides: [number, number]
  readonly padding: 'valid' | 'same'
  readonly dataFormat: DataFormat
  readonly dilationRate: [number, number]
  readonly activation: Activation
  readonly useBias: boolean
  readonly kernelInitializer: Initializer
  readonly biasInitializer: Initializer
  kernel: Parameter | null = null
  bias: Parameter | null = null

  constructor(args: Conv2DLayerArgs) {
    super(args, 'Conv2D')
    const what = `Conv2D '${this.name}'`
    if (!Number.isInteger(args.filters) || args.filters <= 0) throw new TypeError(`${what}: filters must be a positive integer, got ${args.filters}`)
    this.filters = args.filters
    if (args.kernelSize === undefined) throw new TypeError(`${what}: kernelSize is required (a positive integer or a pair of them)`)
    this.kernelSize = pair(what, 'kernelSize', args.kernelSize, 1)
    this.strides = pair(what, 'strides', args.strides, 1)
    this.padding = oneOf(what, 'padding', args.padding, ['valid', 'same'])
    this.dataFormat = oneOf(what, 'dataFormat', args.dataFormat, ['channelsLast', 'channelsFirst'])
    this.dilationRate = pair(what, 'dilationRate', args.dilationRate, 1)
    this.activation = getActivation(args.activation, what)
    this.useBias = args.useBias ?? true
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? 'glorotUniform', `${what} kernelInitializer`)
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros', `${what} biasInitializer`)
  }

  getClassName(): string {
    return 'Conv2D'
  }

  private pads(h: number, w: number): [number, number] {
    if (this.padding === 'valid') return [0, 0]
    const k = this.kernelSize.map((v, i) => this.dilationRate[i] * (v - 1) + 1)
    return [samePadding(`Conv2D '${this.name}'`, h, k[0], this.strides[0]), samePadding(`Conv2D '${this.name}'`, w, k[1], this.strides[1])]
  }

  build(inputShape: SymbolicShape): void {
    const [, , c] = spatial(inputShape, this.dataFormat)
    if (inputShape.length !== 4 || !(c > 0)) throw new Error(`Conv2D '${this.name}': cannot build for input shape ${formatSymbolic(inputShape)}; expected [batch, h, w, channels]`)
    this.kernel = this.addWeight('kernel', [...this.kernelSize, c, this.filters], this.kernelInitializer)
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], this.biasInitializer)
  }

  call(x: Tensor): Tensor {
    checkInput(`Conv2D '${this.name}'`, x)
    const k = this.kernel!
    const nchw = toNchw(x.dtype === k.dtype ? x : x.to(k.dtype), this.dataFormat)
    const y = conv2d(nchw, permute(k, [3, 2, 0, 1]), this.bias, { stride: this.strides, padding: this.pads(nchw.shape[2], nchw.shape[3]), dilation: this.dilationRate })
    return this.activation.apply(fromNchw(y, this.dataFormat))
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const [h, w] = spatial(inputShape, this.dataFormat)
    const p = this.pads(h, w)
    const k = this.kernelSize.map((v, i) => this.dilationRate[i] * (v - 1) + 1)
    return outShape(inputShape[0], outSize(h, k[0], this.strides[0], p[0]), outSize(w, k[1], this.strides[1], p[1]), this.filters, this.dataFormat)
  }
}

export interface Pooling2DLayerArgs extends LayerArgs {
  /** Default [2, 2]. */
  poolSize?: Pair
  /** Default poolSize. */
  strides?: Pair
  /** Only 'valid' (TF.js's default). */
  padding?: 'valid'
  dataFormat?: DataFormat
}

abstract class Pooling2D extends Layer {
  readonly poolSize: [number, number]
  readonly strides: [number, number]
  readonly dataFormat: DataFormat

  constructor(args: Pooling2DLayerArgs, className: string) {
    super(args, className)
    const what = `${className} '${this.name}'`
    this.poolSize = pair(what, 'poolSize', args.poolSize, 2)
    this.strides = args.strides === undefined ? this.poolSize : pair(what, 'strides', args.strides, 1)
    this.dataFormat = oneOf(what, 'dataFormat', args.dataFormat, ['channelsLast', 'channelsFirst'])
    if ((args.padding ?? 'valid') !== 'valid') throw new Error(`${what}: padding '${args.padding}' is not supported yet; use 'valid'`)
  }

  build(): void {}

  protected abstract pool(x: Tensor): Tensor

  call(x: Tensor): Tensor {
    checkInput(`${this.getClassName()} '${this.name}'`, x)
    return fromNchw(this.pool(toNchw(x, this.dataFormat)), this.dataFormat)
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const [h, w, c] = spatial(inputShape, this.dataFormat)
    return outShape(inputShape[0], outSize(h, this.poolSize[0], this.strides[0], 0), outSize(w, this.poolSize[1], this.strides[1], 0), c, this.dataFormat)
  }
}

/** Max over poolSize windows, TF.js's tf.layers.maxPooling2d. */
export class MaxPooling2D extends Pooling2D {
  constructor(args: Pooling2DLayerArgs = {}) {
    super(args, 'MaxPooling2D')
  }
  getClassName(): string {
    return 'MaxPooling2D'
  }
  protected pool(x: Tensor): Tensor {
    return maxPool2d(x, this.poolSize, { stride: this.strides })
  }
}

/** Mean over poolSize windows, TF.js's tf.layers.averagePooling2d. */
export class AveragePooling2D extends Pooling2D {
  constructor(args: Pooling2DLayerArgs = {}) {
    super(args, 'AveragePooling2D')
  }
  getClassName(): string {
    return 'AveragePooling2D'
  }
  protected pool(x: Tensor): Tensor {
    return avgPool2d(x, this.poolSize, { stride: this.strides })
  }
}

/** [batch, ...] → [batch, product], TF.js's tf.layers.flatten (channelsLast order: no permute). */
export class Flatten extends Layer {
  constructor(args: LayerArgs = {}) {
    super(args, 'Flatten')
  }
  getClassName(): string {
    return 'Flatten'
  }
  build(): void {}
  call(x: Tensor): Tensor {
    return x.reshape([x.shape[0], -1])
  }
  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [inputShape[0], inputShape.slice(1).reduce<number>((a, b) => a * (b as number), 1)]
  }
}
