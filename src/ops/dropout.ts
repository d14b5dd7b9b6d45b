import { composite } from '../autograd/engine.js'
import { backend } from '../backend/index.js'
import { checkOptionKeys } from '../nn/options.js'
import { Generator, random } from '../random.js'
import { formatShape } from '../shape.js'
import { Tensor } from '../tensor.js'
import { empty, floatDType, floats } from './operands.js'

/**
 * Dropout: in training, each element (dropout) or each whole channel (dropout2d) is zeroed
 * with probability p and the survivors scaled by 1/(1 − p), so the expected value is kept.
 * The mask comes from `generator` (or the global one: manualSeed). Identity when not training.
 */
export interface DropoutOptions {
  p?: number
  training?: boolean
  generator?: Generator
}

/** A kernel call (not a loop here): a compiled step replays it, drawing new numbers each time. */
export function dropMask(x: Tensor, p: number, per: number, generator?: Generator): Tensor {
  const mask = empty(floatDType(x), x.shape)
  backend().dropoutMask(floats(mask), { p, per, random: generator ? () => generator.random() : random })
  return mask
}

function dropoutOp(op: string, x: Tensor, options: DropoutOptions, channelwise: boolean): Tensor {
  checkOptionKeys(op, options, ['p', 'training', 'generator'])
  const { p = 0.5, training = true, generator } = options
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new RangeError(`${op}: p must be a probability in [0, 1], got ${p}`)
  if (!training || p === 0) return x
  // Tracers (ONNX export) see one dropout op, which they refuse: a graph does not drop.
  return composite('NativeDropoutBackward0', [x], { p, training }, () => drop(op, x, p, channelwise, generator))
}

function drop(op: string, x: Tensor, p: number, channelwise: boolean, generator: Generator | undefined): Tensor {
  if (p === 1) return x.mul(0)
  if (!channelwise) return x.mul(dropMask(x, p, 1, generator))
  if (x.ndim !== 3 && x.ndim !== 4) throw new Error(`${op}: expected [N, C, H, W] or [C, H, W], got shape ${formatShape(x.shape)}`)
  const per = x.shape[x.ndim - 1] * x.shape[x.ndim - 2]
  return x.mul(dropMask(x, p, per, generator))
}

/** Zero each element with probability p, scale the rest by 1/(1 − p) (training defaults to true, as F.dropout). */
export function dropout(x: Tensor, options: DropoutOptions = {}): Tensor {
  return dropoutOp('dropout', x, options, false)
}

/** Zero whole channels of [N, C, H, W] (or [C, H, W]) with probability p, scale the rest by 1/(1 − p). */
export function dropout2d(x: Tensor, options: DropoutOptions = {}): Tensor {
  return dropoutOp('dropout2d', x, options, true)
}
