/**
 * `keras`: a Keras-style model API with TensorFlow.js's names, over yann's tensors, autograd
 * and optimizers.
 *
 * @example
 * const model = keras.sequential({ layers: [keras.layers.dense({ units: 1, inputShape: [2], activation: 'sigmoid' })] })
 * model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] })
 * await model.fit(x, y, { epochs: 20, batchSize: 4 })
 */
import * as initializerFns from './initializers.js'
import * as lossFns from './losses.js'
import * as metricFns from './metrics.js'
import * as optimizerFns from './optimizers.js'

export { Sequential, sequential } from './sequential.js'
export type { ModelCompileArgs, ModelEvaluateArgs, ModelFitArgs, ModelPredictArgs, SequentialArgs } from './sequential.js'
export * as layers from './layers.js'
export { LayerVariable } from './variable.js'
export { clearSession } from './layer.js'
export { Callback, CallbackList } from './callbacks.js'
export type { CallbackArg, CustomCallbackArgs, FitParams, Logs } from './callbacks.js'
export { History } from './history.js'
export { ProgressBar, ProgbarLogger } from './progress.js'
export type { ProgressOptions, ProgressOutput } from './progress.js'
export { summaryLines } from './summary.js'
export { GradientTape, valueAndGrads } from './tape.js'
export type { GradientTapeArgs, ValueAndGrads } from './tape.js'
export type { ActivationIdentifier } from './activations.js'
export type { Initializer, InitializerIdentifier } from './initializers.js'
export type { LossFn, LossName } from './losses.js'
export type { MetricFn, MetricName } from './metrics.js'
export type { KerasOptimizer, OptimizerIdentifier } from './optimizers.js'

/** `keras.initializers`: zeros, ones, constant(values), glorotUniform, glorotNormal, heNormal, heUniform, randomNormal, randomUniform. */
export const initializers = {
  zeros: initializerFns.zeros,
  ones: initializerFns.ones,
  constant: initializerFns.constant,
  glorotUniform: initializerFns.glorotUniform,
  glorotNormal: initializerFns.glorotNormal,
  heNormal: initializerFns.heNormal,
  heUniform: initializerFns.heUniform,
  randomNormal: initializerFns.randomNormal,
  randomUniform: initializerFns.randomUniform,
}

/** `keras.losses`: Keras's losses, `(yTrue, yPred) => per-sample losses`. */
export const losses = {
  binaryCrossentropy: lossFns.binaryCrossentropy,
  categoricalCrossentropy: lossFns.categoricalCrossentropy,
  sparseCategoricalCrossentropy: lossFns.sparseCategoricalCrossentropy,
  meanSquaredError: lossFns.meanSquaredError,
  /** The same losses from logits, as Keras's fit computes them behind a sigmoid or softmax layer. */
  binaryCrossentropyFromLogits: lossFns.binaryCrossentropyFromLogits,
  categoricalCrossentropyFromLogits: lossFns.categoricalCrossentropyFromLogits,
  sparseCategoricalCrossentropyFromLogits: lossFns.sparseCategoricalCrossentropyFromLogits,
  /** Keras's backend epsilon (1e-7). */
  EPSILON: lossFns.EPSILON,
}

/** `keras.metrics`: per-sample accuracies. */
export const metrics = {
  binaryAccuracy: metricFns.binaryAccuracy,
  categoricalAccuracy: metricFns.categoricalAccuracy,
  sparseCategoricalAccuracy: metricFns.sparseCategoricalAccuracy,
}

/** `keras.optimizers`: sgd({ learningRate, momentum, nesterov }) and adam({ learningRate, beta1, beta2, epsilon }). */
export const optimizers = {
  sgd: optimizerFns.sgd,
  adam: optimizerFns.adam,
}
