import { requireList } from '../argument-checks.js'
import { record } from '../autograd/engine.js'
import { replayedStep } from '../compile/hooks.js'
import { allocate, type TypedArray } from '../dtype.js'
import { checkOptionKeys } from '../nn/options.js'
import { broadcastStrides, dimsBetween, formatShape, normalizeDim, numelBetween, numelOf, sizedDim, stridesOf } from '../shape.js'
import { checkShape } from '../shape-check.js'
import { Tensor } from '../tensor.js'
import { sumTo } from './reduce.js'
import { reshape } from './shape.js'
import { markSliceCopy, stridedTake } from './strided.js'

/** flatten, unflatten, expand, repeat, pad. */

/** Dims startDim..endDim merged into one: `randn([2,3,4]).flatten(1)` is [2, 12]. Shares the data. */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.ndim === 0) return reshape(x, [1])
  const s = normalizeDim('flatten', startDim, x.ndim, x.shape)
  const e = normalizeDim('flatten', endDim, x.ndim, x.shape)
  if (s > e) throw new RangeError(`flatten: startDim ${startDim} comes after endDim ${endDim} (shape ${formatShape(x.shape)})`)
  return reshape(x, [...dimsBetween(x.shape, 0, s), numelBetween(x.shape, s, e + 1), ...dimsBetween(x.shape, e + 1)])
}

/** Dim `dim` split into `sizes` (one may be -1). */
export function unflatten(x: Tensor, dim: number, sizes: readonly number[]): Tensor {
  requireList('unflatten', 'sizes', sizes, '[2, -1]')
  const d = sizedDim('unflatten', dim, x.shape)
  const known = sizes.filter((s) => s !== -1)
  const n = x.shape[d]
  const p = numelOf(known)
  const filled = sizes.map((s) => (s === -1 ? n / p : s))
  if (sizes.filter((s) => s === -1).length > 1 || numelOf(filled) !== n || !filled.every(Number.isInteger)) {
    throw new Error(`unflatten: sizes [${sizes.join(', ')}] do not multiply to ${n}, the size of dim ${d} of shape ${formatShape(x.shape)}`)
  }
  return reshape(x, [...dimsBetween(x.shape, 0, d), ...filled, ...dimsBetween(x.shape, d + 1)])
}

/** Broadcast to `sizes` (−1 keeps a dim; new dims go in front). A copy; the gradient sums back. */
export function expand(x: Tensor, sizes: readonly number[]): Tensor {
  requireList('expand', 'sizes', sizes, '[4, -1]')
  const lead = sizes.length - x.ndim
  if (lead < 0) throw new Error(`expand: sizes [${sizes.join(', ')}] have fewer dims than the tensor of shape ${formatShape(x.shape)}`)
  const shape = sizes.map((s, i) => {
    const own = i < lead ? undefined : x.shape[i - lead]
    if (s === -1 && own !== undefined) return own
    if (!Number.isInteger(s) || s < 0 || (own !== undefined && own !== 1 && own !== s)) {
      throw new Error(`expand: the tensor of shape ${formatShape(x.shape)} cannot expand to [${sizes.join(', ')}]: dim ${i} is ${own ?? 'new'}, only size-1 dims stretch`)
    }
    return s
  })
  checkShape('expand', shape, x.dtype) // a copy: more than a typed array holds was a raw RangeError
  const y = stridedTake(x, shape, broadcastStrides(x.shape, shape), 0)
  return markSliceCopy(record(y, 'ExpandBackward0', [x], (g) => [sumTo(g, x.shape)]), 'expand')
}

/** Tiles the tensor `repeats[i]` times along each dim (more repeats than dims add leading dims). */
export function repeat(x: Tensor, repeats: readonly number[]): Tensor {
  if (repeats.length < x.ndim) {
    throw new Error(`repeat: ${repeats.length} repeats given for a tensor of shape ${formatShape(x.shape)}; give at least one per dim`)
  }
  if (!repeats.every((r) => Number.isInteger(r) && r >= 0)) throw new RangeError(`repeat: repeats must be non-negative integers, got [${repeats.join(', ')}]`)
  const lead = repeats.length - x.ndim
  const base = [...new Array<number>(lead).fill(1), ...x.shape]
  // View the output as [r0, s0, r1, s1, …]: a broadcast of x over the r's, then merged pairwise.
  const pairShape = base.flatMap((s, i) => [repeats[i], s])
  const own = stridesOf(base)
  const pairStrides = base.flatMap((_, i) => [0, own[i]])
  const shape = base.map((s, i) => s * repeats[i])
  checkShape('repeat', shape, x.dtype)
  const y = stridedTake(x, pairShape, pairStrides, 0).viewAs(shape)
  return record(y, 'RepeatBackward0', [x], (g) => [sumTo(g.viewAs(pairShape).sum(pairShape.map((_, i) => i).filter((i) => i % 2 === 0)), base).viewAs(x.shape)], { repeats: [...repeats] })
}

export interface PadOptions {
  mode?: 'constant' | 'reflect' | 'replicate'
  value?: number
}

