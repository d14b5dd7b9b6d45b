import { dataType } from '../graph.js'
import { argExtreme } from './mask.js'
import { needs, type MappingTable, type OnnxMapping, type OpContext } from './types.js'

/**
 * Reductions and softmax. Attributes the ops pass: reductions `{ dim, keepdim }` (dim: a dim,
 * a list of dims, or null for all; non-negative), softmax `{ dim }`, cumsum `{ dim }`. Opset 18
 * moved reduction axes from an attribute to an input (ReduceSum: opset 13).
 */

function reduction(opType: string, c: OpContext, x = c.inputs[0]): string {
  const { dim, keepdim } = c.op.attributes as { dim: number | number[] | null; keepdim: boolean }
  const keepdims = keepdim ? 1 : 0
  if (dim === null) return c.g.op(opType, [x], { keepdims })
  const axes = Array.isArray(dim) ? dim : [dim]
  if (opType === 'ReduceSum' || c.g.opset >= 18) return c.g.op(opType, [x, c.g.int64s('axes', axes)], { keepdims })
  return c.g.op(opType, [x], { axes, keepdims })
}

const reduce = (opType: string): OnnxMapping => needs(['dim', 'keepdim'], (c) => reduction(opType, c))

/** max(dim)/min(dim): the values, and the indices (marked { output: 'indices' }) as ArgMax/ArgMin. */
function valuesOrIndices(reduceType: string, argType: 'ArgMax' | 'ArgMin'): OnnxMapping {
  const values = reduce(reduceType)
  const indices = argExtreme(argType)
  return (c) => (c.op.attributes.output === 'indices' ? indices(c) : values(c))
}

/**
 * any/all (a bool input): through int32, any a ReduceSum (an empty line sums to 0: false), all a
 * ReduceMin (an empty line's min is int32's largest: true); nonzero is true on the Cast back.
 */
const truthReduce = (opType: string): OnnxMapping =>
  needs(['dim', 'keepdim'], (c) => {
    const ints = c.g.op('Cast', c.inputs, { to: dataType('int32') })
    return c.g.op('Cast', [reduction(opType, c, ints)], { to: dataType('bool') })
  })

const softmax = (opType: string): OnnxMapping => needs(['dim'], (c) => c.g.op(opType, c.inputs, { axis: c.op.attributes.dim as number }))

export const reduceOps: MappingTable = {
  SumBackward0: reduce('ReduceSum'),
  SumBackward1: reduce('ReduceSum'),
  MeanBackward0: reduce('ReduceMean'),
  MeanBackward1: reduce('ReduceMean'),
  AmaxBackward0: reduce('ReduceMax'),
  AminBackward0: reduce('ReduceMin'),
  MaxBackward0: valuesOrIndices('ReduceMax', 'ArgMax'), // max(dim)
  MaxBackward1: reduce('ReduceMax'), // max() of all: { dim: null, keepdim: false }
  MinBackward0: valuesOrIndices('ReduceMin', 'ArgMin'),
  MinBackward1: reduce('ReduceMin'),
  LogsumexpBackward0: reduce('ReduceLogSumExp'),
  ProdBackward0: reduce('ReduceProd'),
  ProdBackward1: reduce('ReduceProd'),
  any: truthReduce('ReduceSum'),
  all: truthReduce('ReduceMin'),
  CumsumBackward0: needs(['dim'], (c) => c.g.op('CumSum', [c.inputs[0], c.g.constant('axis', 'int64', [], [c.op.attributes.dim as number])])),
  SoftmaxBackward0: softmax('Softmax'),
  LogSoftmaxBackward0: softmax('LogSoftmax'),
}
