import type { Tensor } from '../../tensor.js'
import type { ElementType, GraphBuilder } from '../graph.js'
import type { TracedOp } from '../trace.js'

/** What an op's ONNX mapping gets: the traced op, the graph, and its inputs' value names. */
export interface OpContext {
  readonly op: TracedOp
  /**
   * The same op in the second trace, run with the dynamic axes at other sizes (the same op
   * when there are none): what differs between the two is what depends on a dynamic axis.
   */
  readonly other: TracedOp
  readonly g: GraphBuilder
  /** Value names of `op.inputs`, in order. */
  readonly inputs: readonly string[]
  /**
   * A size that depends on a dynamic axis (`size` in this trace, `otherSize` in the other), as
   * a value: an int64 [1] read from the graph input's shape at run time. null: no input dim
   * changes that way.
   */
  runtimeDim(size: number, otherSize: number): string | null
}

/**
 * Emit the ONNX nodes computing one traced op; return the value name of its output.
 * `sizeAware`: the op's attributes may differ between the two traces (a length that follows
 * a dynamic axis) and the mapping handles that (with `other` and `runtimeDim`).
 */
export type OnnxMapping = ((c: OpContext) => string) & { sizeAware?: boolean }

/** Mark a mapping as handling attributes that follow dynamic axes. */
export function sizeAware(mapping: (c: OpContext) => string): OnnxMapping {
  return Object.assign(mapping, { sizeAware: true })
}

/** gradFn name → mapping: one entry per op. */
export type MappingTable = Readonly<Record<string, OnnxMapping>>

/** The ONNX element type of a tensor's dtype. */
export function elementType(t: Tensor): ElementType {
  return t.dtype as ElementType
}

/** A 0-d constant of `like`'s dtype (a scalar operand: Pow's exponent, Clip's bounds). */
export function scalar(c: OpContext, hint: string, like: Tensor, value: number): string {
  return c.g.constant(hint, elementType(like), [], [value])
}

/** An error naming the op and where it ran, for mappings that refuse an argument. */
export function unsupported(c: OpContext, what: string): Error {
  return new Error(`exportOnnx: ${c.op.name} in ${where(c.op)}: ${what}`)
}

export function where(op: TracedOp): string {
  return op.modulePath === '' ? 'the model\'s own forward' : `module '${op.modulePath}'`
}

/** ReduceMean over `axes`: an attribute up to opset 17, an input from opset 18. */
export function reduceMean(c: OpContext, x: string, axes: readonly number[], keepdims: boolean): string {
  if (c.g.opset >= 18) return c.g.op('ReduceMean', [x, c.g.int64s('axes', axes)], { keepdims: keepdims ? 1 : 0 })
  return c.g.op('ReduceMean', [x], { axes, keepdims: keepdims ? 1 : 0 })
}

/**
 * A mapping that needs these attributes from its op: missing ones (an op that does not pass
 * them to record() yet) are an error naming them, never a default that may be wrong.
 */
export function needs(names: readonly string[], mapping: OnnxMapping): OnnxMapping {
  const checked = (c: OpContext): string => {
    const missing = names.filter((n) => c.op.attributes[n] === undefined)
    if (missing.length > 0) {
      throw unsupported(c, `the op passed no ${missing.join(', ')} to record(); its ONNX mapping needs { ${names.join(', ')} } (see src/onnx/ops/index.ts)`)
    }
    return mapping(c)
  }
  return Object.assign(checked, { sizeAware: mapping.sizeAware })
}
