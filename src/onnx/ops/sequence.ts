import type { Tensor } from '../../tensor.js'
import { needs, scalar, type MappingTable, type OpContext } from './types.js'

/**
 * Sequence models. Inputs and attributes the ops pass:
 * - EmbeddingBackward0, inputs [weight, indices] (PyTorch's order): none
 * - ScaledDotProductAttentionBackward0, inputs [q, k, v, attnMask?]: `{ isCausal, scale, hasMask }`
 *   (scale null: 1/√E; a bool mask keeps where true, a float mask is added)
 * - PackedSelfAttentionBackward0, inputs [qkv] (q, k, v stacked on dim 0): `{ isCausal, scale }`
 */

function embedding(c: OpContext): string {
  return c.g.op('Gather', c.inputs, { axis: 0 })
}

/**
 * softmax(q·kᵀ·scale + mask)·v. The causal mask is built at run time from q's and k's lengths
 * (Trilu of ones expanded to [L, S]), so it follows a dynamic sequence length.
 */
function attention(c: OpContext): string {
  const [q, k, v, mask] = c.inputs
  return attend(c, q, k, v, mask, c.op.inputs[0], 0)
}

/** The packed form: q, k and v are qkv[0], qkv[1], qkv[2] (Gather on dim 0 drops it). */
function packedAttention(c: OpContext): string {
  const [q, k, v] = [0, 1, 2].map((i) => c.g.op('Gather', [c.inputs[0], c.g.constant(`qkv${i}`, 'int64', [], [i])], { axis: 0 }))
  return attend(c, q, k, v, undefined, c.op.inputs[0], 1)
}

/** `qt` gives q's element type and last dim; q has qt's rank less `drop` (the packed dim). */
function attend(c: OpContext, q: string, k: string, v: string, mask: string | undefined, qt: Tensor, drop: number): string {
  const { isCausal = false, scale = null, hasMask = false } = c.op.attributes as { isCausal?: boolean; scale?: number | null; hasMask?: boolean }
  const rank = qt.ndim - drop
  const perm = [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2]
  const s = scale ?? 1 / Math.sqrt(qt.shape[qt.ndim - 1])
  let scores = c.g.op('Mul', [c.g.op('MatMul', [q, c.g.op('Transpose', [k], { perm })]), scalar(c, 'scale', qt, s)])
  const minusInf = scalar(c, 'minus_inf', qt, -Infinity)
  if (hasMask && mask !== undefined) {
    const m = c.op.inputs[3]
    scores = m.dtype === ('bool' as string) ? c.g.op('Where', [mask, scores, minusInf]) : c.g.op('Add', [scores, mask])
  }
  if (isCausal) {
    const l = c.g.op('Shape', [q], { start: -2, end: -1 })
    const sLen = c.g.op('Shape', [k], { start: -2, end: -1 })
    const ones = c.g.op('Expand', [scalar(c, 'one', qt, 1), c.g.op('Concat', [l, sLen], { axis: 0 })])
    const lower = c.g.op('Cast', [c.g.op('Trilu', [ones], { upper: 0 })], { to: 9 }) // BOOL
    scores = c.g.op('Where', [lower, scores, minusInf])
  }
  return c.g.op('MatMul', [c.g.op('Softmax', [scores], { axis: -1 }), v])
}

export const sequenceOps: MappingTable = {
  EmbeddingBackward0: embedding,
  ScaledDotProductAttentionBackward0: needs(['isCausal', 'scale', 'hasMask'], attention),
  PackedSelfAttentionBackward0: needs(['isCausal', 'scale'], packedAttention),
}
