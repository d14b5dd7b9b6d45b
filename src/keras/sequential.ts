import { noGrad } from '../autograd/grad-mode.js'
import { compile } from '../compile/compile.js'
import { opaqueStep } from '../compile/hooks.js'
import { tensor, type TensorData } from '../creation.js'
import { Optimizer } from '../optim/optimizer.js'
import { formatShape } from '../shape.js'
import { Tensor } from '../tensor.js'
import type { Logs } from './callbacks.js'
import { Dense, formatSymbolic } from './dense.js'
import type { History } from './history.js'
import { Layer, uniqueName, type SymbolicShape } from './layer.js'
import { getLoss, type Loss, type LossAlias, type LossFn, type LossName } from './losses.js'
import { getMetric, metricValue, type Metric, type MetricFn, type MetricName } from './metrics.js'
import { getOptimizer, type OptimizerIdentifier, type Trainer } from './optimizers.js'
import { summaryLines } from './summary.js'
import type { LayerVariable } from './variable.js'
import { nextTurn } from './yield.js'
import { checkPositiveInt, concatRows, fitCallbacks, fitOptions, permutation, range, rows, splitValidation, type ModelEvaluateArgs, type ModelFitArgs, type ModelPredictArgs } from './fit.js'
import { checkInputShape, checkTargets, checkValidationData, dataTensor } from './targets.js'
import { checkOptionKeys } from '../options.js'

export interface SequentialArgs {
  layers?: Layer[]
  /** Default 'sequential', 'sequential_1', ... */
  name?: string
}

export type { ModelEvaluateArgs, ModelFitArgs, ModelPredictArgs } from './fit.js'

export interface ModelCompileArgs {
  /** 'sgd' (learning rate 0.01), 'adam', keras.optimizers.sgd({...}) / adam({...}), or a yann optimizer. */
  optimizer: OptimizerIdentifier
  loss: LossName | LossAlias | LossFn
  /** E.g. ['accuracy']. */
  metrics?: (MetricName | MetricFn)[] | MetricName | MetricFn
}

/** A model's prediction for a batch, and what its loss is computed from. */
interface Forward {
  /** The model's output (probabilities for a sigmoid/softmax head). */
  output: Tensor
  /** The value the loss function takes, with `lossFn`: the output, or the last layer's logits. */
  lossInput: Tensor
  lossFn: LossFn
}

/**
 * A stack of layers, each feeding the next: Keras's Sequential model with TensorFlow.js's API.
 *
 * @example
 * const model = keras.sequential({
 *   layers: [keras.layers.dense({ units: 3, inputShape: [3], activation: 'relu' }), keras.layers.dense({ units: 2, activation: 'sigmoid' })],
 * })
 * model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', metrics: ['accuracy'] })
 * const history = await model.fit(x, y, { epochs: 10, batchSize: 4 })
 */
export class Sequential {
  readonly name: string
  readonly layers: Layer[] = []
  /** Set true from a callback to end `fit` after the current epoch. */
  stopTraining = false
  private compiled: { loss: Loss; metrics: Metric[]; optimizer: ReturnType<typeof getOptimizer> } | null = null
  private trainer: Trainer | null = null
  private fitting = false

  constructor(args: SequentialArgs = {}) {
    checkOptionKeys('sequential', args, ['layers', 'name'])
    const { layers = [], name } = args
    if (!Array.isArray(layers)) throw new TypeError('sequential: layers must be an array of layers')
    this.name = name ?? uniqueName('sequential')
    for (const layer of layers) this.add(layer)
  }

