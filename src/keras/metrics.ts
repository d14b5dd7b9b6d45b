import { noGrad } from '../autograd/grad-mode.js'
import { formatShape, sameShape } from '../shape.js'
import { Tensor } from '../tensor.js'
import { getLoss, lossNames, type Loss, type LossFn } from './losses.js'

/**
 * Metrics: `fn(yTrue, yPred)` returns one value per sample; `fit` and `evaluate` report their
 * mean over every sample seen. Computed without gradients.
 */
export type MetricFn = (yTrue: Tensor, yPred: Tensor) => Tensor

export type MetricName = 'accuracy' | 'acc' | 'binaryAccuracy' | 'categoricalAccuracy' | 'sparseCategoricalAccuracy'

export interface Metric {
  /** The key in logs and History: the name as given (`'accuracy'`, `'acc'`) or the function's name. */
  readonly name: string
  readonly fn: MetricFn
}

function perSample(values: ArrayLike<number>, shape: readonly number[]): Tensor {
  return new Tensor(Float32Array.from(values), shape)
}

function checkMetricShapes(op: string, yTrue: Tensor, yPred: Tensor): void {
  if (!(yTrue instanceof Tensor) || !(yPred instanceof Tensor) || !sameShape(yTrue.shape, yPred.shape)) {
    const s = (x: unknown) => (x instanceof Tensor ? formatShape(x.shape) : String(x))
    throw new Error(`${op}: yTrue has shape ${s(yTrue)} but yPred has shape ${s(yPred)}; they must be equal`)
  }
}

/** Per sample: the fraction of outputs where (yPred > threshold) equals yTrue. */
export function binaryAccuracy(yTrue: Tensor, yPred: Tensor, threshold = 0.5): Tensor {
  checkMetricShapes('binaryAccuracy', yTrue, yPred)
  const t = yTrue.data
  const p = yPred.data
  const last = yPred.ndim === 0 ? 1 : yPred.shape[yPred.ndim - 1]
  const out = new Float64Array(p.length / last)
  for (let i = 0; i < p.length; i++) if ((p[i] > threshold ? 1 : 0) === t[i]) out[Math.floor(i / last)] += 1 / last
  return perSample(out, yPred.shape.slice(0, -1))
}

function argmaxRows(x: Tensor): number[] {
  const n = x.shape[x.ndim - 1]
  const d = x.data
  const out: number[] = []
  for (let r = 0; r < d.length / n; r++) {
    let best = 0
    for (let j = 1; j < n; j++) if (d[r * n + j] > d[r * n + best]) best = j
    out.push(best)
  }
  return out
}

/** Per sample: 1 where the largest prediction is at the largest target, else 0. */
export function categoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  checkMetricShapes('categoricalAccuracy', yTrue, yPred)
  const t = argmaxRows(yTrue)
  const p = argmaxRows(yPred)
  return perSample(p.map((c, i) => (c === t[i] ? 1 : 0)), yPred.shape.slice(0, -1))
}

/** Per sample: 1 where the largest prediction is at the integer label, else 0. */
export function sparseCategoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  const batch = yPred.shape.slice(0, -1)
  if (!(yTrue instanceof Tensor) || !(sameShape(yTrue.shape, batch) || sameShape(yTrue.shape, [...batch, 1]))) {
    throw new Error(
      `sparseCategoricalAccuracy: yTrue has shape ${yTrue instanceof Tensor ? formatShape(yTrue.shape) : String(yTrue)} but yPred has shape ${formatShape(yPred.shape)}; ` +
        `give one class label per sample, shape ${formatShape(batch)}`,
    )
  }
  const p = argmaxRows(yPred)
  return perSample(p.map((c, i) => (c === yTrue.data[i] ? 1 : 0)), batch)
}

const named: Record<Exclude<MetricName, 'accuracy' | 'acc'>, MetricFn> = {
  binaryAccuracy: (t, p) => binaryAccuracy(t, p),
  categoricalAccuracy,
  sparseCategoricalAccuracy,
}

/**
 * The metric an identifier names. 'accuracy' (or 'acc') picks as TensorFlow.js does: binary
 * accuracy for a binary cross-entropy loss or a single output, sparse categorical accuracy for a
 * sparse categorical loss, categorical accuracy otherwise. Loss names are metrics too.
 */
export function getMetric(id: MetricName | MetricFn | LossFn | string, loss: Loss, outputUnits: number | null): Metric {
  if (typeof id === 'function') return { name: id.name || 'metric', fn: id }
  if (id === 'accuracy' || id === 'acc') {
    const fn: MetricFn =
      outputUnits === 1 || loss.name === 'binaryCrossentropy'
        ? named.binaryAccuracy
        : loss.name === 'sparseCategoricalCrossentropy'
          ? sparseCategoricalAccuracy
          : categoricalAccuracy
    return { name: id, fn }
  }
  if (typeof id === 'string' && Object.hasOwn(named, id)) return { name: id, fn: named[id as keyof typeof named] }
  try {
    return { name: id, fn: getLoss(id).fn }
  } catch {
    throw new Error(
      `compile: unknown metric ${typeof id === 'string' ? `'${id}'` : String(id)}; use one of ` +
        [...['accuracy', 'acc'], ...Object.keys(named), ...lossNames].map((n) => `'${n}'`).join(', ') +
        ', or a function (yTrue, yPred) => Tensor',
    )
  }
}

/** A metric's mean over a batch (its per-sample values averaged, or its scalar), without recording gradients. */
export function metricValue(metric: Metric, yTrue: Tensor, yPred: Tensor): number {
  return noGrad(() => {
    const v = metric.fn(yTrue, yPred)
    if (!(v instanceof Tensor)) throw new TypeError(`metric '${metric.name}': the function must return a Tensor, got ${v === null ? 'null' : typeof v}`)
    let s = 0
    for (const x of v.data) s += x
    return s / v.numel()
  })
}
