import { record } from '../autograd/engine.js'
import { backend } from '../backend/index.js'
import type { AttentionShape } from '../backend/types.js'
import { checkOptionKeys } from '../options.js'
import { dimsBetween, formatShape } from '../shape.js'
import { Tensor } from '../tensor.js'
import { empty, floatDType, floats } from './operands.js'

const OP = 'packedSelfAttention'

/**
 * scaledDotProductAttention(qkv[0], qkv[1], qkv[2], { isCausal, scale }) on q, k and v stacked
 * on dim 0 of one contiguous tensor [3, ..., T, E] (a packed projection after its permute, as
 * in the GPT), → [..., T, E]. The same fused kernels, on the three blocks in place: splitting
 * first would cost three copies forward and, backward, three full-size zero gradients summed;
 * here backward writes dq, dk and dv into the one gradient.
 */
export function packedSelfAttention(qkv: Tensor, options: { isCausal?: boolean; scale?: number | null } = {}): Tensor {
  if (!(qkv instanceof Tensor) || (qkv.dtype !== 'float32' && qkv.dtype !== 'float64')) {
    throw new TypeError(`${OP}: qkv must be a float32 or float64 Tensor`)
  }
  if (qkv.ndim < 3 || qkv.shape[0] !== 3) {
    throw new Error(`${OP}: qkv must be [3, ..., length, features] (q, k, v stacked on dim 0), got ${formatShape(qkv.shape)}`)
  }
  checkOptionKeys(OP, options, ['isCausal', 'scale'])
  const isCausal = options.isCausal ?? false
  const T = qkv.shape[qkv.ndim - 2]
  const E = qkv.shape[qkv.ndim - 1]
  const scale = options.scale ?? 1 / Math.sqrt(E)
  const n = qkv.numel() / 3
  const shape: AttentionShape = { batch: n / (T * E), L: T, S: T, E, Ev: E, scale, causal: isCausal, maskBatchStride: 0 }
  const dtype = floatDType(qkv)
  // The three blocks as views, taken afresh at each call (wasm-resident data moves when memory grows).
  const blocks = (t: Tensor) => {
    const x = floats(t)
    return [x.subarray(0, n), x.subarray(n, 2 * n), x.subarray(2 * n)]
  }
  const out = empty(dtype, dimsBetween(qkv.shape, 1))
  const lse = empty(dtype, [shape.batch, T])
  const [q, k, v] = blocks(qkv)
  backend().attention(q, k, v, null, floats(out), floats(lse), shape)
  return record(out, 'PackedSelfAttentionBackward0', [qkv], (g) => {
    const d = empty(dtype, qkv.shape)
    const [q, k, v] = blocks(qkv)
    const [dq, dk, dv] = blocks(d)
    backend().attentionBackward(q, k, v, null, floats(out), floats(lse), floats(g), dq, dk, dv, shape)
    return [d]
  }, { isCausal, scale }, [qkv, out])
}