  /** Append a layer; it is built at once when the model's input shape is known. */
  add(layer: Layer): void {
    if (!(layer instanceof Layer)) {
      throw new TypeError(`add: expected a layer such as keras.layers.dense({ units: 3 }), got ${layer === null ? 'null' : typeof layer}`)
    }
    if (this.layers.length === 0) {
      this.layers.push(layer)
      if (layer.batchInputShape) this.build(layer.batchInputShape)
      return
    }
    const previous = this.outputShape
    if (layer.batchInputShape && previous && formatSymbolic(layer.batchInputShape) !== formatSymbolic(previous)) {
      throw new Error(
        `add: layer '${layer.name}' declares input shape ${formatSymbolic(layer.batchInputShape)}, but the previous layer outputs ${formatSymbolic(previous)}; ` +
          'only the first layer needs an inputShape',
      )
    }
    this.layers.push(layer)
    if (previous) layer.ensureBuilt(previous)
    this.trainer = null
  }

  /** The input shape with a null batch dim, once known. */
  get inputShape(): SymbolicShape | null {
    return this.layers[0]?.batchInputShape ?? (this.builtShape ?? null)
  }

  private builtShape: SymbolicShape | null = null

  /** The output shape with a null batch dim, or null while the input shape is unknown. */
  get outputShape(): SymbolicShape | null {
    let shape = this.layers[0]?.batchInputShape ?? this.builtShape
    if (!shape) return null
    for (const layer of this.layers) shape = layer.computeOutputShape(shape)
    return shape
  }

  /** Create every layer's weights for inputs of `inputShape` (`[null, 3]`). */
  build(inputShape: SymbolicShape): void {
    this.builtShape = inputShape
    let shape = inputShape
    for (const layer of this.layers) {
      layer.ensureBuilt(shape)
      shape = layer.computeOutputShape(shape)
    }
  }

  get built(): boolean {
    return this.layers.length > 0 && this.layers.every((l) => l.isBuilt)
  }

  /** Every weight of every layer, in order: `dense/kernel`, `dense/bias`, `dense_1/kernel`, ... */
  get weights(): LayerVariable[] {
    return this.layers.flatMap((l) => l.weights)
  }

  get trainableWeights(): LayerVariable[] {
    return this.layers.flatMap((l) => l.trainableWeights)
  }

  get nonTrainableWeights(): LayerVariable[] {
    return this.layers.flatMap((l) => l.nonTrainableWeights)
  }

  /** Copies of the weights' values, in `weights` order. */
  getWeights(): Tensor[] {
    return this.weights.map((w) => w.read().detach().clone())
  }

  /** Replace every weight's values, in `weights` order. */
  setWeights(values: Tensor[]): void {
    const weights = this.weights
    if (!Array.isArray(values) || values.length !== weights.length) {
      throw new Error(`setWeights: the model has ${weights.length} weights (${weights.map((w) => w.name).join(', ')}), got ${Array.isArray(values) ? values.length : typeof values}`)
    }
    weights.forEach((w, i) => w.write(values[i]))
  }

  countParams(): number {
    return this.layers.reduce((n, l) => n + l.countParams(), 0)
  }

  /** The model's output for `x` (recording gradients as any op does). */
  apply(x: Tensor): Tensor {
    if (!this.built) this.build([null, ...x.shape.slice(1)])
    let h = this.castInput(x)
    for (const layer of this.layers) h = layer.apply(h)
    return h
  }

  private castInput(x: Tensor): Tensor {
    const dtype = this.layers[0]?.dtype ?? 'float32'
    return x.dtype === dtype ? x : x.to(dtype)
  }

  /**
   * Configure training. Keras's defaults: 'sgd' is SGD with learning rate 0.01; 'adam' is Adam
   * with learning rate 0.001 and ε 1e-7. Unknown names are errors listing the valid ones.
   */
  compile(args: ModelCompileArgs): void {
    if (typeof args !== 'object' || args === null) throw new TypeError("compile: expected { optimizer, loss, metrics? }, e.g. { optimizer: 'sgd', loss: 'meanSquaredError' }")
    checkOptionKeys('compile', args, ['optimizer', 'loss', 'metrics'])
    if (args.optimizer === undefined) throw new Error("compile: an optimizer is required: 'sgd', 'adam', keras.optimizers.sgd({ learningRate }) or a yann optimizer")
    if (args.loss === undefined) throw new Error("compile: a loss is required, e.g. 'binaryCrossentropy' or 'meanSquaredError'")
    const optimizer = getOptimizer(args.optimizer)
    const loss = getLoss(args.loss, 'compile')
    const ids = args.metrics === undefined ? [] : Array.isArray(args.metrics) ? args.metrics : [args.metrics]
    const units = this.outputShape?.at(-1) ?? null
    const metrics = ids.map((id) => getMetric(id, loss, units))
    this.compiled = { loss, metrics, optimizer }
    this.trainer = null
  }

