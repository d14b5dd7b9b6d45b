import type { FloatArray } from '../../dtype.js'
import type { GemmOptions } from '../types.js'

/**
 * Batched GEMM, the reference: out[b] = op(A[b])·op(B[b]) (+ bias).
 * The inner loop runs over contiguous memory of B and out (i-k-j order) when B is not
 * transposed; with transB it is a dot product of two contiguous rows.
 */
export function gemm(a: FloatArray, b: FloatArray, out: FloatArray, o: GemmOptions): void {
  const { m, n, k, batch = 1, transA = false, transB = false, aBatchStride = 0, bBatchStride = 0, bias = null } = o
  // Element (i, p) of op(A) and (p, j) of op(B), as strides.
  const aRow = transA ? 1 : k
  const aCol = transA ? m : 1
  for (let t = 0; t < batch; t++) {
    const a0 = t * aBatchStride
    const b0 = t * bBatchStride
    const o0 = t * m * n
    for (let i = 0; i < m; i++) {
      const row = o0 + i * n
      if (transB) {
        for (let j = 0; j < n; j++) {
          let s = 0
          const bj = b0 + j * k
          for (let p = 0; p < k; p++) s += a[a0 + i * aRow + p * aCol] * b[bj + p]
          out[row + j] = s
        }
      } else {
        for (let j = 0; j < n; j++) out[row + j] = 0
        for (let p = 0; p < k; p++) {
          const av = a[a0 + i * aRow + p * aCol]
          const bp = b0 + p * n
          for (let j = 0; j < n; j++) out[row + j] += av * b[bp + j]
        }
      }
      if (bias) for (let j = 0; j < n; j++) out[row + j] += bias[j]
    }
  }
}
