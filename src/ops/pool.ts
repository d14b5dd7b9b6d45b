import { record, type OpAttributes } from '../autograd/engine.js'
import { backend } from '../backend/index.js'
import type { ConvGeometry } from '../backend/types.js'
import type { FloatDType } from '../dtype.js'
import { checkOptionKeys } from '../nn/options.js'
import { formatShape, leadingDims } from '../shape.js'
import { Tensor } from '../tensor.js'
import { asFloat, empty, floatDType, floats } from './operands.js'
import { geometry, outputSize, perDim, requireRank } from './window.js'
import { constantArray, newArray } from '../compile/hooks.js'

/** Pooling over the last two dims of [N, C, H, W] or [C, H, W] (and the 1-d forms over [N, C, L] or [C, L]). */

export interface MaxPoolOptions {
  stride?: number | number[] | null
  padding?: number | number[]
  dilation?: number | number[]
  ceilMode?: boolean
  returnIndices?: boolean
}

export interface AvgPoolOptions {
  stride?: number | number[] | null
  padding?: number | number[]
  ceilMode?: boolean
  countIncludePad?: boolean
}

/** Values with the flat positions (y·W + x within each plane) of the maxima, as PyTorch's return_indices. */
export interface PoolWithIndices {
  values: Tensor
  indices: Tensor
}

interface Sweep {
  planes: number
  h: number
  w: number
  k: number[]
  s: number[]
  p: number[]
  d: number[]
  out: number[]
  shape: (oh: number, ow: number) => number[]
}

/** Shapes, kernel, stride, padding and output size of a pooling call (1-d runs as height 1). */
function sweep(op: string, x: Tensor, dims: 1 | 2, kernelSize: number | number[], o: MaxPoolOptions & AvgPoolOptions): Sweep {
  requireRank(op, 'an input', x, [dims + 1, dims + 2], dims === 2 ? '[N, C, H, W] or [C, H, W]' : '[N, C, L] or [C, L]')
  const lead = leadingDims(x.shape, dims)
  const planes = lead.reduce((a, b) => a * b, 1)
  const lift = (v: number[], one: number): number[] => (dims === 2 ? v : [one, v[0]])
  const k = lift(perDim(op, 'kernelSize', kernelSize, dims, 1), 1)
  const s = lift(o.stride == null ? k.slice(2 - dims) : perDim(op, 'stride', o.stride, dims, 1), 1)
  const p = lift(perDim(op, 'padding', o.padding ?? 0, dims, 0), 0)
  const d = lift(perDim(op, 'dilation', o.dilation ?? 1, dims, 1), 1)
  if (p.some((v, i) => v > k[i] / 2)) throw new Error(`${op}: padding ${JSON.stringify(o.padding)} must be at most half the kernel size ${JSON.stringify(kernelSize)}`)
  const h = dims === 2 ? x.shape[x.ndim - 2] : 1
  const w = x.shape[x.ndim - 1]
  const out = [h, w].map((sz, i) => outputSize(sz, k[i], s[i], p[i], d[i], o.ceilMode ?? false))
  if (out.some((v) => v < 1)) {
    throw new Error(`${op}: the kernel ${JSON.stringify(kernelSize)} is larger than the padded input ${formatShape(x.shape.slice(-dims))}; use a smaller kernel or padding`)
  }
  const shape = (oh: number, ow: number): number[] => (dims === 2 ? [...lead, oh, ow] : [...lead, ow])
  return { planes, h, w, k, s, p, d, out, shape }
}