/**
 * Pads the last dims by `pad` (PyTorch's order: [left, right] of the last dim, then of the one
 * before, …). constant fills `value` (negative pads crop); reflect mirrors without repeating the
 * edge; replicate repeats it. reflect and replicate pad the last 1–2 dims.
 */
export function pad(x: Tensor, padding: readonly number[], options?: PadOptions): Tensor {
  checkOptionKeys('pad', options, ['mode', 'value'])
  const mode = options?.mode ?? 'constant'
  const value = options?.value ?? 0
  if (!['constant', 'reflect', 'replicate'].includes(mode)) throw new Error(`pad: mode must be 'constant', 'reflect' or 'replicate', got ${JSON.stringify(mode)}`)
  if (!Array.isArray(padding)) throw new TypeError(`pad: pad must be a list of integers, last dim first (as [left, right, top, bottom]), got ${typeof padding} ${JSON.stringify(padding)} (shape ${formatShape(x.shape)})`)
  if (padding.length % 2 !== 0 || padding.length / 2 > x.ndim || !padding.every(Number.isInteger)) {
    throw new Error(`pad: pad [${padding.join(', ')}] must hold integer pairs for at most ${x.ndim} dims (shape ${formatShape(x.shape)})`)
  }
  const dims = padding.length / 2
  if (mode !== 'constant' && dims > 2) throw new Error(`pad: ${mode} padding supports the last 1 or 2 dims, got pads for ${dims}`)
  const before = x.shape.map((_, d) => (d >= x.ndim - dims ? padding[2 * (x.ndim - 1 - d)] : 0))
  const after = x.shape.map((_, d) => (d >= x.ndim - dims ? padding[2 * (x.ndim - 1 - d) + 1] : 0))
  const shape = x.shape.map((s, d) => s + before[d] + after[d])
  shape.forEach((s, d) => {
    if (s < 0) throw new Error(`pad: pad [${padding.join(', ')}] leaves dim ${d} of shape ${formatShape(x.shape)} with size ${s}`)
    if (mode === 'reflect' && (before[d] >= x.shape[d] || after[d] >= x.shape[d]) && (before[d] > 0 || after[d] > 0)) {
      throw new Error(`pad: reflect padding of ${Math.max(before[d], after[d])} must be smaller than dim ${d} of size ${x.shape[d]} (shape ${formatShape(x.shape)})`)
    }
    if (mode === 'replicate' && x.shape[d] === 0 && (before[d] > 0 || after[d] > 0)) throw new Error(`pad: cannot replicate-pad the empty dim ${d}`)
  })
  checkShape('pad', shape, x.dtype)
  // Each output position reads one source element (or none: the constant).
  const source = sourceOffsets(x.shape, shape, before, mode)
  const y = new Tensor(allocate(x.dtype, source.length), shape)
  // The copies run as replayedSteps: a compiled step redoes them on each call's values (the offsets depend on shapes only).
  replayedStep('padTake', takePadded, [x.data, y.data, source, value])
  // PyTorch's names: ConstantPadNdBackward0, ReflectionPad2DBackward0, ReplicationPad1DBackward0…
  const name = mode === 'constant' ? 'ConstantPadNdBackward0' : `${mode === 'reflect' ? 'Reflection' : 'Replication'}Pad${dims}DBackward0`
  return record(y, name, [x], (g) => {
    const gx = new Tensor(allocate(g.dtype, x.numel()), x.shape)
    replayedStep('padPut', putPadded, [g.data, gx.data, source])
    return [gx]
  }, { pad: [...padding], value })
}

/** out[k] = s[source[k]], or `value` where source[k] < 0. */
function takePadded(s: TypedArray, out: TypedArray, source: Int32Array, value: number): void {
  for (let k = 0; k < source.length; k++) out[k] = source[k] < 0 ? value : s[source[k]]
}

/** The gradient of takePadded: gx[source[k]] += g[k] into zeros. */
function putPadded(gd: TypedArray, gx: TypedArray, source: Int32Array): void {
  gx.fill(0) // (a replay writes the same array again)
  for (let k = 0; k < source.length; k++) if (source[k] >= 0) gx[source[k]] += gd[k]
}

/** For each output element of a pad: the flat input offset it copies, or −1 for the constant. */
function sourceOffsets(inShape: readonly number[], outShape: readonly number[], before: number[], mode: string): Int32Array {
  const strides = stridesOf(inShape)
  const n = numelOf(outShape)
  const out = new Int32Array(n)
  const rank = outShape.length
  const index = new Array<number>(rank).fill(0)
  for (let k = 0; k < n; k++) {
    let off = 0
    for (let d = 0; d < rank && off >= 0; d++) {
      let i = index[d] - before[d]
      const size = inShape[d]
      if (i < 0 || i >= size) {
        if (mode === 'constant') off = -1
        else if (mode === 'replicate') i = i < 0 ? 0 : size - 1
        else i = i < 0 ? -i : 2 * (size - 1) - i
      }
      if (off >= 0) off += i * strides[d]
    }
    out[k] = off
    for (let d = rank - 1; d >= 0; d--) {
      if (++index[d] < outShape[d]) break
      index[d] = 0
    }
  }
  return out
}
