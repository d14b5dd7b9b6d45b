import type { MappingTable, OnnxMapping, OpContext } from './types.js'

/** Matrix products: nn.Linear's op (y = x·Wᵀ + b) and matmul (NumPy semantics, as ONNX MatMul). */

/** x·Wᵀ (+ b): one Gemm for a 2-D input, else MatMul by the transposed weight (+ Add). */
function linear(c: OpContext): string {
  const [x, w, b] = c.inputs
  if (c.op.inputs[0].ndim === 2) return c.g.op('Gemm', b === undefined ? [x, w] : [x, w, b], { transB: 1 })
  const y = c.g.op('MatMul', [x, c.g.op('Transpose', [w], { perm: [1, 0] })])
  return b === undefined ? y : c.g.op('Add', [y, b])
}

const matmul: OnnxMapping = (c) => c.g.op('MatMul', c.inputs)

export const matmulOps: MappingTable = {
  AddmmBackward0: linear,
  // MmBackward0 is both nn.Linear without bias (x·Wᵀ) and a 2-D matmul (a·b): the attribute tells.
  MmBackward0: (c) => (c.op.attributes.linear ? linear(c) : matmul(c)),
  MvBackward0: matmul,
  DotBackward0: matmul,
  BmmBackward0: matmul,
}
