import { tsBackend as ts } from '../ts/index.js'
import type { AttentionShape, Backend } from '../types.js'
import { IN, invoke, OUT, type CallInfo } from './invoke.js'

/**
 * The fused attention kernels of assembly/attention.ts. Always wasm, at every size: one
 * call covers every head of a batch, so the fixed cost of crossing (~1 µs) never dominates.
 */

const sizes = (s: AttentionShape): number[] => [s.batch, s.L, s.S, s.E, s.Ev, s.scale, s.causal ? 1 : 0, s.maskBatchStride]
/** The kernels allocate their scratch rows of scores: the memory may grow. */
const allocating = (s: AttentionShape): CallInfo => ({
  allocates: true,
  shapes: () => `q [${s.batch}, ${s.L}, ${s.E}], k [${s.batch}, ${s.S}, ${s.E}], v [${s.batch}, ${s.S}, ${s.Ev}]`,
})

export const wasmAttention: Pick<Backend, 'attention' | 'attentionBackward'> = {
  attention(q, k, v, mask, out, lse, s): void {
    const call = (f: (...a: number[]) => void, p: Float64Array) => f(p[0], p[1], p[2], p[3], p[4], p[5], ...sizes(s))
    const ran = invoke('attention', q, [q, IN, k, IN, v, IN, mask, IN, out, OUT, lse, OUT], call, allocating(s))
    if (!ran) ts.attention(q, k, v, mask, out, lse, s)
  },

  attentionBackward(q, k, v, mask, out, lse, dOut, dq, dk, dv, s): void {
    const call = (f: (...a: number[]) => void, p: Float64Array) => f(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], ...sizes(s))
    const arrays = [q, IN, k, IN, v, IN, mask, IN, out, IN, lse, IN, dOut, IN, dq, OUT, dk, OUT, dv, OUT]
    if (!invoke('attentionBackward', q, arrays, call, allocating(s))) ts.attentionBackward(q, k, v, mask, out, lse, dOut, dq, dk, dv, s)
  },
}