function maxPool(op: string, dims: 1 | 2, input: Tensor, kernelSize: number | number[], options: MaxPoolOptions): Tensor | PoolWithIndices {
  checkOptionKeys(op, options, ['stride', 'padding', 'dilation', 'ceilMode', 'returnIndices'])
  const x = asFloat(input)
  const sw = sweep(op, x, dims, kernelSize, options)
  const g = geometry(sw.h, sw.w, sw.k, sw.s, sw.p, sw.d, sw.out[0], sw.out[1])
  const dt = floatDType(x)
  const outShape = sw.shape(g.oh, g.ow)
  const y = empty(dt, outShape)
  const at = empty(dt, outShape) // positions as floats: staged like any other array
  backend().maxPool2d(floats(x), floats(y), floats(at), sw.planes, g)
  const values = record(y, dims === 2 ? 'MaxPool2DWithIndicesBackward0' : 'MaxPool1DWithIndicesBackward0', [x], (dy) => {
    const dx = empty(dt, x.shape)
    backend().maxPool2dBackward(floats(dy), floats(at), floats(dx), sw.planes, sw.h * sw.w, g.oh * g.ow, tiles2x2(sw, g) ? sw.w : 0)
    return [dx]
  }, windowAttributes(sw, dims, options))
  if (!options.returnIndices) return values
  return { values, indices: new Tensor(Int32Array.from(floats(at)), outShape) }
}

/** MaxPool2d(2)'s common case: 2 × 2 windows at stride 2, no padding, covering every element. */
function tiles2x2(sw: Sweep, g: ConvGeometry): boolean {
  return g.kh === 2 && g.kw === 2 && g.sh === 2 && g.sw === 2 && g.dh === 1 && g.dw === 1 && g.ph === 0 && g.pw === 0 && sw.h === 2 * g.oh && sw.w === 2 * g.ow
}

/** Max over kh×kw windows: [N, C, H, W] → [N, C, OH, OW]; `returnIndices` gives `{ values, indices }`. */
export function maxPool2d(x: Tensor, kernelSize: number | number[], options: MaxPoolOptions & { returnIndices: true }): PoolWithIndices
export function maxPool2d(x: Tensor, kernelSize: number | number[], options?: MaxPoolOptions): Tensor
export function maxPool2d(x: Tensor, kernelSize: number | number[], options: MaxPoolOptions = {}): Tensor | PoolWithIndices {
  return maxPool('maxPool2d', 2, x, kernelSize, options)
}

/** Max over windows of the last dim: [N, C, L] → [N, C, L']. */
export function maxPool1d(x: Tensor, kernelSize: number | number[], options: MaxPoolOptions & { returnIndices: true }): PoolWithIndices
export function maxPool1d(x: Tensor, kernelSize: number | number[], options?: MaxPoolOptions): Tensor
export function maxPool1d(x: Tensor, kernelSize: number | number[], options: MaxPoolOptions = {}): Tensor | PoolWithIndices {
  return maxPool('maxPool1d', 1, x, kernelSize, options)
}

/**
 * Window bounds along one dim, as the kernels read them: [start(o), end(o), divisor(o)].
 * A window covers [o·s − p, o·s − p + k) clipped to the padded input; the divisor counts the
 * padding it covers when `includePad`, else only the input it covers.
 */
function avgWindows(size: number, out: number, k: number, s: number, p: number, includePad: boolean): number[][] {
  const starts: number[] = []
  const ends: number[] = []
  const divs: number[] = []
  for (let o = 0; o < out; o++) {
    const start = o * s - p
    const end = Math.min(start + k, size + p)
    const a = Math.max(start, 0)
    const b = Math.min(end, size)
    starts.push(a)
    ends.push(b)
    divs.push(includePad ? end - start : b - a)
  }
  return [starts, ends, divs]
}

/** PyTorch's adaptive windows: [⌊o·size/out⌋, ⌈(o + 1)·size/out⌉), divisor their length. */
function adaptiveWindows(size: number, out: number): number[][] {
  const starts = Array.from({ length: out }, (_, o) => Math.floor((o * size) / out))
  const ends = Array.from({ length: out }, (_, o) => Math.ceil(((o + 1) * size) / out))
  return [starts, ends, ends.map((e, o) => e - starts[o])]
}

/** Averages over windows given by `win` (see Backend.avgPool2d), with its gradient. */
/** The window of a pooling call per spatial dim, for tracers (ONNX export): pads every start, then every end. */
function windowAttributes(sw: Sweep, dims: 1 | 2, o: MaxPoolOptions & AvgPoolOptions): OpAttributes {
  const spatial = (v: number[]): number[] => v.slice(2 - dims)
  const p = spatial(sw.p)
  return { kernelSize: spatial(sw.k), stride: spatial(sw.s), pads: [...p, ...p], dilation: spatial(sw.d), ceilMode: o.ceilMode ?? false, countIncludePad: o.countIncludePad ?? true }
}

