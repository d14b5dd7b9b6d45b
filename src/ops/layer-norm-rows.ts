import { record, type OpAttributes } from '../autograd/engine.js'
import { backend } from '../backend/index.js'
import type { Tensor } from '../tensor.js'
import { empty, floatDType, floats } from './operands.js'

/**
 * Layer norm's kernel: each row of n trailing elements becomes (x − mean)·rstd·w + b in one
 * pass (the backend's layerNorm; its math and gradient are in src/backend/ts/layer-norm.ts),
 * where a composite of sum/sub/mul/pow made eight tensors of x's size. `weight` and `bias`
 * may be null. Views of wasm memory are taken after every allocation (growth detaches them).
 */
export function layerNormRows(x: Tensor, n: number, weight: Tensor | null, bias: Tensor | null, attributes: OpAttributes): Tensor {
  const rows = n === 0 ? 0 : x.numel() / n
  const dtype = floatDType(x)
  const out = empty(dtype, x.shape)
  const mean = empty(dtype, [rows])
  const rstd = empty(dtype, [rows])
  const eps = attributes.eps as number
  backend().layerNorm(floats(x), weight && floats(weight), bias && floats(bias), floats(out), floats(mean), floats(rstd), n, eps)
  const inputs = [x, weight, bias].filter((t): t is Tensor => t !== null)
  return record(out, 'NativeLayerNormBackward0', inputs, (g) => {
    const dx = empty(dtype, x.shape)
    const dw = weight && empty(dtype, weight.shape)
    const db = bias && empty(dtype, bias.shape)
    backend().layerNormBackward(floats(x), weight && floats(weight), floats(mean), floats(rstd), floats(g), floats(dx), dw && floats(dw), db && floats(db), n)
    return [dx, dw, db].filter((t): t is Tensor => t !== null)
  }, attributes, weight ? [x, weight] : x)
}
