import * as ops from '../ops/compare.js'
import { isfinite, isinf, isnan } from '../ops/finite.js'
import type { Operand, Tensor } from '../tensor.js'
import { installMethods } from './install.js'
import type { KeepdimOptions } from '../ops/dims.js'

/** Comparisons, logical ops, where and maskedFill as Tensor methods. */
export interface CompareMethods {
  /** this > other elementwise (broadcast) → bool. */
  gt(other: Operand): Tensor
  /** this < other elementwise (broadcast) → bool. */
  lt(other: Operand): Tensor
  /** this ≥ other elementwise (broadcast) → bool. */
  ge(other: Operand): Tensor
  /** this ≤ other elementwise (broadcast) → bool. */
  le(other: Operand): Tensor
  /** this = other elementwise (broadcast) → bool. */
  eq(other: Operand): Tensor
  /** this ≠ other elementwise (broadcast) → bool (NaN ≠ NaN). */
  ne(other: Operand): Tensor
  /** Not (nonzero is true) → bool, same shape. */
  logicalNot(): Tensor
  /** this and other (nonzero is true, broadcast) → bool. */
  logicalAnd(other: Tensor): Tensor
  /** this or other (nonzero is true, broadcast) → bool. */
  logicalOr(other: Tensor): Tensor
  /** Whether any element is nonzero → 0-d bool; along dim(s) with { keepdim } → bool. */
  any(dim?: number | readonly number[], options?: KeepdimOptions): Tensor
  /** Whether every element is nonzero → 0-d bool; along dim(s) with { keepdim } → bool. */
  all(dim?: number | readonly number[], options?: KeepdimOptions): Tensor
  /** condition ? this : other (all three broadcast), as torch's `x.where(condition, y)`. */
  where(condition: Tensor, other: Operand): Tensor
  /** A copy with `value` where the bool mask (broadcast to this shape) is true. */
  maskedFill(mask: Tensor, value: number | Tensor): Tensor
  /** True where NaN → bool, same shape. */
  isnan(): Tensor
  /** True where +∞ or −∞ → bool, same shape. */
  isinf(): Tensor
  /** True where neither NaN nor ±∞ → bool, same shape. */
  isfinite(): Tensor
  /** A bool copy: nonzero (and NaN) is true. */
  bool(): Tensor
  /** An int32 copy (floats truncate toward zero). */
  int(): Tensor
}

installMethods<CompareMethods>({
  gt(other) {
    return ops.gt(this, other)
  },
  lt(other) {
    return ops.lt(this, other)
  },
  ge(other) {
    return ops.ge(this, other)
  },
  le(other) {
    return ops.le(this, other)
  },
  eq(other) {
    return ops.eq(this, other)
  },
  ne(other) {
    return ops.ne(this, other)
  },
  logicalNot() {
    return ops.logicalNot(this)
  },
  logicalAnd(other) {
    return ops.logicalAnd(this, other)
  },
  logicalOr(other) {
    return ops.logicalOr(this, other)
  },
  any(dim, options) {
    return ops.any(this, dim, options)
  },
  all(dim, options) {
    return ops.all(this, dim, options)
  },
  where(condition, other) {
    return ops.where(condition, this, other)
  },
  maskedFill(mask, value) {
    return ops.maskedFill(this, mask, value)
  },
  isnan() {
    return isnan(this)
  },
  isinf() {
    return isinf(this)
  },
  isfinite() {
    return isfinite(this)
  },
  bool() {
    return this.to('bool')
  },
  int() {
    return this.to('int32')
  },
})
