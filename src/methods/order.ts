import type { ValuesIndices } from '../ops/extremes.js'
import * as ops from '../ops/sorting.js'
import type { SortOptions, TopkOptions } from '../ops/sorting.js'
import type { Tensor } from '../tensor.js'
import { installMethods } from './install.js'

/** Sorting as Tensor methods. */
export interface OrderMethods {
  /** Sorted along dim (last by default) → { values, indices }; ties lower index first, NaN largest: `sort(0)`, `sort({ dim: 0, descending: true })`. */
  sort(dim?: number | SortOptions, options?: SortOptions): ValuesIndices
  /** The int32 indices that sort along dim (same arguments as sort). */
  argsort(dim?: number | SortOptions, options?: SortOptions): Tensor
  /** The k largest (or { largest: false } smallest) along dim (last by default), in order → { values, indices }: `topk(5)`, `topk(5, 1)`. */
  topk(k: number, dim?: number | TopkOptions, options?: TopkOptions): ValuesIndices
}

installMethods<OrderMethods>({
  sort(dim, options) {
    return ops.sort(this, dim, options)
  },
  argsort(dim, options) {
    return ops.argsort(this, dim, options)
  },
  topk(k, dim, options) {
    return ops.topk(this, k, dim, options)
  },
})
