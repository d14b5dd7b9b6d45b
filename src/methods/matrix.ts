import { bmm, mm, t } from '../ops/mm.js'
import * as triangle from '../ops/triangle.js'
import type { DiagonalOptions } from '../ops/triangle.js'
import type { Tensor } from '../tensor.js'
import { installMethods } from './install.js'

/** Matrix forms as Tensor methods: triangles, t, mm, bmm. */
export interface MatrixMethods {
  /** Lower triangle of the last two dims (col − row ≤ diagonal kept, zeros above): `tril()`, `tril(-1)`, `tril({ diagonal: 1 })`. */
  tril(diagonal?: number | DiagonalOptions): Tensor
  /** Upper triangle of the last two dims (col − row ≥ diagonal kept, zeros below): `triu(1)` is a causal mask's upper part. */
  triu(diagonal?: number | DiagonalOptions): Tensor
  /** The transpose of a 2-D tensor; a 0-D or 1-D one as it is; more dims are an error. */
  t(): Tensor
  /** [n, m] · [m, p] → [n, p], both 2-D. */
  mm(other: Tensor): Tensor
  /** [b, n, m] · [b, m, p] → [b, n, p], both 3-D. */
  bmm(other: Tensor): Tensor
}

installMethods<MatrixMethods>({
  tril(diagonal) {
    return triangle.tril(this, diagonal)
  },
  triu(diagonal) {
    return triangle.triu(this, diagonal)
  },
  t() {
    return t(this)
  },
  mm(other) {
    return mm(this, other)
  },
  bmm(other) {
    return bmm(this, other)
  },
})
