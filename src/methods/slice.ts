import { index as indexOp, type IndexItem } from '../ops/indexing.js'
import { chunk, split } from '../ops/join.js'
import * as ops from '../ops/slice.js'
import type { Tensor } from '../tensor.js'
import { installMethods } from './install.js'

/** Slicing, indexing and splitting as Tensor methods. Results are copies; gradients flow back into the chosen elements. */
export interface SliceMethods {
  /** `length` elements of dim from `start`: `t[..., start:start+length]`. */
  narrow(dim: number, start: number | Tensor, length: number): Tensor
  /** The slice at `index` of dim, which is removed: `t[..., index]`. */
  select(dim: number, index: number | Tensor): Tensor
  /** `t[..., start:end:step]` along dim; bounds clamp as in Python. */
  slice(dim: number, start?: number | null, end?: number | null, step?: number): Tensor
  /** Entries of dim at the indices of a 1-D int32 tensor (or integer array). */
  indexSelect(dim: number, index: Tensor | readonly number[]): Tensor
  /** out[pos] = this[pos with dim replaced by index[pos]]; out has index's shape. */
  gather(dim: number, index: Tensor | readonly number[]): Tensor
  /** A copy with src added where gather would read: out[… index[pos] …] += src[pos]. */
  scatterAdd(dim: number, index: Tensor | readonly number[], src: Tensor): Tensor
  /** PyTorch's `t[...]`: numbers, null (`:`), 'a:b:c', '...', int32 index tensors and bool masks. */
  index(...items: IndexItem[]): Tensor
  /** Pieces of splitSize (the last may be smaller), or of the given sizes, along dim. */
  split(splitSize: number | readonly number[], dim?: number): Tensor[]
  /** `chunks` pieces (or fewer) of equal size along dim. */
  chunk(chunks: number, dim?: number): Tensor[]
}

installMethods<SliceMethods>({
  narrow(dim, start, length) {
    return ops.narrow(this, dim, start, length)
  },
  select(dim, index) {
    return ops.select(this, dim, index)
  },
  slice(dim, start, end, step) {
    return ops.slice(this, dim, start, end, step)
  },
  indexSelect(dim, index) {
    return ops.indexSelect(this, dim, index)
  },
  gather(dim, index) {
    return ops.gather(this, dim, index)
  },
  scatterAdd(dim, index, src) {
    return ops.scatterAdd(this, dim, index, src)
  },
  index(...items) {
    return indexOp(this, items)
  },
  split(splitSize, dim) {
    return split(this, splitSize, dim)
  },
  chunk(chunks, dim) {
    return chunk(this, chunks, dim)
  },
})
