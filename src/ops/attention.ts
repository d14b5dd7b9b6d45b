import { record } from '../autograd/engine.js'
import { backend } from '../backend/index.js'
import type { AttentionShape } from '../backend/types.js'
import { constantArray } from '../compile/hooks.js'
import { checkOptionKeys } from '../nn/options.js'
import { broadcastStrides, formatShape, leadingDims, sameShape } from '../shape.js'
import { Tensor } from '../tensor.js'
import { dropMask } from './dropout.js'
import { matmul } from './matmul.js'
import { empty, floatDType, floats } from './operands.js'
import { softmax } from './softmax.js'

export interface ScaledDotProductAttentionOptions {
  /** Boolean (true = attend) or float (added to the scores), broadcastable to [..., L, S]. */
  attnMask?: Tensor | null
  /** Query i attends to keys 0..i only (PyTorch's top-left causal mask). */
  isCausal?: boolean
  /** Multiplies q·kᵀ; default 1/√E. */
  scale?: number | null
  /** Dropout on the attention weights (composed from matmul and softmax when > 0). */
  dropoutP?: number
}

const OPTIONS = ['attnMask', 'isCausal', 'scale', 'dropoutP'] as const
const OP = 'scaledDotProductAttention'

/**
 * softmax(q·kᵀ·scale + mask)·v, PyTorch's F.scaled_dot_product_attention, on
 * q [..., L, E], k [..., S, E], v [..., S, Ev] → [..., L, Ev] (batch dims equal).
 * One fused kernel, forward and backward: the [L, S] scores are never stored.
 */
export function scaledDotProductAttention(q: Tensor, k: Tensor, v: Tensor, options: ScaledDotProductAttentionOptions = {}): Tensor {
  checkOptionKeys(OP, options, OPTIONS)
  const { attnMask = null, isCausal = false, dropoutP = 0 } = options
  const [L, S, E, Ev] = checkShapes(q, k, v)
  const scale = options.scale ?? 1 / Math.sqrt(E)
  if (isCausal && attnMask) throw new Error(`${OP}: pass either attnMask or isCausal, not both (as PyTorch); fold the causal mask into attnMask`)
  if (!(dropoutP >= 0 && dropoutP < 1)) throw new RangeError(`${OP}: dropoutP must be in [0, 1), got ${dropoutP}`)
  const batchShape = leadingDims(q.shape, 2)
  const batch = q.numel() / (L * E)
  const [mask, maskBatchStride] = attnMask ? additiveMask(attnMask, q, batchShape, L, S) : [null, 0]
  if (dropoutP > 0) return composed(q, k, v, mask, isCausal, scale, dropoutP, L, S)
  const shape: AttentionShape = { batch, L, S, E, Ev, scale, causal: isCausal, maskBatchStride }
  const dtype = floatDType(q)
  const out = empty(dtype, [...batchShape, L, Ev])
  const lse = empty(dtype, [batch, L])
  const m = mask ? floats(mask) : null
  backend().attention(floats(q), floats(k), floats(v), m, floats(out), floats(lse), shape)
  const inputs = attnMask ? [q, k, v, attnMask] : [q, k, v]
  return record(out, 'ScaledDotProductAttentionBackward0', inputs, (g) => {
    const dq = empty(dtype, q.shape)
    const dk = empty(dtype, k.shape)
    const dv = empty(dtype, v.shape)
    backend().attentionBackward(floats(q), floats(k), floats(v), m, floats(out), floats(lse), floats(g), floats(dq), floats(dk), floats(dv), shape)
    return [dq, dk, dv]
  }, { isCausal, scale, hasMask: attnMask !== null }, [...inputs, out])
}

