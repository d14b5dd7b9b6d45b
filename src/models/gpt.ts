import { noGrad } from '../autograd/grad-mode.js'
import type { FloatDType } from '../dtype.js'
import { Embedding } from '../nn/embedding.js'
import { constant_, normal_ } from '../nn/init.js'
import { Linear } from '../nn/linear.js'
import { Module } from '../nn/module.js'
import { LayerNorm } from '../nn/normalization.js'
import { checkOptionKeys } from '../nn/options.js'
import { Sequential } from '../nn/sequential.js'
import { packedSelfAttention } from '../ops/packed-attention.js'
import { permute } from '../ops/shape.js'
import { softmax } from '../ops/softmax.js'
import { Generator } from '../random.js'
import { formatShape } from '../shape.js'
import { Tensor } from '../tensor.js'
import { gelu } from '../ops/activations.js'

/**
 * A GPT in nanoGPT's layout (Karpathy's model.py), so its state dict loads nanoGPT-named
 * checkpoints: wte, wpe, h.<i>.{ln_1, attn.c_attn, attn.c_proj, ln_2, mlp.c_fc, mlp.c_proj},
 * ln_f, lm_head (no bias, not tied to wte). Pre-norm blocks:
 *   x = x + c_proj(causal attention(ln_1(x))),  x = x + c_proj(gelu(c_fc(ln_2(x)))).
 */
export interface GPTConfig {
  vocabSize: number
  /** The longest context (positions 0..blockSize−1). */
  blockSize: number
  nEmbd: number
  nHead: number
  nLayer: number
  geluApproximate?: 'none' | 'tanh'
  layerNormEps?: number
  dtype?: FloatDType
}

const CONFIG_KEYS = ['vocabSize', 'blockSize', 'nEmbd', 'nHead', 'nLayer', 'geluApproximate', 'layerNormEps', 'dtype'] as const

class CausalSelfAttention extends Module {
  readonly c_attn: Linear
  readonly c_proj: Linear
  constructor(private readonly c: Required<GPTConfig>) {
    super()
    this.c_attn = this.registerModule('c_attn', new Linear(c.nEmbd, 3 * c.nEmbd, { dtype: c.dtype }))
    this.c_proj = this.registerModule('c_proj', new Linear(c.nEmbd, c.nEmbd, { dtype: c.dtype }))
  }
  forward(x: Tensor): Tensor {
    const [B, T, C] = x.shape
    const h = this.c.nHead
    // [B, T, 3C] → [3, B, h, T, C/h]: q, k and v are then contiguous blocks, attended in place.
    const qkv = permute(this.c_attn.forward(x).reshape([B, T, 3, h, C / h]), [2, 0, 3, 1, 4])
    const y = packedSelfAttention(qkv, { isCausal: true })
    return this.c_proj.forward(y.transpose(1, 2).reshape([B, T, C]))
  }
}

class MLP extends Module {
  readonly c_fc: Linear
  readonly c_proj: Linear
  constructor(private readonly c: Required<GPTConfig>) {
    super()
    this.c_fc = this.registerModule('c_fc', new Linear(c.nEmbd, 4 * c.nEmbd, { dtype: c.dtype }))
    this.c_proj = this.registerModule('c_proj', new Linear(4 * c.nEmbd, c.nEmbd, { dtype: c.dtype }))
  }
  forward(x: Tensor): Tensor {
    return this.c_proj.forward(gelu(this.c_fc.forward(x), { approximate: this.c.geluApproximate }))
  }
}

class Block extends Module {
  readonly ln_1: LayerNorm
  readonly attn: CausalSelfAttention
  readonly ln_2: LayerNorm
  readonly mlp: MLP
  constructor(c: Required<GPTConfig>) {
    super()
    this.ln_1 = this.registerModule('ln_1', new LayerNorm(c.nEmbd, { eps: c.layerNormEps, dtype: c.dtype }))
    this.attn = this.registerModule('attn', new CausalSelfAttention(c))
    this.ln_2 = this.registerModule('ln_2', new LayerNorm(c.nEmbd, { eps: c.layerNormEps, dtype: c.dtype }))
    this.mlp = this.registerModule('mlp', new MLP(c))
  }
  forward(x: Tensor): Tensor {
    const y = x.add(this.attn.forward(this.ln_1.forward(x)))
    return y.add(this.mlp.forward(this.ln_2.forward(y)))
  }
}

export interface GenerateOptions {
  /** Divides the logits (default 1); lower is more conservative. */
  temperature?: number
  /** Sample among the k most likely tokens only (default: all). */
  topK?: number | null
  /** Seed of the sampling generator (default 0): the same seed gives the same text. */
  seed?: number
}

