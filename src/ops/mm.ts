import { requireTensor } from '../argument-checks.js'
import { formatShape } from '../shape.js'
import type { Tensor } from '../tensor.js'
import { matmul } from './matmul.js'
import { transposeAs } from './shape.js'

/** t, mm, bmm: PyTorch's shape-strict forms of transpose and matmul (same kernels, same gradients). */

/** The transpose of a matrix; a 0-D or 1-D tensor as it is. PyTorch refuses more dims, and so does this. */
export function t(x: Tensor): Tensor {
  if (x.ndim > 2) {
    throw new Error(`t: expects a tensor with <= 2 dimensions, but the tensor of shape ${formatShape(x.shape)} is ${x.ndim}-D; use transpose(-2, -1) (PyTorch's mT) to transpose the last two dims, or permute(...) to reorder all of them`)
  }
  return transposeAs('t', 'TBackward0', x, 0, x.ndim - 1)
}

/** The matrix product of two 2-D tensors, [n, m] · [m, p] → [n, p] (no broadcasting: matmul has it). */
export function mm(a: Tensor, b: Tensor): Tensor {
  requireTensor('mm', 'mat2', b)
  if (a.ndim !== 2 || b.ndim !== 2) {
    throw new Error(`mm: ${a.ndim !== 2 ? 'self' : 'mat2'} must be a matrix (2-D), got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}; use matmul for vectors and batches`)
  }
  if (a.shape[1] !== b.shape[0]) {
    throw new Error(`mm: mat1 and mat2 shapes cannot be multiplied (${a.shape.join('x')} and ${b.shape.join('x')}): mat1's columns must equal mat2's rows; transpose one of them`)
  }
  return matmul(a, b)
}

/** Batched matrix product of two 3-D tensors, [b, n, m] · [b, m, p] → [b, n, p] (no broadcasting: matmul has it). */
export function bmm(a: Tensor, b: Tensor): Tensor {
  requireTensor('bmm', 'batch2', b)
  if (a.ndim !== 3 || b.ndim !== 3) {
    throw new Error(`bmm: ${a.ndim !== 3 ? 'batch1' : 'batch2'} must be a 3D tensor, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}; use matmul to broadcast batch dims`)
  }
  if (a.shape[0] !== b.shape[0] || a.shape[2] !== b.shape[1]) {
    throw new Error(`bmm: expected size for first two dimensions of batch2 tensor to be: [${a.shape[0]}, ${a.shape[2]}] but got: [${b.shape[0]}, ${b.shape[1]}] (shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}); the batch sizes must match and batch1's last dim must equal batch2's middle one`)
  }
  return matmul(a, b)
}
