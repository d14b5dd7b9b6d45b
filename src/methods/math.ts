import * as binary from '../ops/binary.js'
import * as unary from '../ops/unary.js'
import type { Tensor } from '../tensor.js'
import { installMethods } from './install.js'

/** Elementwise functions as Tensor methods (the op table's entries, and two binary ones). */
export interface MathMethods {
  /** sin(x) elementwise; same shape. */
  sin(): Tensor
  /** cos(x) elementwise; same shape. */
  cos(): Tensor
  /** log(1 + x) elementwise, accurate near 0; same shape. */
  log1p(): Tensor
  /** e^x − 1 elementwise, accurate near 0; same shape. */
  expm1(): Tensor
  /** x² elementwise; same shape. */
  square(): Tensor
  /** 1/√x elementwise; same shape. */
  rsqrt(): Tensor
  /** 1/x elementwise; same shape. */
  reciprocal(): Tensor
  /** −1, 0 or 1 by the sign of x (0 for NaN, as PyTorch); zero gradient; same shape. */
  sign(): Tensor
  /** The largest integer ≤ x elementwise; zero gradient; same shape. */
  floor(): Tensor
  /** x rounded to the nearest integer, half to even (as torch.round); zero gradient; same shape. */
  round(): Tensor
  /** Elementwise min of two broadcast tensors (NaN propagates; ties share the gradient); the broadcast shape. */
  minimum(other: Tensor): Tensor
  /** Another name for clamp: limited to [min, max] (either bound may be null). */
  clip(min?: number | null, max?: number | null): Tensor
}

installMethods<MathMethods>({
  sin() { return unary.sin(this) },
  cos() { return unary.cos(this) },
  log1p() { return unary.log1p(this) },
  expm1() { return unary.expm1(this) },
  square() { return unary.square(this) },
  rsqrt() { return unary.rsqrt(this) },
  reciprocal() { return unary.reciprocal(this) },
  sign() { return unary.sign(this) },
  floor() { return unary.floor(this) },
  round() { return unary.round(this) },
  minimum(other: Tensor) { return binary.minimum(this, other) },
  clip(min, max) { return unary.clampAs('clip', this, min, max) },
})
