import { checkDType, isFloat, type FloatDType } from '../dtype.js'
import { scaledDotProductAttention } from '../ops/attention.js'
import { narrow } from '../ops/slice.js'
import { linear, matmul } from '../ops/matmul.js'
import { empty, floats } from '../ops/operands.js'
import { softmax } from '../ops/softmax.js'
import { formatShape } from '../shape.js'
import { Tensor } from '../tensor.js'
import { constant_, xavierUniform_ } from './init.js'
import { Linear } from './linear.js'
import { Module, pyBool } from './module.js'
import { checkOptionKeys } from './options.js'
import { Parameter } from './parameter.js'

export interface MultiheadAttentionOptions {
  /** Learn in_proj_bias and out_proj.bias (default true). */
  bias?: boolean
  /** Inputs and output are [N, L, E] (true) or [L, N, E] (false, the default, as PyTorch). */
  batchFirst?: boolean
  dtype?: FloatDType
}

export interface MultiheadAttentionForwardOptions {
  /** [N, S] bool: true marks a key to ignore (padding). */
  keyPaddingMask?: Tensor | null
  /** Also return the attention weights (default true, as PyTorch). */
  needWeights?: boolean
  /** [L, S] or [N·numHeads, L, S]: bool (true = may NOT attend, PyTorch's MHA rule) or float (added). */
  attnMask?: Tensor | null
  /** Average the returned weights over heads (default true) → [N, L, S]; else [N, numHeads, L, S]. */
  averageAttnWeights?: boolean
  isCausal?: boolean
}

/**
 * Multi-head attention, torch.nn.MultiheadAttention: q, k, v projected by the rows of
 * `in_proj_weight` [3E, E] (+ `in_proj_bias`), split into heads, fused scaled dot-product
 * attention per head, heads concatenated and projected by `out_proj`. `forward` returns
 * `[output, weights]` (weights null when `needWeights` is false; they need the explicit
 * [L, S] matrix, so the fused kernel runs only without them).
 */
export class MultiheadAttention extends Module<[Tensor, Tensor, Tensor, MultiheadAttentionForwardOptions?], [Tensor, Tensor | null]> {
  static readonly displayName: string = 'MultiheadAttention'

  readonly embedDim: number
  readonly numHeads: number
  readonly headDim: number
  readonly batchFirst: boolean
  readonly inProjWeight: Parameter
  readonly inProjBias: Parameter | null
  readonly outProj: Linear

  constructor(embedDim: number, numHeads: number, options: MultiheadAttentionOptions = {}) {
    super()
    checkOptionKeys('MultiheadAttention', options, ['bias', 'batchFirst', 'dtype'])
    const { bias = true, batchFirst = false, dtype = 'float32' } = options
    if (!Number.isInteger(embedDim) || embedDim <= 0) throw new RangeError(`MultiheadAttention: embedDim must be a positive integer, got ${embedDim}`)
    if (!Number.isInteger(numHeads) || numHeads <= 0 || embedDim % numHeads !== 0) {
      throw new RangeError(`MultiheadAttention: embedDim (${embedDim}) must be divisible by numHeads (${numHeads}); each head gets embedDim / numHeads features`)
    }
    checkDType(dtype, 'MultiheadAttention')
    if (!isFloat(dtype)) throw new TypeError(`MultiheadAttention: dtype must be float32 or float64, got ${dtype}`)
    this.embedDim = embedDim
    this.numHeads = numHeads
    this.headDim = embedDim / numHeads
    this.batchFirst = batchFirst
    this.inProjWeight = this.registerParameter('in_proj_weight', new Parameter(empty(dtype, [3 * embedDim, embedDim])))
    this.inProjBias = this.registerParameter('in_proj_bias', bias ? new Parameter(empty(dtype, [3 * embedDim])) : null)
    this.outProj = this.registerModule('out_proj', new Linear(embedDim, embedDim, { bias, dtype }))
    this.resetParameters()
  }

  /** PyTorch's _reset_parameters: xavier-uniform in_proj_weight, zero biases. */
  resetParameters(): void {
    xavierUniform_(this.inProjWeight)
    if (this.inProjBias) constant_(this.inProjBias, 0)
    if (this.outProj.bias) constant_(this.outProj.bias, 0)
  }