  private trainerFor(): Trainer {
    const compiled = this.compiled!
    if (this.trainer) return this.trainer
    const opt = compiled.optimizer
    if (opt instanceof Optimizer) {
      this.trainer = opt
    } else {
      const params = this.trainableWeights.map((w) => w.read())
      if (params.length === 0) throw new Error('fit: the model has no trainable weights')
      this.trainer = opt.bind(params)
    }
    return this.trainer
  }

  /**
   * The forward pass for a loss. When the last layer is a Dense whose activation the loss has a
   * logits form for (sigmoid with binaryCrossentropy, softmax with the categorical ones), the loss
   * is computed from that layer's pre-activation values, as Keras's `fit` does (see losses.ts).
   */
  private forward(x: Tensor, training = false): Forward {
    const { loss } = this.compiled!
    const last = this.layers[this.layers.length - 1]
    let h = this.castInput(x)
    const logitsPath = loss.fromLogits && last instanceof Dense && last.activation.name === loss.fromLogits.activation
    const body = logitsPath ? this.layers.slice(0, -1) : this.layers
    for (const layer of body) h = layer.apply(h, { training })
    if (logitsPath) {
      const logits = (last as Dense).logits(h)
      const output = noGrad(() => (last as Dense).activation.apply(logits))
      return { output, lossInput: logits, lossFn: loss.fromLogits!.fn }
    }
    return { output: h, lossInput: h, lossFn: loss.fn }
  }

  /** The mean of the per-sample losses (Keras's 'sum over batch size' reduction). */
  private batchLoss(f: Forward, y: Tensor): Tensor {
    const perSample = f.lossFn(y, f.lossInput)
    if (!(perSample instanceof Tensor)) throw new TypeError(`loss: the loss function must return a Tensor, got ${perSample === null ? 'null' : typeof perSample}`)
    return perSample.ndim === 0 ? perSample : perSample.mean()
  }

  private requireCompiled(op: string): NonNullable<Sequential['compiled']> {
    if (!this.compiled) throw new Error(`${op}: compile the model first, e.g. model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' })`)
    return this.compiled
  }

  /** Check and convert x and y; build the model for x's shape if needed. */
  private prepare(op: string, xIn: Tensor | TensorData, yIn: Tensor | TensorData): [Tensor, Tensor] {
    const x = dataTensor(op, 'x', xIn)
    const y = dataTensor(op, 'y', yIn)
    if (this.layers.length === 0) throw new Error(`${op}: the model has no layers; add some with model.add(keras.layers.dense({ ... }))`)
    if (x.ndim < 2) throw new Error(`${op}: x must be [samples, ...features], got shape ${formatShape(x.shape)}; add the batch dim: x.reshape([1, ${x.shape[0] ?? 1}])`)
    if (y.ndim < 1 || y.shape[0] !== x.shape[0]) {
      throw new Error(`${op}: x has ${x.shape[0]} samples (shape ${formatShape(x.shape)}) but y has ${y.shape[0] ?? 0} (shape ${formatShape(y.shape)}); they must have the same first dim`)
    }
    if (!this.built) this.build([null, ...x.shape.slice(1)])
    checkInputShape(op, this.inputShape, x)
    return [x, y]
  }

