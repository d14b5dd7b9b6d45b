import type { Tensor } from '../../src/index.js'
import { buildModel } from '../../src/onnx/build.js'
import type { TracedOp } from '../../src/onnx/trace.js'

/**
 * A hand-built trace of one op, exported as a one-op ONNX graph whose inputs are all the op's
 * tensors (named x0, x1, ...): how a mapping is tested before (or without) the op's code.
 */

type Data = Float32Array | Float64Array | Int32Array | Uint8Array

/** A stand-in for a Tensor: what the exporter reads (shape, dtype, data). Bool included. */
export function fake(dtype: string, shape: readonly number[], values: ArrayLike<number | string | boolean>): Tensor {
  const Ctor = { float32: Float32Array, float64: Float64Array, int32: Int32Array, int64: Int32Array, bool: Uint8Array }[dtype]!
  const data: Data = Ctor.from(Array.from(values, (v) => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : Number(v))))
  return { dtype: dtype === 'int64' ? 'int32' : dtype, shape: [...shape], ndim: shape.length, data } as unknown as Tensor
}

export function singleOpModel(name: string, inputs: Tensor[], output: Tensor, attributes: Record<string, unknown>, opset = 17): Uint8Array {
  const op: TracedOp = { name, inputs, output, attributes, modulePath: 'layer' }
  const trace = { ops: [op], outputs: [output] }
  return buildModel({
    opset,
    trace,
    other: trace,
    inputs,
    varied: inputs,
    inputNames: inputs.map((_, i) => `x${i}`),
    outputNames: ['y'],
    dynamic: inputs.map(() => ({})),
    outputAxes: [{}],
    named: new Map(),
    moduleClass: () => 'Layer',
  })
}
