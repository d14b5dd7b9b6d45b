import { activationOps } from './activation.js'
import { convOps } from './conv.js'
import { elementwise } from './elementwise.js'
import { mathOps } from './math.js'
import { maskOps } from './mask.js'
import { matmulOps } from './matmul.js'
import { normOps } from './norm.js'
import { reduceOps } from './reduce.js'
import { selectOps } from './select.js'
import { sequenceOps } from './sequence.js'
import { shapeOps } from './shape.js'
import { sortOps } from './sort.js'
import type { MappingTable } from './types.js'

/**
 * Every op the exporter knows: gradFn name (what the op passes to record()) → the ONNX nodes
 * that compute it. To add an op family:
 * 1. make its op pass what ONNX needs beyond the tensors to record(), as the 5th argument
 *    (`record(out, 'SoftmaxBackward0', [x], vjp, { dim })`); an op written with other ops
 *    wraps its body in `composite(name, inputs, attributes, () => ...)` (autograd/engine.ts)
 *    so a tracer sees one op; an op autograd does not record (a bool or int32 result) shows
 *    itself with `traced(out, name, inputs, attributes)` under its own name (`gt`, `argmax`);
 *    each family's file lists the attributes its ops must pass;
 * 2. write `ops/<family>.ts` exporting a MappingTable: one entry per gradFn name, each a few
 *    lines calling `c.g.op(opType, inputs, attributes)` (see elementwise.ts, reduce.ts);
 * 3. add it to the list below, and a case to test/onnx/ that runs the export in ONNX Runtime.
 * An op missing here stops the export with an error naming the op and its module.
 */
export const MAPPINGS: MappingTable = Object.assign({}, elementwise, matmulOps, reduceOps, shapeOps, mathOps, activationOps, convOps, normOps, sequenceOps, selectOps, sortOps, maskOps)
