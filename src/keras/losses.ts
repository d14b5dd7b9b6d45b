import { binaryCrossEntropyWithLogits } from '../ops/loss.js'
import { broadcastShapes, formatShape, sameShape } from '../shape.js'
import { Tensor } from '../tensor.js'
import type { ActivationIdentifier } from './activations.js'

/**
 * Keras losses: `fn(yTrue, yPred)` (Keras's argument order: the target first) returns one loss per
 * sample, averaged over the last axis; the model then averages over the batch. They differ from
 * yann's PyTorch losses (`F.binaryCrossEntropy`) in their formulas, not only in argument order:
 * see binaryCrossentropy.
 *
 * Unlike TensorFlow, a target shaped unlike the prediction is an error naming both shapes:
 * TensorFlow broadcasts them, and that silent broadcast is the bug in the seed's §5.1 program.
 */
export type LossFn = (yTrue: Tensor, yPred: Tensor) => Tensor

/** Keras's backend epsilon, `tf.keras.backend.epsilon()`. */
export const EPSILON = 1e-7

export type LossName = 'binaryCrossentropy' | 'categoricalCrossentropy' | 'sparseCategoricalCrossentropy' | 'meanSquaredError'

/** A resolved loss: its function, and the same loss computed from logits where Keras has one. */
export interface Loss {
  readonly name: string
  readonly fn: LossFn
  /**
   * When the model's last layer ends in `activation`, Keras's `fit` computes the loss from that
   * layer's pre-activation values (logits) with `fn`: stable, and what produced the seed's §5.2
   * numbers (TensorFlow 2.0/2.1 graph mode looked through the Sigmoid op; later versions read
   * the logits the sigmoid activation keeps). Equal to the probability formula up to ε terms.
   */
  readonly fromLogits?: { activation: ActivationIdentifier; fn: LossFn }
}

function checkTensors(op: string, yTrue: Tensor, yPred: Tensor): void {
  if (!(yTrue instanceof Tensor) || !(yPred instanceof Tensor)) {
    throw new TypeError(`${op}: yTrue and yPred must be tensors, got ${describe(yTrue)} and ${describe(yPred)}`)
  }
}

function describe(x: unknown): string {
  return x instanceof Tensor ? `a tensor of shape ${formatShape(x.shape)}` : x === null ? 'null' : typeof x
}

/** Same shapes, or an error naming both (and what TensorFlow would have done instead). */
export function checkSameShape(op: string, yTrue: Tensor, yPred: Tensor): void {
  checkTensors(op, yTrue, yPred)
  if (sameShape(yTrue.shape, yPred.shape)) return
  let broadcast = ''
  try {
    broadcast = ` (TensorFlow would silently broadcast them to ${formatShape(broadcastShapes(op, yTrue.shape, yPred.shape))} and average every label against every prediction)`
  } catch {
    // Not even broadcastable: nothing to add.
  }
  throw new Error(
    `${op}: yTrue has shape ${formatShape(yTrue.shape)} but yPred has shape ${formatShape(yPred.shape)}; ` +
      `Keras losses in yann need equal shapes${broadcast}. Reshape yTrue to ${formatShape(yPred.shape)}.`,
  )
}

/** The target in the prediction's float dtype (Keras casts y_true to y_pred's dtype). */
function castLike(yTrue: Tensor, yPred: Tensor): Tensor {
  return yTrue.dtype === yPred.dtype ? yTrue : yTrue.to(yPred.dtype === 'float64' ? 'float64' : 'float32')
}

/**
 * Keras's binary cross-entropy on probabilities (TensorFlow ≥ 2.2, and 2.0/2.1 when running
 * eagerly):
 *
 *   p = clip(yPred, ε, 1 − ε);  loss = −mean_lastaxis(t·log(p + ε) + (1 − t)·log(1 − p + ε)),  ε = 1e-7
 *
 * PyTorch's clamps each log at −100 instead and adds no ε, so the two differ by about ε/p.
 */
export function binaryCrossentropy(yTrue: Tensor, yPred: Tensor): Tensor {
  checkSameShape('binaryCrossentropy', yTrue, yPred)
  const t = castLike(yTrue, yPred)
  const p = yPred.clamp(EPSILON, 1 - EPSILON)
  const positive = t.mul(p.add(EPSILON).log())
  const negative = t.neg().add(1).mul(p.neg().add(1).add(EPSILON).log())
  return positive.add(negative).neg().mean(-1)
}

/**
 * Binary cross-entropy from logits z (TensorFlow's sigmoid_cross_entropy_with_logits,
 * max(z, 0) − z·t + log(1 + e^−|z|)), averaged over the last axis. No clipping, no ε.
 */
export function binaryCrossentropyFromLogits(yTrue: Tensor, logits: Tensor): Tensor {
  checkSameShape('binaryCrossentropy', yTrue, logits)
  return binaryCrossEntropyWithLogits(logits, castLike(yTrue, logits).detach(), { reduction: 'none' }).mean(-1)
}

/**
 * Keras's categorical cross-entropy on probabilities: each row is rescaled to sum to 1, clipped to
 * [ε, 1 − ε], then −Σ t·log p over the last axis. yTrue holds one-hot (or soft) rows.
 */
