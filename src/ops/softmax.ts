import { record } from '../autograd/engine.js'
import { backend } from '../backend/index.js'
import { normalizeDim, splitAt } from '../shape.js'
import type { Tensor } from '../tensor.js'
import { asFloat, castFor, empty, floatDType, floats, type DTypeOptions } from './operands.js'

function softmaxOp(gradFnName: string, input: Tensor, dim: number, log: boolean): Tensor {
  const op = log ? 'logSoftmax' : 'softmax'
  if (typeof dim !== 'number') throw new TypeError(`${op}: dim is required (e.g. ${op}(x, -1)), got ${dim}`)
  const x = asFloat(input)
  const [outer, n, inner] = splitAt(x.shape, normalizeDim(op, dim, x.ndim, x.shape))
  const y = empty(floatDType(x), x.shape)
  backend().softmax(floats(x), floats(y), outer, n, inner, log)
  return record(y, gradFnName, [x], (g) => {
    const dx = empty(floatDType(x), x.shape)
    backend().softmaxBackward(floats(y), floats(g), floats(dx), outer, n, inner, log)
    return [dx]
  }, { dim }, y)
}

/** exp(x) / Σ exp(x) along `dim`. */
export const softmax = (x: Tensor, dim: number, options?: DTypeOptions): Tensor => softmaxOp('SoftmaxBackward0', castFor('softmax', x, options), dim, false)

/** log(softmax(x)) along `dim`, computed stably. */
export const logSoftmax = (x: Tensor, dim: number, options?: DTypeOptions): Tensor => softmaxOp('LogSoftmaxBackward0', castFor('logSoftmax', x, options), dim, true)
