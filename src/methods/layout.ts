import { flip } from '../ops/flip.js'
import * as layout from '../ops/layout.js'
import { permute } from '../ops/shape.js'
import { sizedDim } from '../shape.js'
import type { Tensor } from '../tensor.js'
import { installMethods } from './install.js'

type Sizes = (number | readonly number[])[]

/** Shape methods beyond the core (flatten, view, reshape are in tensor.ts). */
export interface LayoutMethods {
  /** Dims reordered: out.shape[i] = this.shape[dims[i]]; `permute(2, 0, 1)` or `permute([2, 0, 1])`. */
  permute(...dims: Sizes): Tensor
  /** Dim split into sizes (one may be −1): [2, 12].unflatten(1, [3, 4]) is [2, 3, 4]. */
  unflatten(dim: number, sizes: readonly number[]): Tensor
  /** Broadcast to sizes (−1 keeps a dim); varargs or an array. */
  expand(...sizes: Sizes): Tensor
  /** Tiled repeats[i] times along each dim; varargs or an array. */
  repeat(...repeats: Sizes): Tensor
  /** The elements in reverse order along each of dims: `flip(0)`, `flip(0, 1)` or `flip([0, 1])`. */
  flip(...dims: Sizes): Tensor
  /** The tensor itself: every yann tensor is contiguous. */
  contiguous(): Tensor
  /** The shape as an array, or the size of one dim. */
  size(): number[]
  size(dim: number): number
  /** The number of dims (same as ndim). */
  dim(): number
}

installMethods<LayoutMethods>({
  permute(...dims) {
    return permute(this, dims.flat())
  },
  unflatten(dim, sizes) {
    return layout.unflatten(this, dim, sizes)
  },
  expand(...sizes) {
    return layout.expand(this, sizes.flat())
  },
  repeat(...repeats) {
    return layout.repeat(this, repeats.flat())
  },
  flip(...dims) {
    return flip(this, dims.flat())
  },
  contiguous() {
    return this
  },
  size: function (this: Tensor, dim?: number) {
    return dim === undefined ? [...this.shape] : this.shape[sizedDim('size', dim, this.shape)]
  } as LayoutMethods['size'],
  dim() {
    return this.ndim
  },
})