  forward(query: Tensor, key: Tensor, value: Tensor, options: MultiheadAttentionForwardOptions = {}): [Tensor, Tensor | null] {
    checkOptionKeys('MultiheadAttention.forward', options, ['keyPaddingMask', 'needWeights', 'attnMask', 'averageAttnWeights', 'isCausal'])
    const { keyPaddingMask = null, needWeights = true, attnMask = null, averageAttnWeights = true, isCausal = false } = options
    const E = this.embedDim
    for (const [name, t] of [['query', query], ['key', key], ['value', value]] as const) {
      if (!(t instanceof Tensor)) throw new TypeError(`MultiheadAttention: forward(query, key, value) needs all three tensors (self-attention: forward(x, x, x)); ${name} is ${t === null ? 'null' : typeof t}`)
      if ((t.ndim !== 2 && t.ndim !== 3) || t.shape[t.ndim - 1] !== E || t.ndim !== query.ndim) {
        throw new Error(`MultiheadAttention: ${name} must be [L, N, ${E}] (or [N, L, ${E}] with batchFirst, or unbatched [L, ${E}]) like the query, got ${formatShape(t.shape)}`)
      }
    }
    const batched = query.ndim === 3
    // Everything below is [N, L, E].
    const toNLE = (t: Tensor): Tensor => (!batched ? t.unsqueeze(0) : this.batchFirst ? t : t.transpose(0, 1))
    const [q0, k0, v0] = [toNLE(query), toNLE(key), toNLE(value)]
    const [N, L] = q0.shape
    const S = k0.shape[1]
    if (k0.shape[0] !== N || v0.shape[0] !== N || v0.shape[1] !== S) {
      throw new Error(`MultiheadAttention: query ${formatShape(query.shape)}, key ${formatShape(key.shape)} and value ${formatShape(value.shape)} disagree on batch size or key length`)
    }
    const h = this.numHeads
    const project = (x: Tensor, part: number, len: number): Tensor => {
      const w = narrow(this.inProjWeight, 0, part * E, E)
      const b = this.inProjBias ? narrow(this.inProjBias, 0, part * E, E) : null
      return linear(x, w, b).reshape([N, len, h, this.headDim]).transpose(1, 2)
    }
    const q = project(q0, 0, L)
    const k = project(k0, 1, S)
    const v = project(v0, 2, S)
    const mask = this.additiveMask(attnMask, keyPaddingMask, isCausal, needWeights, q, N, L, S)
    let heads: Tensor
    let weights: Tensor | null = null
    if (needWeights) {
      let scores = matmul(q, k.transpose(-2, -1)).mul(1 / Math.sqrt(this.headDim))
      if (mask) scores = scores.add(mask)
      const w = softmax(scores, -1)
      heads = matmul(w, v)
      weights = averageAttnWeights ? w.mean(1) : w
      if (!batched) weights = weights.squeeze(0)
    } else {
      heads = scaledDotProductAttention(q, k, v, { attnMask: mask, isCausal: isCausal && !mask })
    }
    let out = this.outProj.forward(heads.transpose(1, 2).reshape([N, L, E]))
    out = !batched ? out.squeeze(0) : this.batchFirst ? out : out.transpose(0, 1)
    return [out, weights]
  }

  /** attnMask, keyPaddingMask and (with needWeights or another mask) the causal mask, summed as one float mask [N, h, L, S] or [L, S]. */
  private additiveMask(attnMask: Tensor | null, keyPadding: Tensor | null, isCausal: boolean, explicit: boolean, q: Tensor, N: number, L: number, S: number): Tensor | null {
    const parts: Tensor[] = []
    const asFloat = (m: Tensor): Tensor => {
      const out = empty(q.dtype === 'float64' ? 'float64' : 'float32', m.shape)
      const src = m.data as ArrayLike<number>
      const bool = m.dtype === 'bool'
      const o = floats(out)
      for (let i = 0; i < o.length; i++) o[i] = bool ? (src[i] ? -Infinity : 0) : src[i]
      return out
    }
    if (attnMask) {
      const ok2 = attnMask.ndim === 2 && attnMask.shape[0] === L && attnMask.shape[1] === S
      const ok3 = attnMask.ndim === 3 && attnMask.shape[0] === N * this.numHeads && attnMask.shape[1] === L && attnMask.shape[2] === S
      if (!ok2 && !ok3) throw new Error(`MultiheadAttention: attnMask must be [${L}, ${S}] or [${N * this.numHeads}, ${L}, ${S}], got ${formatShape(attnMask.shape)}`)
      parts.push(ok2 ? asFloat(attnMask) : asFloat(attnMask).reshape([N, this.numHeads, L, S]))
    }
    if (keyPadding) {
      if (keyPadding.numel() !== N * S) throw new Error(`MultiheadAttention: keyPaddingMask must be [${N}, ${S}], got ${formatShape(keyPadding.shape)}`)
      parts.push(asFloat(keyPadding).reshape([N, 1, 1, S]))
    }
    if (isCausal && (parts.length > 0 || explicit)) {
      const c = empty(q.dtype === 'float64' ? 'float64' : 'float32', [L, S])
      const d = floats(c)
      for (let i = 0; i < L; i++) for (let j = i + 1; j < S; j++) d[i * S + j] = -Infinity
      parts.push(c)
    }
    return parts.length === 0 ? null : parts.reduce((a, b) => a.add(b))
  }

  override extraRepr(): string {
    return `embed_dim=${this.embedDim}, num_heads=${this.numHeads}, bias=${pyBool(this.inProjBias !== null)}, batch_first=${pyBool(this.batchFirst)}`
  }
}