function averageOver(x: Tensor, planes: number, h: number, w: number, oh: number, ow: number, rows: number[][], cols: number[][], outShape: number[], name: string, attributes: OpAttributes = {}): Tensor {
  const dt: FloatDType = floatDType(x)
  const flat = [...rows.flat(), ...cols.flat()]
  // (Window bounds from the shapes, the same at every call: a compiled step's kernels keep them.)
  const win = constantArray(newArray(dt === 'float64' ? Float64Array.from(flat) : Float32Array.from(flat)))
  const y = empty(dt, outShape)
  backend().avgPool2d(floats(x), floats(y), planes, h, w, oh, ow, win)
  return record(y, name, [x], (dy) => {
    const dx = empty(dt, x.shape)
    backend().avgPool2dBackward(floats(dy), floats(dx), planes, h, w, oh, ow, win)
    return [dx]
  }, attributes)
}

function avgPool(op: string, dims: 1 | 2, input: Tensor, kernelSize: number | number[], options: AvgPoolOptions): Tensor {
  checkOptionKeys(op, options, ['stride', 'padding', 'ceilMode', 'countIncludePad'])
  const x = asFloat(input)
  const sw = sweep(op, x, dims, kernelSize, options)
  const include = options.countIncludePad ?? true
  const rows = avgWindows(sw.h, sw.out[0], sw.k[0], sw.s[0], sw.p[0], include)
  const cols = avgWindows(sw.w, sw.out[1], sw.k[1], sw.s[1], sw.p[1], include)
  return averageOver(x, sw.planes, sw.h, sw.w, sw.out[0], sw.out[1], rows, cols, sw.shape(sw.out[0], sw.out[1]), dims === 2 ? 'AvgPool2DBackward0' : 'AvgPool1DBackward0', windowAttributes(sw, dims, options))
}

/** Mean over kh×kw windows: [N, C, H, W] → [N, C, OH, OW]. */
export function avgPool2d(x: Tensor, kernelSize: number | number[], options: AvgPoolOptions = {}): Tensor {
  return avgPool('avgPool2d', 2, x, kernelSize, options)
}

/** Mean over windows of the last dim: [N, C, L] → [N, C, L']. */
export function avgPool1d(x: Tensor, kernelSize: number | number[], options: AvgPoolOptions = {}): Tensor {
  return avgPool('avgPool1d', 1, x, kernelSize, options)
}

/** Mean over PyTorch's adaptive windows to a fixed `outputSize` (a number, or [oh, ow] where null keeps the input's size). */
export function adaptiveAvgPool2d(input: Tensor, outputSize: number | (number | null)[]): Tensor {
  const op = 'adaptiveAvgPool2d'
  const x = asFloat(input)
  requireRank(op, 'an input', x, [3, 4], '[N, C, H, W] or [C, H, W]')
  const h = x.shape[x.ndim - 2]
  const w = x.shape[x.ndim - 1]
  const given = typeof outputSize === 'number' ? [outputSize, outputSize] : outputSize
  if (!Array.isArray(given) || given.length !== 2) throw new RangeError(`${op}: outputSize must be a number or [oh, ow], got ${JSON.stringify(outputSize)}`)
  const [oh, ow] = given.map((v, i) => (v === null ? [h, w][i] : v))
  for (const v of [oh, ow]) if (!Number.isInteger(v) || v < 1) throw new RangeError(`${op}: output sizes must be positive integers, got ${JSON.stringify(outputSize)}`)
  if (h === 0 || w === 0) throw new Error(`${op}: input ${formatShape(x.shape)} has an empty plane`)
  const lead = leadingDims(x.shape, 2)
  const planes = lead.reduce((a, b) => a * b, 1)
  return averageOver(x, planes, h, w, oh, ow, adaptiveWindows(h, oh), adaptiveWindows(w, ow), [...lead, oh, ow], 'AdaptiveAvgPool2DBackward0')
}
