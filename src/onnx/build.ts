import { formatShape } from '../shape.js'
import type { Tensor } from '../tensor.js'
import { symbolicDims, type Axes } from './dynamic.js'
import { dataType, GraphBuilder, type ValueInfo } from './graph.js'
import { MAPPINGS } from './ops/index.js'
import { elementType, where, type OpContext } from './ops/types.js'
import type { Trace, TracedOp } from './trace.js'

/** From two traces of one forward to the ONNX graph: each op through its mapping, in order. */

export interface ModelSpec {
  opset: number
  /** The trace of the example inputs, and of the varied ones (dynamic axes resized, values changed). */
  trace: Trace
  other: Trace
  inputs: readonly Tensor[]
  varied: readonly Tensor[]
  inputNames: readonly string[]
  outputNames: readonly string[]
  /** Per input and output: dim → symbolic name. */
  dynamic: readonly Axes[]
  outputAxes: readonly Axes[]
  /** Parameters' and buffers' state-dict names (their initializers' names). */
  named: ReadonlyMap<Tensor, string>
  /** The class of the module at a path, for error messages. */
  moduleClass(path: string): string
}

export function buildModel(s: ModelSpec): Uint8Array {
  const { opset, trace, other, inputs, varied, inputNames, outputNames, dynamic, named } = s
  checkSameGraph(trace, other)
  const g = new GraphBuilder(opset)
  const values = new Map<Tensor, string>()
  inputs.forEach((t, i) => values.set(t, g.fresh(inputNames[i])))
  const produced = new Set(other.ops.map((op) => op.output))
  const otherInputs = new Set(varied)

  /** The value name of a tensor an op reads: an earlier op's output, an input, or a constant. */
  const valueOf = (t: Tensor, counterpart: Tensor, user: TracedOp): string => {
    const known = values.get(t)
    if (known !== undefined) return known
    if (produced.has(counterpart) || otherInputs.has(counterpart) || !sameValues(t, counterpart)) {
      const range = arangeFollowingAxis(t, counterpart)
      if (range !== null) return range
      throw new Error(
        `exportOnnx: ${user.name} in ${where(user)} reads a tensor of shape ${formatShape(t.shape)} that depends on the input but was made by an op the tape does not record ` +
          '(e.g. a loop over .data, or a creation op sized from the input); compute it with recorded tensor ops',
      )
    }
    const name = g.constant(named.get(t) ?? 'const', elementType(t), t.shape, t.data)
    values.set(t, name)
    return name
  }

  /**
   * arange(n) made in the forward with n a dynamic input dim (positions in a transformer): the
   * same in the graph, Range(0, n, 1) with n read at run time.
   */
  const arangeFollowingAxis = (t: Tensor, counterpart: Tensor): string | null => {
    const isArange = (x: Tensor) => x.ndim === 1 && Array.from(x.data as ArrayLike<number>).every((v, i) => v === i)
    if (!isArange(t) || !isArange(counterpart) || t.shape[0] === counterpart.shape[0]) return null
    const n = runtimeDim(t.shape[0], counterpart.shape[0])
    if (n === null) return null
    const type = elementType(t)
    const limit = g.op('Cast', [g.op('Squeeze', [n, g.int64s('axes', [0])])], { to: dataType(type) })
    const name = g.op('Range', [g.constant('zero', type, [], [0]), limit, g.constant('one', type, [], [1])])
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
      const cls = s.moduleClass(op.modulePath)
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
    return { name, type: elementType(t), dims: symbolicDims(t, other.outputs[i], s.outputAxes[i], inputs, varied, dynamic, outputNames[i]) }
  })
  return g.encode(graphInputs, graphOutputs, 'yann')
}

/** Both traces must run the same ops: otherwise the graph depends on values or sizes (control flow). */
function checkSameGraph(a: Trace, b: Trace): void {
  const n = Math.max(a.ops.length, b.ops.length)
  for (let k = 0; k < n; k++) {
    const x = a.ops[k]
    const y = b.ops[k]
    if (x?.name === y?.name && x.inputs.length === y.inputs.length && (MAPPINGS[x.name]?.sizeAware || JSON.stringify(x.attributes) === JSON.stringify(y.attributes))) continue
    const op = x ?? y
    throw new Error(
      `exportOnnx: the forward runs different ops for inputs of other sizes or values (op ${k + 1}: ${x ? x.name : 'none'} vs ${y ? y.name : 'none'}, in ${where(op)}); ` +
        'an ONNX graph is fixed: control flow or op arguments that depend on the input (or on a dynamic axis) cannot be exported',
    )
  }
  if (a.outputs.length !== b.outputs.length) throw new Error('exportOnnx: the forward returns a different number of outputs for other inputs')
}

function sameValues(a: Tensor, b: Tensor): boolean {
  if (a === b) return true
  if (a.dtype !== b.dtype || a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) return false
  const x = a.data
  const y = b.data
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i] && !(Number.isNaN(x[i]) && Number.isNaN(y[i]))) return false
  return true
}

