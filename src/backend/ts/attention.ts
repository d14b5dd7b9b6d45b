import type { FloatArray } from '../../dtype.js'
import type { AttentionShape } from '../types.js'

/**
 * Fused scaled dot-product attention, one query row at a time (the reference for
 * assembly/attention.ts). For row i of batch b:
 *   s_j = scale·q_i·k_j + mask_ij (j ≤ i when causal), p = softmax(s), out_i = Σ_j p_j·v_j,
 * and lse_i = log Σ_j exp(s_j), all backward needs to recompute p without storing [L, S].
 * A row with every key masked has out_i = 0 and lse_i = −∞.
 */
export function attention(
  q: FloatArray, k: FloatArray, v: FloatArray, mask: FloatArray | null, out: FloatArray, lse: FloatArray, s: AttentionShape,
): void {
  const { batch, L, S, E, Ev, scale, causal, maskBatchStride } = s
  const row = new Float64Array(S)
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < L; i++) {
      const qi = (b * L + i) * E
      const oi = (b * L + i) * Ev
      const end = causal ? Math.min(S, i + 1) : S
      let max = -Infinity
      for (let j = 0; j < end; j++) {
        const kj = (b * S + j) * E
        let dot = 0
        for (let e = 0; e < E; e++) dot += q[qi + e] * k[kj + e]
        const x = dot * scale + (mask ? mask[b * maskBatchStride + i * S + j] : 0)
        row[j] = x
        if (x > max) max = x
      }
      for (let e = 0; e < Ev; e++) out[oi + e] = 0
      if (max === -Infinity) {
        lse[b * L + i] = -Infinity
        continue
      }
      let sum = 0
      for (let j = 0; j < end; j++) sum += row[j] = Math.exp(row[j] - max)
      const acc = new Float64Array(Ev)
      for (let j = 0; j < end; j++) {
        const p = row[j] / sum
        const vj = (b * S + j) * Ev
        for (let e = 0; e < Ev; e++) acc[e] += p * v[vj + e]
      }
      for (let e = 0; e < Ev; e++) out[oi + e] = acc[e]
      lse[b * L + i] = max + Math.log(sum)
    }
  }
}

/**
 * Its vector-Jacobian product (FlashAttention's backward): with p_j = exp(s_j − lse_i),
 * D_i = dOut_i·out_i and ds_j = p_j·(dOut_i·v_j − D_i):
 * dq_i = scale·Σ_j ds_j·k_j, dk_j += scale·ds_j·q_i, dv_j += p_j·dOut_i. Overwrites dq, dk, dv.
 */
export function attentionBackward(
  q: FloatArray, k: FloatArray, v: FloatArray, mask: FloatArray | null, out: FloatArray, lse: FloatArray, dOut: FloatArray,
  dq: FloatArray, dk: FloatArray, dv: FloatArray, s: AttentionShape,
): void {
  const { batch, L, S, E, Ev, scale, causal, maskBatchStride } = s
  dq.fill(0)
  dk.fill(0)
  dv.fill(0)
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < L; i++) {
      const m = lse[b * L + i]
      if (m === -Infinity) continue
      const qi = (b * L + i) * E
      const oi = (b * L + i) * Ev
      let d = 0
      for (let e = 0; e < Ev; e++) d += dOut[oi + e] * out[oi + e]
      const end = causal ? Math.min(S, i + 1) : S
      for (let j = 0; j < end; j++) {
        const kj = (b * S + j) * E
        const vj = (b * S + j) * Ev
        let dot = 0
        for (let e = 0; e < E; e++) dot += q[qi + e] * k[kj + e]
        const p = Math.exp(dot * scale + (mask ? mask[b * maskBatchStride + i * S + j] : 0) - m)
        let dp = 0
        for (let e = 0; e < Ev; e++) {
          dp += dOut[oi + e] * v[vj + e]
          dv[vj + e] += p * dOut[oi + e]
        }
        const ds = p * (dp - d) * scale
        for (let e = 0; e < E; e++) {
          dq[qi + e] += ds * k[kj + e]
          dk[kj + e] += ds * q[qi + e]
        }
      }
    }
  }
}
