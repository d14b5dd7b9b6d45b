import { checkDType, isFloat, type FloatDType } from '../dtype.js'
import { embedding, paddingRow } from '../ops/embedding.js'
import { empty, floats } from '../ops/operands.js'
import type { Tensor } from '../tensor.js'
import { normal_ } from './init.js'
import { Module } from './module.js'
import { checkOptionKeys } from './options.js'
import { Parameter } from './parameter.js'

export interface EmbeddingModuleOptions {
  /** This row starts at zero and gets no gradient. Negative counts from the end. */
  paddingIdx?: number | null
  /** float32 (default) or float64. */
  dtype?: FloatDType
}

/**
 * A lookup table of `numEmbeddings` vectors of size `embeddingDim`, like torch.nn.Embedding:
 * int32 indices of any shape → [...shape, embeddingDim]. `weight` is [num, dim], drawn from
 * N(0, 1) (the `paddingIdx` row zeroed), as PyTorch does.
 *
 * @example
 * const wte = new nn.Embedding(65, 128)
 * wte.forward(tensor([[1, 2, 3]], { dtype: 'int32' })).shape   // [1, 3, 128]
 */
export class Embedding extends Module {
  static readonly displayName: string = 'Embedding'

  readonly numEmbeddings: number
  readonly embeddingDim: number
  readonly paddingIdx: number | null
  readonly weight: Parameter

  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingModuleOptions = {}) {
    super()
    checkOptionKeys('Embedding', options, ['paddingIdx', 'dtype'])
    for (const [name, n] of [['numEmbeddings', numEmbeddings], ['embeddingDim', embeddingDim]] as const) {
      if (!Number.isInteger(n) || n < 0) throw new RangeError(`Embedding: ${name} must be a non-negative integer, got ${n}`)
    }
    const dtype = options.dtype ?? 'float32'
    checkDType(dtype, 'Embedding')
    if (!isFloat(dtype)) throw new TypeError(`Embedding: dtype must be float32 or float64, got ${dtype}`)
    const row = paddingRow('Embedding', options.paddingIdx, numEmbeddings)
    this.numEmbeddings = numEmbeddings
    this.embeddingDim = embeddingDim
    this.paddingIdx = row < 0 ? null : row
    this.weight = this.registerParameter('weight', new Parameter(empty(dtype, [numEmbeddings, embeddingDim])))
    this.resetParameters()
  }

  /** N(0, 1), the padding row zeroed (PyTorch's reset_parameters). */
  resetParameters(): void {
    normal_(this.weight)
    if (this.paddingIdx !== null) floats(this.weight).fill(0, this.paddingIdx * this.embeddingDim, (this.paddingIdx + 1) * this.embeddingDim)
  }

  forward(indices: Tensor): Tensor {
    return embedding(indices, this.weight, { paddingIdx: this.paddingIdx })
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx !== null ? `, padding_idx=${this.paddingIdx}` : ''}`
  }
}
