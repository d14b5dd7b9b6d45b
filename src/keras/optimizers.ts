import { Adam } from '../optim/adam.js'
import { Optimizer } from '../optim/optimizer.js'
import { SGD } from '../optim/sgd.js'
import type { Tensor } from '../tensor.js'
import { checkOptionKeys } from '../options.js'

/** What a model trains with: yann's optimizers (src/optim) behind Keras's names and defaults. */
export interface Trainer {
  zeroGrad(): void
  step(): void
}

/**
 * A Keras-style optimizer: its hyperparameters, not yet tied to any weights. `compile` binds it
 * to the model's trainable weights (TensorFlow.js: `tf.train.sgd(0.01)`; here
 * `keras.optimizers.sgd({ learningRate: 0.01 })`).
 */
export interface KerasOptimizer {
  readonly className: 'SGD' | 'Adam'
  getConfig(): Record<string, number | boolean>
  /** @internal The yann optimizer updating `params`. */
  bind(params: Tensor[]): Trainer
}

export interface SGDArgs {
  /** Default 0.01 (Keras's default; PyTorch's is 0.001). */
  learningRate?: number
  /** Default 0. */
  momentum?: number
  /** Default false. */
  nesterov?: boolean
}

/**
 * Keras's SGD. Its momentum rule (v = μ·v − lr·g; p += v) moves the weights exactly as PyTorch's
 * (b = μ·b + g; p −= lr·b) for a constant learning rate, so this is `optim.SGD` underneath.
 */
export function sgd(args: SGDArgs = {}): KerasOptimizer {
  checkOptionKeys('sgd', args, ['learningRate', 'momentum', 'nesterov'])
  const { learningRate = 0.01, momentum = 0, nesterov = false } = args
  return {
    className: 'SGD',
    getConfig: () => ({ learningRate, momentum, nesterov }),
    bind: (params) => new SGD(params, { lr: learningRate, momentum, nesterov }),
  }
}

export interface AdamArgs {
  /** Default 0.001. */
  learningRate?: number
  /** Default 0.9. */
  beta1?: number
  /** Default 0.999. */
  beta2?: number
  /** Default 1e-7 (Keras's; PyTorch's default is 1e-8). */
  epsilon?: number
}

/**
 * Keras's Adam: p −= lr·√(1 − β2ᵗ)/(1 − β1ᵗ) · m / (√v + ε). PyTorch's adds ε to the
 * bias-corrected √v instead; the two agree when PyTorch's eps is ε/√(1 − β2ᵗ), so this is
 * `optim.Adam` with that eps set before each step.
 */
export function adam(args: AdamArgs = {}): KerasOptimizer {
  checkOptionKeys('adam', args, ['learningRate', 'beta1', 'beta2', 'epsilon'])
  const { learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7 } = args
  return {
    className: 'Adam',
    getConfig: () => ({ learningRate, beta1, beta2, epsilon }),
    bind(params) {
      const inner = new Adam(params, { lr: learningRate, betas: [beta1, beta2], eps: epsilon })
      let t = 0
      return {
        zeroGrad: () => inner.zeroGrad(),
        step() {
          t += 1
          for (const group of inner.paramGroups) group.eps = epsilon / Math.sqrt(1 - beta2 ** t)
          inner.step()
        },
      }
    },
  }
}

const byName: Record<string, () => KerasOptimizer> = { sgd, adam }

/** What compile accepts: a name, a Keras-style optimizer, or a yann optimizer already holding the model's weights. */
export type OptimizerIdentifier = 'sgd' | 'adam' | 'SGD' | 'Adam' | KerasOptimizer | Optimizer<object>

/** Resolve compile's optimizer argument. Names are case-insensitive ('SGD', as the seed writes it). */
export function getOptimizer(id: OptimizerIdentifier | string): KerasOptimizer | Optimizer<object> {
  if (id instanceof Optimizer) return id
  if (typeof id === 'object' && id !== null && typeof (id as KerasOptimizer).bind === 'function') return id as KerasOptimizer
  if (typeof id === 'string' && Object.hasOwn(byName, id.toLowerCase())) return byName[id.toLowerCase()]()
  throw new Error(
    `compile: unknown optimizer ${typeof id === 'string' ? `'${id}'` : String(id)}; use one of ${Object.keys(byName).map((n) => `'${n}'`).join(', ')}, ` +
      'keras.optimizers.sgd({ learningRate }) / adam({ ... }), or a yann optimizer such as new optim.SGD(model.weights.map((w) => w.read()), { lr })',
  )
}