export function categoricalCrossentropy(yTrue: Tensor, yPred: Tensor): Tensor {
  checkSameShape('categoricalCrossentropy', yTrue, yPred)
  const p = yPred.div(yPred.sum(-1, true)).clamp(EPSILON, 1 - EPSILON)
  return castLike(yTrue, yPred).mul(p.log()).sum(-1).neg()
}

/** Categorical cross-entropy from logits: −Σ t·logSoftmax(z) over the last axis. */
export function categoricalCrossentropyFromLogits(yTrue: Tensor, logits: Tensor): Tensor {
  checkSameShape('categoricalCrossentropy', yTrue, logits)
  return castLike(yTrue, logits).mul(logits.logSoftmax(-1)).sum(-1).neg()
}

/**
 * One-hot rows for integer class labels of shape `yPred.shape[:-1]` (or with a trailing 1),
 * in yPred's dtype. Float labels must hold whole numbers.
 */
function oneHotLabels(op: string, yTrue: Tensor, yPred: Tensor): Tensor {
  checkTensors(op, yTrue, yPred)
  const batchShape = yPred.shape.slice(0, -1)
  const classes = yPred.shape[yPred.ndim - 1]
  if (yPred.ndim < 1 || !(sameShape(yTrue.shape, batchShape) || sameShape(yTrue.shape, [...batchShape, 1]))) {
    throw new Error(
      `${op}: yTrue has shape ${formatShape(yTrue.shape)} but yPred has shape ${formatShape(yPred.shape)}; ` +
        `give one integer class label per sample, shape ${formatShape(batchShape)} (or ${formatShape([...batchShape, 1])})`,
    )
  }
  const labels = yTrue.data
  const out = new Tensor(yPred.dtype === 'float64' ? new Float64Array(labels.length * classes) : new Float32Array(labels.length * classes), yPred.shape)
  const o = out.data
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i]
    if (!Number.isInteger(c) || c < 0 || c >= classes) {
      throw new RangeError(`${op}: label ${c} at position ${i} is not a class index in [0, ${classes - 1}] (yPred has ${classes} classes)`)
    }
    o[i * classes + c] = 1
  }
  return out
}

/** Categorical cross-entropy with integer class labels: −log(clip(p[label], ε, 1 − ε)). */
export function sparseCategoricalCrossentropy(yTrue: Tensor, yPred: Tensor): Tensor {
  const t = oneHotLabels('sparseCategoricalCrossentropy', yTrue, yPred)
  return t.mul(yPred.clamp(EPSILON, 1 - EPSILON).log()).sum(-1).neg()
}

export function sparseCategoricalCrossentropyFromLogits(yTrue: Tensor, logits: Tensor): Tensor {
  const t = oneHotLabels('sparseCategoricalCrossentropy', yTrue, logits)
  return t.mul(logits.logSoftmax(-1)).sum(-1).neg()
}

/** mean_lastaxis((yPred − yTrue)²). */
export function meanSquaredError(yTrue: Tensor, yPred: Tensor): Tensor {
  checkSameShape('meanSquaredError', yTrue, yPred)
  const d = yPred.sub(castLike(yTrue, yPred))
  return d.mul(d).mean(-1)
}

const losses: Record<LossName, Loss> = {
  binaryCrossentropy: { name: 'binaryCrossentropy', fn: binaryCrossentropy, fromLogits: { activation: 'sigmoid', fn: binaryCrossentropyFromLogits } },
  categoricalCrossentropy: {
    name: 'categoricalCrossentropy',
    fn: categoricalCrossentropy,
    fromLogits: { activation: 'softmax', fn: categoricalCrossentropyFromLogits },
  },
  sparseCategoricalCrossentropy: {
    name: 'sparseCategoricalCrossentropy',
    fn: sparseCategoricalCrossentropy,
    fromLogits: { activation: 'softmax', fn: sparseCategoricalCrossentropyFromLogits },
  },
  meanSquaredError: { name: 'meanSquaredError', fn: meanSquaredError },
}

/** Python Keras's spellings and short names, accepted so code ported from it runs unchanged. */
const aliases = {
  binary_crossentropy: 'binaryCrossentropy',
  categorical_crossentropy: 'categoricalCrossentropy',
  sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
  mean_squared_error: 'meanSquaredError',
  mse: 'meanSquaredError',
} as const satisfies Record<string, LossName>

/** Python Keras's names that compile also accepts. */
export type LossAlias = keyof typeof aliases

export const lossNames = Object.keys(losses) as LossName[]

/** The loss a name or function identifies; an unknown name lists the valid ones. */
export function getLoss(id: LossName | LossFn | string, what = 'compile'): Loss {
  if (typeof id === 'function') return { name: id.name || 'loss', fn: id }
  if (typeof id === 'string') {
    const name = ((aliases as Record<string, LossName>)[id] ?? id) as LossName
    if (Object.hasOwn(losses, name)) return losses[name]
  }
  throw new Error(
    `${what}: unknown loss ${typeof id === 'string' ? `'${id}'` : String(id)}; use one of ${lossNames.map((n) => `'${n}'`).join(', ')}, ` +
      'or a function (yTrue, yPred) => Tensor',
  )
}
