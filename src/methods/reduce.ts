import type { KeepdimOptions } from '../ops/dims.js'
import type { DTypeOptions } from '../ops/operands.js'
import * as extremes from '../ops/extremes.js'
import type { ValuesIndices } from '../ops/extremes.js'
import * as stats from '../ops/statistics.js'
import type { VarOptions } from '../ops/statistics.js'
import type { Tensor } from '../tensor.js'
import { installMethods } from './install.js'

/** Reductions beyond sum/mean as Tensor methods. */
export interface ReduceMethods {
  /** max() → 0-d (ties share the gradient); max(dim, { keepdim }) → { values, indices } (the gradient goes to the index). */
  max(): Tensor
  max(dim: number, options?: KeepdimOptions): ValuesIndices
  /** min() → 0-d; min(dim, { keepdim }) → { values, indices }. */
  min(): Tensor
  min(dim: number, options?: KeepdimOptions): ValuesIndices
  /** Largest value along dim (of everything when dim is omitted); tied maxima share the gradient evenly. */
  amax(dim?: number | readonly number[] | null, options?: KeepdimOptions): Tensor
  /** Smallest value along dim (of everything when dim is omitted); tied minima share the gradient evenly. */
  amin(dim?: number | readonly number[] | null, options?: KeepdimOptions): Tensor
  /** int32 index of the (first) largest element along dim, or in the flattened tensor. */
  argmax(dim?: number | null, options?: KeepdimOptions): Tensor
  /** int32 index of the (first) smallest element along dim, or in the flattened tensor. */
  argmin(dim?: number | null, options?: KeepdimOptions): Tensor
  /** log Σ exp along dim (or dims), computed without overflow. */
  logsumexp(dim: number | readonly number[], options?: KeepdimOptions): Tensor
  /** Variance over dim(s) or all: Σ(x − mean)² / (n − correction), correction 1 by default. */
  var(dim?: number | readonly number[] | null, options?: VarOptions): Tensor
  /** Standard deviation: √var, same arguments. */
  std(dim?: number | readonly number[] | null, options?: VarOptions): Tensor
  /** Running sum along dim, same shape. */
  cumsum(dim: number, options?: DTypeOptions): Tensor
  /** Product along dim, or of all elements → 0-d. */
  prod(dim?: number | null, options?: KeepdimOptions): Tensor
}

installMethods<ReduceMethods>({
  max: function (this: Tensor, dim?: number, options?: KeepdimOptions) {
    return dim === undefined ? extremes.max(this) : extremes.max(this, dim, options)
  } as ReduceMethods['max'],
  min: function (this: Tensor, dim?: number, options?: KeepdimOptions) {
    return dim === undefined ? extremes.min(this) : extremes.min(this, dim, options)
  } as ReduceMethods['min'],
  amax(dim, options) {
    return extremes.amax(this, dim, options)
  },
  amin(dim, options) {
    return extremes.amin(this, dim, options)
  },
  argmax(dim, options) {
    return extremes.argmax(this, dim, options)
  },
  argmin(dim, options) {
    return extremes.argmin(this, dim, options)
  },
  logsumexp(dim, options) {
    return stats.logsumexp(this, dim, options)
  },
  var(dim, options) {
    return stats.variance(this, dim, options)
  },
  std(dim, options) {
    return stats.std(this, dim, options)
  },
  cumsum(dim, options) {
    return stats.cumsum(this, dim, options)
  },
  prod(dim, options) {
    return stats.prod(this, dim, options)
  },
})
