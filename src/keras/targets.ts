import { tensor, type TensorData } from '../creation.js'
import { formatShape, sameShape } from '../shape.js'
import { formatSymbolic } from './dense.js'
import { Tensor } from '../tensor.js'
import type { SymbolicShape } from './layer.js'

/**
 * fit/evaluate check y against the model's output over the whole data set, before batching: an
 * error found inside a (shuffled) batch would name batch shapes and batch positions, which are
 * not the user's.
 */
export function checkTargets(op: string, lossName: string, y: Tensor, outputShape: SymbolicShape | null): void {
  if (!outputShape) return
  const n = y.shape[0]
  const output = [n, ...outputShape.slice(1)] as number[]
  if (lossName === 'sparseCategoricalCrossentropy') {
    const classes = output[output.length - 1]
    const labels = y.data
    for (let i = 0; i < labels.length; i++) {
      const c = labels[i]
      if (!Number.isInteger(c) || c < 0 || c >= classes) {
        throw new RangeError(`${op}: y[${i}] is ${c}, not a class index in [0, ${classes - 1}] (the model outputs ${classes} classes)`)
      }
    }
    return
  }
  if (output.some((d) => d === null) || sameShape(y.shape, output)) return
  throw new Error(
    `${op}: y has shape ${formatShape(y.shape)} but the model's output for it is ${formatShape(output)}; ` +
      `the loss ${lossName} needs equal shapes. Reshape y to ${formatShape(output)}.`,
  )
}

/** validationData must be [x, y]. */
export function checkValidationData(data: unknown): void {
  if (!Array.isArray(data) || data.length !== 2 || data[0] == null || data[1] == null) {
    const got = Array.isArray(data) ? `an array of length ${data.length}${data.length === 2 ? ' with a missing element' : ''}` : data === null ? 'null' : typeof data
    throw new TypeError(`fit: validationData must be [x, y] (inputs and targets), got ${got}`)
  }
}

/** fit's, evaluate's or predict's x or y: a Tensor, or numbers in nested arrays or a typed array made one. */
export function dataTensor(op: string, name: string, v: unknown): Tensor {
  if (v instanceof Tensor) return v
  if (typeof v === 'number' || Array.isArray(v) || ArrayBuffer.isView(v)) return tensor(v as TensorData)
  throw new TypeError(`${op}: ${name} must be a Tensor or nested arrays of numbers, got ${v === null ? 'null' : typeof v}`)
}

/** x against the input shape the model was built for (null dims take any size): the user's shapes, before a layer sees a batch. */
export function checkInputShape(op: string, expected: SymbolicShape | null | undefined, x: Tensor): void {
  if (expected && (expected.length !== x.ndim || expected.some((d, i) => i > 0 && d !== null && d !== x.shape[i]))) {
    throw new Error(`${op}: the model expects input of shape ${formatSymbolic(expected)}, got x of shape ${formatShape(x.shape)}`)
  }
}
