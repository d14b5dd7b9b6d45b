import { needs, type MappingTable, type OnnxMapping, type OpContext } from './types.js'

/** Reductions and softmax. Opset 18 moved reduction axes from an attribute to an input. */

function reduction(opType: string, c: OpContext): string {
  const { dim, keepdim } = c.op.attributes as { dim: number | null; keepdim: boolean }
  const x = c.inputs[0]
  if (dim === null) return c.g.op(opType, [x], { keepdims: keepdim ? 1 : 0 })
  // ReduceSum takes axes as an input from opset 13, the other reductions from opset 18.
  if (opType === 'ReduceSum' || c.g.opset >= 18) return c.g.op(opType, [x, c.g.int64s('axes', [dim])], { keepdims: keepdim ? 1 : 0 })
  return c.g.op(opType, [x], { axes: [dim], keepdims: keepdim ? 1 : 0 })
}

const reduce = (opType: string): OnnxMapping => needs(['dim', 'keepdim'], (c) => reduction(opType, c))

const softmax = (opType: string): OnnxMapping => needs(['dim'], (c) => c.g.op(opType, c.inputs, { axis: c.op.attributes.dim as number }))

export const reduceOps: MappingTable = {
  SumBackward0: reduce('ReduceSum'),
  SumBackward1: reduce('ReduceSum'),
  MeanBackward0: reduce('ReduceMean'),
  MeanBackward1: reduce('ReduceMean'),
  SoftmaxBackward0: softmax('Softmax'),
  LogSoftmaxBackward0: softmax('LogSoftmax'),
}
