import { Module, type AnyModule } from '../nn/module.js'
import { checkOptionKeys } from '../nn/options.js'
import { formatShape } from '../shape.js'
import { Tensor } from '../tensor.js'
import { GraphBuilder, type ValueInfo } from './graph.js'
import { MAPPINGS } from './ops/index.js'
import { elementType, where, type OpContext } from './ops/types.js'
import { traceForward, type Trace, type TracedOp } from './trace.js'
import { checkOutputAxes, outputAxes, parseDynamicAxes, symbolicDims, variedInput } from './dynamic.js'

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
  const varied = inputs.map((t, i) => variedInput(t, Object.keys(dynamic[i]).map(Number)))
  const other = runTrace(model, varied, 'inputs varied from the examples (dynamic axes resized, values reversed)')
  checkSameGraph(trace, other)

  const g = new GraphBuilder(opset)
  const values = new Map<Tensor, string>()
  inputs.forEach((t, i) => values.set(t, g.fresh(inputNames[i])))
  const named = namedState(model)
  const produced = new Set(other.ops.map((op) => op.output))
  const otherInputs = new Set(varied)

  /** The value name of a tensor an op reads: an earlier op's output, an input, or a constant. */
  const valueOf = (t: Tensor, counterpart: Tensor, user: TracedOp): string => {
    const known = values.get(t)
    if (known !== undefined) return known
    if (produced.has(counterpart) || otherInputs.has(counterpart) || !sameValues(t, counterpart)) {
      throw new Error(
        `exportOnnx: ${user.name} in ${where(user)} reads a tensor of shape ${formatShape(t.shape)} that depends on the input but was made by an op the tape does not record ` +
          '(e.g. a loop over .data, a cast to int32, or a creation op sized from the input); compute it with recorded tensor ops',
      )
    }
    const name = g.constant(named.get(t) ?? 'const', elementType(t), t.shape, t.data)
    values.set(t, name)
    return name
  }

  /** A dynamic input dim that is `size` here and `otherSize` in the varied trace, read at run time. */
  const shapes = new Map<number, string>()
  const runtimeDim = (size: number, otherSize: number): string | null => {
    for (let i = 0; i < inputs.length; i++) {
      for (const j of Object.keys(dynamic[i]).map(Number)) {
        if (inputs[i].shape[j] !== size || varied[i].shape[j] !== otherSize) continue
        if (!shapes.has(i)) shapes.set(i, g.op('Shape', [values.get(inputs[i])!]))
        return g.op('Gather', [shapes.get(i)!, g.int64s('index', [j])], { axis: 0 })
      }
    }
    return null
  }

  trace.ops.forEach((op, k) => {
    const mapping = MAPPINGS[op.name]
    if (mapping === undefined) {
      const cls = moduleClass(model, op.modulePath)
      throw new Error(
        `exportOnnx: no ONNX mapping for op ${op.name} in ${where(op)}${cls ? ` (${cls})` : ''}; ` +
          'add one in src/onnx/ops/ (see src/onnx/ops/index.ts), or compute it with ops that have one',
      )
    }
    const counterpart = other.ops[k]
    const inputNamesOfOp = op.inputs.map((t, j) => valueOf(t, counterpart.inputs[j], op))
    const context: OpContext = { op, other: counterpart, g, inputs: inputNamesOfOp, runtimeDim }
    values.set(op.output, mapping(context))
  })

  const graphInputs: ValueInfo[] = inputs.map((t, i) => ({ name: values.get(t)!, type: elementType(t), dims: t.shape.map((d, k) => dynamic[i][k] ?? d) }))
  const graphOutputs: ValueInfo[] = trace.outputs.map((t, i) => {
    const name = g.fresh(outputNames[i])
    const user = trace.ops[trace.ops.length - 1] ?? { name: 'output', modulePath: '' }
    g.node('Identity', [valueOf(t, other.outputs[i], user as TracedOp)], {}, [name])
    const axes = outputAxes(outputNames[i], options.dynamicAxes)
    return { name, type: elementType(t), dims: symbolicDims(t, other.outputs[i], axes, inputs, varied, dynamic, outputNames[i]) }
  })
  return g.encode(graphInputs, graphOutputs, 'yann')
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

/** Both traces must run the same ops: otherwise the graph depends on values or sizes (control flow). */
function checkSameGraph(a: Trace, b: Trace): void {
  const n = Math.max(a.ops.length, b.ops.length)
  for (let k = 0; k < n; k++) {
    const x = a.ops[k]
    const y = b.ops[k]
    if (x?.name === y?.name && x.inputs.length === y.inputs.length && JSON.stringify(x.attributes) === JSON.stringify(y.attributes)) continue
    const op = x ?? y
    throw new Error(
      `exportOnnx: the forward runs different ops for inputs of other sizes or values (op ${k + 1}: ${x ? x.name : 'none'} vs ${y ? y.name : 'none'}, in ${where(op)}); ` +
        'an ONNX graph is fixed: control flow or op arguments that depend on the input (or on a dynamic axis) cannot be exported',
    )
  }
  if (a.outputs.length !== b.outputs.length) throw new Error('exportOnnx: the forward returns a different number of outputs for other inputs')
}

/** State-dict names of parameters and buffers, for their initializers. */
function namedState(model: AnyModule): Map<Tensor, string> {
  const named = new Map<Tensor, string>()
  for (const [name, t] of model.namedParameters()) named.set(t, name)
  for (const [name, t] of model.namedBuffers()) named.set(t, name)
  return named
}

function sameValues(a: Tensor, b: Tensor): boolean {
  if (a === b) return true
  if (a.dtype !== b.dtype || a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) return false
  const x = a.data
  const y = b.data
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i] && !(Number.isNaN(x[i]) && Number.isNaN(y[i]))) return false
  return true
}

function moduleClass(model: AnyModule, path: string): string {
  const m = path === '' ? model : model.getSubmodule(path)
  return (m.constructor as { displayName?: string }).displayName ?? m.constructor.name
}
