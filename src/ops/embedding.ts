import { gradDestination, record } from '../autograd/engine.js'
import { backend } from '../backend/index.js'
import { fillArray } from '../compile/hooks.js'
import { checkOptionKeys } from '../nn/options.js'
import { formatShape } from '../shape.js'
import { Tensor } from '../tensor.js'
import { checkEmbeddingIndices } from './index-check.js'
import { empty, floatDType, floats } from './operands.js'

export interface EmbeddingOptions {
  /** This row gets no gradient (a padding token's vector stays as initialised). Negative counts from the end. */
  paddingIdx?: number | null
}

/**
 * Looks up rows of `weight` [num, dim] by int32 `indices` of any shape → [...indices.shape, dim],
 * PyTorch's F.embedding. The gradient sums into the rows used, except `paddingIdx`'s.
 */
export function embedding(indices: Tensor, weight: Tensor, options: EmbeddingOptions = {}): Tensor {
  checkOptionKeys('embedding', options, ['paddingIdx'])
  if (!(indices instanceof Tensor)) throw new TypeError('embedding: indices must be an int32 Tensor (e.g. tensor([1, 2], { dtype: \'int32\' }))')
  if (!(weight instanceof Tensor) || weight.ndim !== 2 || (weight.dtype !== 'float32' && weight.dtype !== 'float64')) {
    throw new TypeError(`embedding: weight must be a float matrix [numEmbeddings, embeddingDim], got ${weight instanceof Tensor ? `${weight.dtype} ${formatShape(weight.shape)}` : typeof weight}`)
  }
  if (indices.dtype !== 'int32') {
    throw new TypeError(`embedding: indices must be int32, got ${indices.dtype} ${formatShape(indices.shape)}; convert them with .int() or build them with { dtype: 'int32' }`)
  }
  const [num, dim] = weight.shape
  const padding = paddingRow('embedding', options.paddingIdx, num)
  checkEmbeddingIndices(indices, weight)
  const idx = indices.data as Int32Array
  const dtype = floatDType(weight)
  const out = empty(dtype, [...indices.shape, dim])
  backend().indexSelect(floats(weight), idx, floats(out), 1, num, dim)
  // indices are an input too (no gradient), so a tracer (ONNX export) sees the whole lookup.
  return record(out, 'EmbeddingBackward0', [weight, indices], (g) => {
    // indexAdd overwrites every row, so it may write straight into the weight's gradient buffer.
    const dw = gradDestination(weight, dtype) ?? empty(dtype, weight.shape)
    const d = floats(dw)
    backend().indexAdd(floats(g), idx, d, 1, num, dim)
    // (through fillArray: a compiled replay zeroes the row again, d being the weight's .grad at every call)
    if (padding >= 0) fillArray(d.subarray(padding * dim, padding * dim + dim), 0)
    return [dw, null]
  }, undefined, indices)
}

/** paddingIdx as a row number in [0, num), or −1 for none. */
export function paddingRow(op: string, paddingIdx: number | null | undefined, num: number): number {
  if (paddingIdx === undefined || paddingIdx === null) return -1
  if (!Number.isInteger(paddingIdx) || paddingIdx < -num || paddingIdx >= num) {
    throw new RangeError(`${op}: paddingIdx must be an integer in [${-num}, ${num - 1}] for ${num} embeddings, got ${paddingIdx}`)
  }
  return paddingIdx < 0 ? paddingIdx + num : paddingIdx
}
