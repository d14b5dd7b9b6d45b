import { dataType } from '../graph.js'
import { needs, scalar, sizeAware, unsupported, type MappingTable, type OpContext } from './types.js'

/**
 * Joining, slicing and indexing. Inputs and attributes the ops pass (dims non-negative):
 * - CatBackward0, inputs [...tensors]: `{ dim }`
 * - NarrowBackward0: `{ dim, start, length }`; SliceBackward0: `{ dim, start, end, step }` (end clamped)
 * - SelectBackward0: `{ dim, index }`
 * - GatherBackward0, inputs [x, index]: `{ dim }` (torch.gather); IndexSelectBackward0, inputs [x, index]: `{ dim }`
 * - WhereBackward0, inputs [condition, a, b] (a, b in one float dtype; an int32 or bool result casts back): none
 * - ExpandBackward0: none (the traced output shape)
 * - RepeatBackward0: `{ repeats }`; ConstantPadNdBackward0, Reflection/ReplicationPad{1,2}DBackward0: `{ pad, value }` (pad as F.pad: last dim first)
 * - FlipBackward0: `{ dims }`; TrilBackward0, TriuBackward0: `{ diagonal }` (ONNX Trilu: opset 14, and exportOnnx's start at 17)
 */

/** A slice's end: static, or start + a length that follows a dynamic axis (read at run time). */
function end(c: OpContext, start: number, stop: number, otherStop: number): string {
  if (stop === otherStop) return c.g.int64s('end', [stop])
  const length = c.runtimeDim(stop - start, otherStop - start)
  if (length === null) throw unsupported(c, `a slice end (${stop}) that depends on a dynamic axis but equals no dynamic input dim plus its start`)
  return start === 0 ? length : c.g.op('Add', [length, c.g.int64s('start', [start])])
}

function slice(c: OpContext, start: number, stop: number, otherStop: number, step: number, otherStart: number): string {
  const { dim } = c.op.attributes as { dim: number }
  if (start !== otherStart) throw unsupported(c, 'a slice start that depends on a dynamic axis')
  return c.g.op('Slice', [c.inputs[0], c.g.int64s('starts', [start]), end(c, start, stop, otherStop), c.g.int64s('axes', [dim]), c.g.int64s('steps', [step])])
}

const narrow = sizeAware((c) => {
  const a = c.op.attributes as { start: number; length: number }
  const b = c.other.attributes as { start: number; length: number }
  return slice(c, a.start, a.start + a.length, b.start + b.length, 1, b.start)
})

const sliceStep = sizeAware((c) => {
  const a = c.op.attributes as { start: number; end: number; step: number }
  const b = c.other.attributes as { start: number; end: number }
  return slice(c, a.start, a.end, b.end, a.step ?? 1, b.start)
})

function select(c: OpContext): string {
  const { dim, index } = c.op.attributes as { dim: number; index: number }
  return c.g.op('Gather', [c.inputs[0], c.g.constant('index', 'int64', [], [index])], { axis: dim })
}

/** Expand to the traced shape; dims that follow a dynamic axis are read at run time. */
const expand = sizeAware((c) => {
  const out = c.op.output.shape
  const other = c.other.output.shape
  if (out.every((d, i) => d === other[i])) return c.g.op('Expand', [c.inputs[0], c.g.int64s('shape', out)])
  const pieces = out.map((d, i) => {
    if (d === other[i]) return c.g.int64s('dim', [d])
    const dim = c.runtimeDim(d, other[i])
    if (dim === null) throw unsupported(c, `an expand to a size (${d}) that depends on a dynamic axis but equals no dynamic input dim`)
    return dim
  })
  return c.g.op('Expand', [c.inputs[0], c.g.op('Concat', pieces, { axis: 0 })])
})

/** Tile by `repeats`; repeats longer than the rank add leading dims of 1 first (as PyTorch). */
function repeat(c: OpContext): string {
  const repeats = c.op.attributes.repeats as number[]
  const extra = repeats.length - c.op.inputs[0].ndim
  const x = extra > 0 ? c.g.op('Unsqueeze', [c.inputs[0], c.g.int64s('axes', Array.from({ length: extra }, (_, i) => i))]) : c.inputs[0]
  return c.g.op('Tile', [x, c.g.int64s('repeats', repeats)])
}

/** F.pad: its pairs run from the last dim back; ONNX wants every start, then every end. reflect and replicate ('edge') ignore the value. */
const padOp = (mode: 'constant' | 'reflect' | 'edge') => (c: OpContext): string => {
  const { pad, value } = c.op.attributes as { pad: number[]; value: number }
  const rank = c.op.inputs[0].ndim
  const starts = new Array<number>(rank).fill(0)
  const ends = new Array<number>(rank).fill(0)
  for (let i = 0; i * 2 < pad.length; i++) {
    starts[rank - 1 - i] = pad[2 * i]
    ends[rank - 1 - i] = pad[2 * i + 1]
  }
  const pads = c.g.int64s('pads', [...starts, ...ends])
  return c.g.op('Pad', mode === 'constant' ? [c.inputs[0], pads, scalar(c, 'value', c.op.inputs[0], value)] : [c.inputs[0], pads], { mode })
}

/** Each of `dims` walked backwards: from the last element (−1) down past the first (INT64_MIN: "to the start"). */
function flip(c: OpContext): string {
  const dims = c.op.attributes.dims as number[]
  if (dims.length === 0) return c.g.op('Identity', c.inputs)
  const each = (value: number) => c.g.int64s('flip', dims.map(() => value))
  return c.g.op('Slice', [c.inputs[0], each(-1), each(-(2 ** 63)), c.g.int64s('axes', dims), each(-1)])
}

const trilu = (upper: 0 | 1) =>
  needs(['diagonal'], (c) => c.g.op('Trilu', [c.inputs[0], c.g.constant('diagonal', 'int64', [], [c.op.attributes.diagonal as number])], { upper }))

export const selectOps: MappingTable = {
  FlipBackward0: needs(['dims'], flip),
  TrilBackward0: trilu(0),
  TriuBackward0: trilu(1),
  RepeatBackward0: needs(['repeats'], repeat),
  ConstantPadNdBackward0: needs(['pad', 'value'], padOp('constant')),
  ReflectionPad1DBackward0: needs(['pad'], padOp('reflect')),
  ReflectionPad2DBackward0: needs(['pad'], padOp('reflect')),
  ReplicationPad1DBackward0: needs(['pad'], padOp('edge')),
  ReplicationPad2DBackward0: needs(['pad'], padOp('edge')),
  CatBackward0: needs(['dim'], (c) => c.g.op('Concat', c.inputs, { axis: c.op.attributes.dim as number })),
  NarrowBackward0: needs(['dim', 'start', 'length'], narrow),
  SliceBackward0: needs(['dim', 'start', 'end', 'step'], sliceStep),
  SelectBackward0: needs(['dim', 'index'], select),
  GatherBackward0: needs(['dim'], (c) => c.g.op('GatherElements', c.inputs, { axis: c.op.attributes.dim as number })),
  IndexSelectBackward0: needs(['dim'], (c) => c.g.op('Gather', c.inputs, { axis: c.op.attributes.dim as number })),
  WhereBackward0: (c) => {
    const out = c.g.op('Where', c.inputs)
    return c.op.output.dtype === c.op.inputs[1].dtype ? out : c.g.op('Cast', [out], { to: dataType(c.op.output.dtype) })
  },
  ExpandBackward0: expand,
}
