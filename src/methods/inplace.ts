import * as ops from '../ops/inplace.js'
import type { AlphaOptions } from '../ops/alpha.js'
import type { DivOptions } from '../ops/rounding.js'
import type { RandomOptions } from '../ops/inplace.js'
import type { Operand, Tensor } from '../tensor.js'
import { installMethods } from './install.js'

/** In-place ops (not recorded; a tensor that requires grad only under noGrad). Each returns this tensor. */
export interface InPlaceMethods {
  /** Sets every element to 0. */
  zero_(): Tensor
  /** Sets every element to value. */
  fill_(value: number | Tensor): Tensor
  /** Copies src (broadcast to this shape, cast to this dtype) into this tensor. */
  copy_(src: Tensor): Tensor
  /** this += alpha·other (broadcast to this shape). */
  add_(other: Operand, options?: AlphaOptions): Tensor
  /** this −= alpha·other (broadcast to this shape). */
  sub_(other: Operand, options?: AlphaOptions): Tensor
  /** this *= other (broadcast to this shape). */
  mul_(other: Operand): Tensor
  /** this /= other (broadcast to this shape), rounded as { roundingMode } asks. */
  div_(other: Operand, options?: DivOptions): Tensor
  /** Clamps every element into [min, max] (either bound may be null). */
  clamp_(min?: number | null, max?: number | null): Tensor
  /** Fills with normal samples (mean 0, std 1 by default). */
  normal_(mean?: number, std?: number, options?: RandomOptions): Tensor
  /** Fills with uniform samples in [a, b) ([0, 1) by default). */
  uniform_(a?: number, b?: number, options?: RandomOptions): Tensor
}

installMethods<InPlaceMethods>({
  zero_() {
    return ops.zero_(this)
  },
  fill_(value) {
    return ops.fill_(this, value)
  },
  copy_(src) {
    return ops.copy_(this, src)
  },
  add_(other, options) {
    return ops.add_(this, other, options)
  },
  sub_(other, options) {
    return ops.sub_(this, other, options)
  },
  mul_(other) {
    return ops.mul_(this, other)
  },
  div_(other, options) {
    return ops.div_(this, other, options)
  },
  clamp_(min, max) {
    return ops.clamp_(this, min, max)
  },
  normal_(mean, std, options) {
    return ops.normal_(this, mean, std, options)
  },
  uniform_(a, b, options) {
    return ops.uniform_(this, a, b, options)
  },
})
