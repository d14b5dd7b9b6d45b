import { dataType, type GraphBuilder } from '../graph.js'
import { needs, unsupported, type MappingTable, type OpContext } from './types.js'

/**
 * sort and topk as ONNX TopK, which also puts ties lower index first. Both ops pass TopK's
 * attributes `{ dim, k, largest }` (k null for sort: the dim's size); the op giving the indices
 * (sort's, argsort's, topk's) also passes `{ output: 'indices' }`. NaN: yann sorts it as the
 * largest value; ONNX leaves its order undefined and ONNX Runtime's differs (unchecked here).
 */

/** Per graph: the outputs of each TopK made so far, so values and indices share one node. */
const made = new WeakMap<GraphBuilder, Map<string, readonly string[]>>()

/** k null (sort) is the dim's size, read at run time: the dim may be a dynamic axis. */
function topK(c: OpContext): string {
  const { dim, k, largest, output } = c.op.attributes as { dim: number; k: number | null; largest: boolean; output?: string }
  if (c.op.inputs[0].ndim === 0) throw unsupported(c, 'ONNX TopK needs at least 1 dim; reshape the 0-d tensor to [1] first')
  const key = `${c.inputs[0]} ${JSON.stringify({ ...c.op.attributes, output: undefined })}`
  const nodes = made.get(c.g) ?? new Map<string, readonly string[]>()
  made.set(c.g, nodes)
  let outputs = nodes.get(key)
  // ONNX Runtime's TopK has no bool: bool sorts as int32 (false < true), and goes back.
  const bool = c.op.inputs[0].dtype === 'bool'
  if (outputs === undefined) {
    const x = bool ? c.g.op('Cast', c.inputs, { to: dataType('int32') }) : c.inputs[0]
    const size = k === null ? c.g.op('Gather', [c.g.op('Shape', [c.inputs[0]]), c.g.int64s('dim', [dim])], { axis: 0 }) : c.g.int64s('k', [k])
    outputs = c.g.node('TopK', [x, size], { axis: dim, largest: largest ? 1 : 0, sorted: 1 }, 2)
    nodes.set(key, outputs)
  }
  // TopK's indices are int64; yann's are int32.
  if (output === 'indices') return c.g.op('Cast', [outputs[1]], { to: dataType('int32') })
  return bool ? c.g.op('Cast', [outputs[0]], { to: dataType('bool') }) : outputs[0]
}

export const sortOps: MappingTable = {
  SortBackward0: needs(['dim', 'k', 'largest'], topK),
  TopkBackward0: needs(['dim', 'k', 'largest'], topK),
}
