import { Module, type AnyModule } from '../nn/module.js'
import { checkOptionKeys } from '../nn/options.js'
import { formatShape } from '../shape.js'
import { Tensor } from '../tensor.js'
import { buildModel } from './build.js'
import { traceForward, type Trace } from './trace.js'
import { checkOutputAxes, outputAxes, parseDynamicAxes, variedInput, variedSizes } from './dynamic.js'

export interface ExportOnnxOptions {
  /** The ONNX opset the graph targets, 17 to 21 (default 17). */
  opset?: number
  /** Graph input names, one per example input (default `input`, or `input0`, `input1`, ...). */
  inputNames?: string[]
  /** Graph output names (default `output`, or `output0`, ...). */
  outputNames?: string[]
  /**
   * Symbolic dims, as PyTorch's `dynamic_axes`: input or output name → the dims to leave
   * open, as `{ 0: 'batch', 1: 'sequence' }` or `[0, 1]` (named `<name>_dim<i>`).
   * Output dims that follow a dynamic input dim become symbolic by themselves.
   */
  dynamicAxes?: Record<string, Record<number, string> | number[]>
}

const OPTIONS = ['opset', 'inputNames', 'outputNames', 'dynamicAxes']
const MIN_OPSET = 17
const MAX_OPSET = 21

/**
 * The model as an ONNX file (a ModelProto, IR version 8), to run with ONNX Runtime anywhere.
 * It traces one forward pass on `exampleInputs` in eval mode (every op the autograd tape
 * records, whatever module runs it, so custom Module subclasses export), then maps each op to
 * ONNX nodes; parameters and buffers become initializers under their state-dict names.
 * Training flags are restored afterwards. An op with no ONNX mapping is an error naming it.
 *
 * @example
 * const bytes = exportOnnx(model, [yann.randn([1, 784])], { dynamicAxes: { input: { 0: 'batch' } } })
 * await save('model.onnx', bytes)   // from 'yann/node'
 */
export function exportOnnx(model: AnyModule, exampleInputs: Tensor | readonly Tensor[], options: ExportOnnxOptions = {}): Uint8Array {
  if (!(model instanceof Module)) throw new TypeError(`exportOnnx: the model must be an nn.Module, got ${model === null ? 'null' : typeof model}`)
  checkOptionKeys('exportOnnx', options, OPTIONS)
  const inputs = exampleInputs instanceof Tensor ? [exampleInputs] : exampleInputs
  if (!Array.isArray(inputs) || inputs.length === 0 || !inputs.every((t) => t instanceof Tensor)) {
    throw new TypeError('exportOnnx: exampleInputs must be a Tensor or a non-empty array of Tensors (the arguments of the model\'s forward)')
  }
  const opset = options.opset ?? MIN_OPSET
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new RangeError(`exportOnnx: opset must be an integer from ${MIN_OPSET} to ${MAX_OPSET}, got ${opset}`)
  }
  const inputNames = names('inputNames', options.inputNames, inputs.length, 'input')
  const dynamic = parseDynamicAxes(options.dynamicAxes ?? {}, inputNames, inputs)

  const trace = runTrace(model, inputs, 'the example inputs')
  const outputNames = names('outputNames', options.outputNames, trace.outputs.length, 'output')
  checkOutputAxes(options.dynamicAxes ?? {}, inputNames, outputNames)
  // A second pass with each dynamic axis at another size and the values reversed: what changes
  // between the two depends on the input and must not be frozen into the graph as a constant.
  const sizes = variedSizes(inputs, dynamic)
  const varied = inputs.map((t, i) => variedInput(t, sizes[i]))
  const other = runTrace(model, varied, 'inputs varied from the examples (dynamic axes resized, values reversed)')

  return buildModel({
    opset,
    trace,
    other,
    inputs,
    varied,
    inputNames,
    outputNames,
    dynamic,
    outputAxes: outputNames.map((name) => outputAxes(name, options.dynamicAxes)),
    named: namedState(model),
    moduleClass: (path) => moduleClass(model, path),
  })
}

/** The names given for inputs or outputs, checked, or `base` / `base0`, `base1`, ... */
function names(option: string, given: readonly string[] | undefined, n: number, base: string): string[] {
  if (given === undefined) return n === 1 ? [base] : Array.from({ length: n }, (_, i) => `${base}${i}`)
  if (!Array.isArray(given) || given.length !== n || !given.every((s) => typeof s === 'string' && s !== '') || new Set(given).size !== n) {
    throw new TypeError(`exportOnnx: ${option} must list ${n} distinct non-empty names (one per ${base}), got ${JSON.stringify(given)}`)
  }
  return [...given]
}

function runTrace(model: AnyModule, inputs: readonly Tensor[], what: string): Trace {
  try {
    return traceForward(model, inputs)
  } catch (e) {
    const shapes = inputs.map((t) => formatShape(t.shape)).join(', ')
    throw new Error(`exportOnnx: the model's forward failed on ${what} (shapes ${shapes}): ${(e as Error).message}`, { cause: e })
  }
}

/** State-dict names of parameters and buffers, for their initializers. */
function namedState(model: AnyModule): Map<Tensor, string> {
  const named = new Map<Tensor, string>()
  for (const [name, t] of model.namedParameters()) named.set(t, name)
  for (const [name, t] of model.namedBuffers()) named.set(t, name)
  return named
}

function moduleClass(model: AnyModule, path: string): string {
  const m = path === '' ? model : model.getSubmodule(path)
  return (m.constructor as { displayName?: string }).displayName ?? m.constructor.name
}