function checkShapes(q: Tensor, k: Tensor, v: Tensor): [number, number, number, number] {
  for (const [name, t] of [['query', q], ['key', k], ['value', v]] as const) {
    if (!(t instanceof Tensor)) throw new TypeError(`${OP}: ${name} must be a Tensor`)
    if (t.dtype !== 'float32' && t.dtype !== 'float64') throw new TypeError(`${OP}: ${name} must be float32 or float64, got ${t.dtype}; convert it with .float()`)
    if (t.ndim < 2) throw new Error(`${OP}: ${name} needs at least 2 dims [..., length, features], got ${formatShape(t.shape)}`)
  }
  const shapes = `query ${formatShape(q.shape)}, key ${formatShape(k.shape)}, value ${formatShape(v.shape)}`
  if (q.dtype !== k.dtype || q.dtype !== v.dtype) throw new TypeError(`${OP}: query, key and value must share one dtype, got ${q.dtype}, ${k.dtype}, ${v.dtype}`)
  const batch = leadingDims(q.shape, 2)
  if (!sameShape(batch, leadingDims(k.shape, 2)) || !sameShape(batch, leadingDims(v.shape, 2))) {
    throw new Error(`${OP}: query, key and value must have the same batch dims, got ${shapes}; expand them first`)
  }
  const [L, E] = lastTwo(q)
  const [S, Ek] = lastTwo(k)
  const [Sv, Ev] = lastTwo(v)
  if (Ek !== E) throw new Error(`${OP}: key's last dim (${Ek}) must equal query's (${E}), got ${shapes}`)
  if (Sv !== S) throw new Error(`${OP}: value's length (${Sv}) must equal key's (${S}), got ${shapes}`)
  return [L, S, E, Ev]
}

/** The last two dims of a tensor of 2 or more dims: [length, features]. */
function lastTwo(t: Tensor): [number, number] {
  return [t.shape[t.ndim - 2], t.shape[t.ndim - 1]]
}

/**
 * The mask as additive floats in q's dtype, [L, S] (batch stride 0) when it has no batch
 * dims of its own, else broadcast to [batch, L, S]: a float mask broadcast by stridedCopy, a
 * bool one made 0 / −∞ by additiveMask (kernels both, so compile() replays them).
 */
function additiveMask(mask: Tensor, q: Tensor, batchShape: readonly number[], L: number, S: number): [Tensor, number] {
  if (!(mask instanceof Tensor)) throw new TypeError(`${OP}: attnMask must be a Tensor (bool: true = attend, or float: added)`)
  const target = [...batchShape, L, S]
  const ms = mask.shape
  const fits = ms.length <= target.length && ms.every((d, i) => d === 1 || d === target[target.length - ms.length + i])
  if (!fits) {
    throw new Error(`${OP}: attnMask of shape ${formatShape(ms)} does not broadcast to [..., L, S] = ${formatShape(target)}; give it shape [${L}, ${S}] or one that broadcasts`)
  }
  if (mask.dtype === 'int32') throw new TypeError(`${OP}: attnMask must be bool (true = attend) or float (added), got int32`)
  const own = ms.length > 2 && ms.slice(0, -2).some((d) => d !== 1)
  const outShape = own ? target : [L, S]
  const dtype = floatDType(q)
  const out = empty(dtype, outShape)
  // Without batch dims of its own, the mask's leading dims are 1s: [L, S] reads it the same.
  const strides = broadcastStrides(own ? ms : ms.slice(-2), outShape)
  if (mask.dtype === 'bool') backend().additiveMask(mask.data as Uint8Array, floats(out), outShape, strides)
  else backend().stridedCopy(floats(mask.dtype === dtype ? mask : mask.to(dtype)), floats(out), outShape, strides, 0)
  return [out, own ? L * S : 0]
}

/**
 * With dropout: the unfused composition (the dropped weights must be kept for backward anyway).
 * The causal mask depends on the shapes alone (constant for compile()); the dropout mask is
 * dropout's (a kernel call), so a compiled step draws a new one at every replay, as eager does.
 */
function composed(
  q: Tensor, k: Tensor, v: Tensor, mask: Tensor | null, causal: boolean, scale: number, p: number, L: number, S: number,
): Tensor {
  let scores = matmul(q, k.transpose(-2, -1)).mul(scale)
  let add = mask
  if (causal) {
    add = empty(floatDType(q), [L, S])
    const a = constantArray(floats(add))
    for (let i = 0; i < L; i++) for (let j = i + 1; j < S; j++) a[i * S + j] = -Infinity
  }
  if (add) scores = scores.add(add)
  const weights = softmax(scores, -1)
  return matmul(weights.mul(dropMask(weights, p, 1)), v)
}
