import { dataType } from '../graph.js'
import { needs, unsupported, type MappingTable, type OnnxMapping, type OpContext } from './types.js'

/** Ops that move elements without computing: Reshape, Transpose (attribute `{ dims }`: the permutation), Unsqueeze, Squeeze, Cast. */

/**
 * Reshape to the traced output shape. A dim that differs between the two traces depends on
 * a dynamic axis: 0 (ONNX: "copy the input's dim") where it is the input's dim at the same
 * place in both traces, else -1 (inferred); more than one inferred dim cannot be expressed.
 */
function reshape(c: OpContext): string {
  const out = c.op.output.shape
  const otherOut = c.other.output.shape
  const input = c.op.inputs[0].shape
  const otherInput = c.other.inputs[0].shape
  const target = out.map((d, i) => {
    if (d === otherOut[i]) return d
    return input[i] === d && otherInput[i] === otherOut[i] ? 0 : -1
  })
  if (target.filter((d) => d === -1).length <= 1) return c.g.op('Reshape', [c.inputs[0], c.g.int64s('shape', target)])
  // Several new sizes follow dynamic axes (e.g. [b·t, c] → [b, t, c]): read them from the inputs' shapes.
  const pieces = out.map((d, i) => {
    if (target[i] !== -1) return c.g.int64s('dim', [target[i]])
    const dim = c.runtimeDim(d, otherOut[i])
    if (dim === null) {
      throw unsupported(c, `the reshape from [${input}] to [${out}] has a size (${d}) that depends on a dynamic axis but equals no dynamic input dim; reshape with -1 in its place`)
    }
    return dim
  })
  return c.g.op('Reshape', [c.inputs[0], c.g.op('Concat', pieces, { axis: 0 })])
}

const transpose: OnnxMapping = needs(['dims'], (c) => c.g.op('Transpose', c.inputs, { perm: c.op.attributes.dims as number[] }))

/** The dims of size 1 that squeeze() removed (all of them, or the one named). */
function squeezedAxes(c: OpContext): number[] {
  const { dim } = c.op.attributes as { dim: number | number[] | null }
  const shape = c.op.inputs[0].shape
  if (dim !== null) return (Array.isArray(dim) ? [...dim].sort((a, b) => a - b) : [dim]).filter((d) => shape[d] === 1)
  return shape.flatMap((s, i) => (s === 1 ? [i] : []))
}

function squeeze(c: OpContext): string {
  const axes = squeezedAxes(c)
  if (axes.length === 0) return c.g.op('Identity', c.inputs)
  return c.g.op('Squeeze', [c.inputs[0], c.g.int64s('axes', axes)])
}

export const shapeOps: MappingTable = {
  ViewBackward0: reshape,
  PermuteBackward0: transpose,
  TransposeBackward0: transpose,
  TBackward0: transpose,
  UnsqueezeBackward0: needs(['dim'], (c) => c.g.op('Unsqueeze', [c.inputs[0], c.g.int64s('axes', [c.op.attributes.dim as number])])),
  SqueezeBackward0: squeeze,
  SqueezeBackward1: needs(['dim'], squeeze),
  SqueezeBackward2: needs(['dim'], squeeze),
  ToCopyBackward0: (c) => c.g.op('Cast', c.inputs, { to: dataType(c.op.output.dtype) }),
  CloneBackward0: (c) => c.g.op('Identity', c.inputs),
}