  /**
   * Train for `epochs` passes over (x, y) in batches, one optimizer step per batch. Awaits each
   * callback, and gives the event loop a turn between batches. Returns the History.
   */
  async fit(xIn: Tensor | TensorData, yIn: Tensor | TensorData, args: ModelFitArgs = {}): Promise<History> {
    // TensorFlow.js refuses a second fit while one runs: their batches would interleave.
    if (this.fitting) throw new Error('fit: this model is already fitting; await the running fit() before starting another')
    this.fitting = true
    try {
      return await this.fitOnce(xIn, yIn, args)
    } finally {
      this.fitting = false
    }
  }

  private async fitOnce(xIn: Tensor | TensorData, yIn: Tensor | TensorData, args: ModelFitArgs): Promise<History> {
    const compiled = this.requireCompiled('fit')
    const [xAll, yAll] = this.prepare('fit', xIn, yIn)
    const { batchSize, epochs, verbose, shuffle, initialEpoch, yieldEvery } = fitOptions(args)
    const vd = args.validationData
    if (vd !== undefined) checkValidationData(vd)
    const [x, y, validation] = vd ? [xAll, yAll, this.prepare('fit (validationData)', vd[0], vd[1])] : splitValidation(xAll, yAll, args.validationSplit ?? 0)
    if (validation) checkTargets('fit (validationData)', compiled.loss.name, validation[1], this.outputShape)
    const samples = x.shape[0]
    if (samples === 0) throw new Error(`fit: x has no samples (shape ${formatShape(x.shape)}); there is nothing to train on`)
    checkTargets('fit', compiled.loss.name, y, this.outputShape)
    const steps = Math.ceil(samples / batchSize)
    const keys = ['loss', ...compiled.metrics.map((m) => m.name)]
    const fitParams = { epochs, initialEpoch, samples, steps, batchSize, verbose, keys, doValidation: validation !== null }
    const { callbacks, history } = fitCallbacks(this, args, fitParams)
    const trainer = this.trainerFor()
    // The train step compiled (src/compile): each batch shape records once, then replays; the
    // optimiser's step (with its JS state, e.g. Adam's bias-corrected eps) runs live.
    const trainStep = compile((xb: Tensor, yb: Tensor): [Tensor, Tensor] => {
      trainer.zeroGrad()
      const f = this.forward(xb, true)
      const loss = this.batchLoss(f, yb)
      loss.backward()
      opaqueStep('keras optimizer step', () => trainer.step())
      return [loss, f.output]
    })

    this.stopTraining = false
    await callbacks.trainBegin({})
    for (let epoch = initialEpoch; epoch < epochs; epoch++) {
      await callbacks.epochBegin(epoch, {})
      const order = shuffle ? permutation(samples) : range(0, samples)
      const sums = new Map<string, number>(keys.map((k) => [k, 0]))
      let seen = 0
      for (let b = 0; b < steps; b++) {
        const idx = order.slice(b * batchSize, (b + 1) * batchSize)
        const size = idx.length
        await callbacks.batchBegin(b, { batch: b, size })
        const xb = rows(x, idx)
        const yb = rows(y, idx)
        const [loss, output] = trainStep(xb, yb)
        const logs: Logs = { batch: b, size, loss: loss.item() }
        for (const m of compiled.metrics) logs[m.name] = metricValue(m, yb, output.detach())
        seen += size
        for (const k of keys) sums.set(k, sums.get(k)! + logs[k] * size)
        await callbacks.batchEnd(b, logs)
        if (yieldEvery === 'batch') await nextTurn()
      }
      const epochLogs: Logs = {}
      for (const k of keys) epochLogs[k] = sums.get(k)! / seen
      if (validation) {
        const values = this.evaluateValues('fit', validation[0], validation[1], batchSize)
        keys.forEach((k, i) => (epochLogs[`val_${k}`] = values[i]))
      }
      await callbacks.epochEnd(epoch, epochLogs)
      if (yieldEvery === 'epoch') await nextTurn()
      if (this.stopTraining) break
    }
    await callbacks.trainEnd({})
    return history
  }