/** nanoGPT's GPT: int32 token ids [B, T] → logits [B, T, vocabSize]. */
export class GPT extends Module {
  static readonly displayName: string = 'GPT'
  readonly config: Required<GPTConfig>
  readonly wte: Embedding
  readonly wpe: Embedding
  readonly h: Sequential
  readonly ln_f: LayerNorm
  readonly lm_head: Linear

  constructor(config: GPTConfig) {
    super()
    checkOptionKeys('GPT', config, CONFIG_KEYS)
    const c: Required<GPTConfig> = { geluApproximate: 'none', layerNormEps: 1e-5, dtype: 'float32', ...config }
    for (const key of ['vocabSize', 'blockSize', 'nEmbd', 'nHead', 'nLayer'] as const) {
      if (!Number.isInteger(c[key]) || c[key] <= 0) throw new RangeError(`GPT: ${key} must be a positive integer, got ${c[key]}`)
    }
    if (c.nEmbd % c.nHead !== 0) throw new RangeError(`GPT: nEmbd (${c.nEmbd}) must be divisible by nHead (${c.nHead})`)
    this.config = c
    this.wte = this.registerModule('wte', new Embedding(c.vocabSize, c.nEmbd, { dtype: c.dtype }))
    this.wpe = this.registerModule('wpe', new Embedding(c.blockSize, c.nEmbd, { dtype: c.dtype }))
    this.h = this.registerModule('h', new Sequential(...Array.from({ length: c.nLayer }, () => new Block(c))))
    this.ln_f = this.registerModule('ln_f', new LayerNorm(c.nEmbd, { eps: c.layerNormEps, dtype: c.dtype }))
    this.lm_head = this.registerModule('lm_head', new Linear(c.nEmbd, c.vocabSize, { bias: false, dtype: c.dtype }))
    this.initWeights()
  }

  /** nanoGPT's init: N(0, 0.02) weights and embeddings, zero biases, residual projections N(0, 0.02/√(2·nLayer)). */
  initWeights(): void {
    for (const [name, p] of this.namedParameters()) {
      if (name.includes('ln_')) continue
      if (name.endsWith('.bias')) constant_(p, 0)
      else normal_(p, 0, name.endsWith('c_proj.weight') ? 0.02 / Math.sqrt(2 * this.config.nLayer) : 0.02)
    }
  }

  forward(idx: Tensor): Tensor {
    if (!(idx instanceof Tensor) || idx.dtype !== 'int32' || idx.ndim !== 2) {
      throw new TypeError(`GPT: expected int32 token ids [batch, time], got ${idx instanceof Tensor ? `${idx.dtype} ${formatShape(idx.shape)}` : typeof idx}`)
    }
    const T = idx.shape[1]
    if (T > this.config.blockSize) throw new RangeError(`GPT: a sequence of ${T} tokens is longer than blockSize ${this.config.blockSize}; crop the context`)
    // Positions 0..T-1 are the first T rows of wpe (nanoGPT's wpe(arange(T))); a slice needs no
    // index tensor made in JavaScript, so compile() can replay the step.
    const x = this.h.forward(this.wte.forward(idx).add(this.wpe.weight.narrow(0, 0, T)))
    return this.lm_head.forward(this.ln_f.forward(x))
  }

  /**
   * Extends `context` (token ids) by `maxNewTokens` sampled tokens, nanoGPT's generate:
   * the last blockSize tokens in, the last position's logits / temperature, optionally
   * only the topK largest, softmax, one seeded draw. Returns context and new tokens.
   */
  generate(context: readonly number[], maxNewTokens: number, options: GenerateOptions = {}): number[] {
    checkOptionKeys('GPT.generate', options, ['temperature', 'topK', 'seed'])
    const { temperature = 1, topK = null, seed = 0 } = options
    if (!(temperature > 0)) throw new RangeError(`GPT.generate: temperature must be > 0, got ${temperature}`)
    const rng = new Generator(seed)
    const tokens = [...context]
    const wasTraining = this.training
    this.eval()
    noGrad(() => {
      for (let n = 0; n < maxNewTokens; n++) {
        const window = tokens.slice(-this.config.blockSize)
        const logits = this.forward(new Tensor(Int32Array.from(window), [1, window.length]))
        const V = this.config.vocabSize
        const last = Array.from(logits.data.subarray((window.length - 1) * V), (l) => l / temperature)
        if (topK !== null && topK < V) {
          const kth = [...last].sort((a, b) => b - a)[topK - 1]
          for (let i = 0; i < V; i++) if (last[i] < kth) last[i] = -Infinity
        }
        const probs = softmax(new Tensor(Float64Array.from(last), [V]), -1).data
        let u = rng.random()
        let next = V - 1
        for (let i = 0; i < V; i++) {
          u -= probs[i]
          if (u < 0) {
            next = i
            break
          }
        }
        tokens.push(next)
      }
    })
    this.train(wasTraining)
    return tokens
  }
}