  /** Loss and metrics over (x, y), averaged over samples, without gradients. */
  private evaluateValues(op: string, x: Tensor, y: Tensor, batchSize: number): number[] {
    const compiled = this.requireCompiled(op)
    checkTargets(op, compiled.loss.name, y, this.outputShape)
    return noGrad(() => {
      const n = x.shape[0]
      const sums = new Array<number>(1 + compiled.metrics.length).fill(0)
      for (let start = 0; start < n; start += batchSize) {
        const idx = range(start, Math.min(n, start + batchSize))
        const xb = rows(x, idx)
        const yb = rows(y, idx)
        const f = this.forward(xb)
        sums[0] += this.batchLoss(f, yb).item() * idx.length
        compiled.metrics.forEach((m, i) => (sums[i + 1] += metricValue(m, yb, f.output) * idx.length))
      }
      return sums.map((s) => s / n)
    })
  }

  /**
   * The loss (and each metric) over (x, y), averaged over all samples: a scalar tensor, or
   * `[loss, ...metrics]` when the model has metrics (TensorFlow.js's return value).
   */
  evaluate(xIn: Tensor | TensorData, yIn: Tensor | TensorData, args: ModelEvaluateArgs = {}): Tensor | Tensor[] {
    checkOptionKeys('evaluate', args, ['batchSize'])
    const { batchSize = 32 } = args
    this.requireCompiled('evaluate')
    checkPositiveInt('evaluate', 'batchSize', batchSize)
    const [x, y] = this.prepare('evaluate', xIn, yIn)
    const dtype = this.layers[0].dtype
    const values = this.evaluateValues('evaluate', x, y, batchSize).map((v) => tensor(v, { dtype }))
    return values.length === 1 ? values[0] : values
  }

  /** The model's outputs for x, computed in batches without gradients. */
  predict(xIn: Tensor | TensorData, args: ModelPredictArgs = {}): Tensor {
    checkOptionKeys('predict', args, ['batchSize'])
    const { batchSize = 32 } = args
    checkPositiveInt('predict', 'batchSize', batchSize)
    const x = dataTensor('predict', 'x', xIn)
    if (this.layers.length === 0) throw new Error('predict: the model has no layers')
    if (x.ndim < 2) throw new Error(`predict: x must be [samples, ...features], got shape ${formatShape(x.shape)}; add the batch dim: x.reshape([1, ${x.shape[0] ?? 1}])`)
    checkInputShape('predict', this.inputShape, x)
    return noGrad(() => {
      const parts: Tensor[] = []
      for (let start = 0; start < x.shape[0]; start += batchSize) parts.push(this.apply(rows(x, range(start, Math.min(x.shape[0], start + batchSize)))))
      return concatRows(parts, x.shape[0])
    })
  }

  /**
   * Print Keras's summary table (layers, output shapes, parameter counts) with `printFn`
   * (default console.log), and return its text.
   */
  summary(lineLength?: number, positions?: number[], printFn: (line: string) => void = console.log): string {
    let shape = this.inputShape
    const rowsOut = this.layers.map((layer) => {
      shape = shape ? layer.computeOutputShape(shape) : null
      return { name: layer.name, className: layer.getClassName(), outputShape: shape, params: layer.countParams() }
    })
    const count = (ws: LayerVariable[]) => ws.reduce((n, w) => n + w.read().numel(), 0)
    const lines = summaryLines({ modelName: this.name, rows: rowsOut, trainable: count(this.trainableWeights), nonTrainable: count(this.nonTrainableWeights) }, lineLength, positions)
    lines.forEach((line) => printFn(line))
    return lines.join('\n')
  }

  getClassName(): 'Sequential' {
    return 'Sequential'
  }
}

/** `keras.sequential({ layers })`: TensorFlow.js's factory for a Sequential model. */
export function sequential(args: SequentialArgs = {}): Sequential {
  return new Sequential(args)
}
