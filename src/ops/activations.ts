import { composite, record } from '../autograd/engine.js'
import { backend } from '../backend/index.js'
import { replayedStep } from '../compile/hooks.js'
import type { FloatArray } from '../dtype.js'
import { checkOptionKeys } from '../options.js'
import { formatShape } from '../shape.js'
import type { Tensor } from '../tensor.js'
import { where } from './compare.js'
import { asFloat, empty, floatDType, floats } from './operands.js'
import { clamp, expm1, log1p, relu, sigmoid, tanh } from './unary.js'

export { gelu, type GeluOptions } from './gelu.js'

/**
 * Activations written from existing ops (their gradients come from those ops' backwards).
 * Only gelu (the GPT's MLP, hot in bench/gpt.ts) is a fused kernel, in ./gelu.ts; the others
 * are a few elementwise passes that no benchmark shows hot.
 */

/** x·σ(x), torch.nn.functional.silu. */
export function silu(x: Tensor): Tensor {
  return composite('SiluBackward0', [x], {}, () => x.mul(sigmoid(x)))
}

/** x·tanh(softplus(x)), torch.nn.functional.mish. */
export function mish(x: Tensor): Tensor {
  return composite('MishBackward0', [x], {}, () => x.mul(tanh(softplus(x))))
}

/** log σ(x) = −softplus(−x), computed stably. */
export function logSigmoid(x: Tensor): Tensor {
  return composite('LogSigmoidBackward0', [x], {}, () => softplus(x.neg()).neg())
}

/** x / (1 + |x|). */
export function softsign(x: Tensor): Tensor {
  return composite('SoftsignBackward0', [x], {}, () => x.div(x.abs().add(1)))
}

/** min(max(x, 0), 6): hardtanh(x, 0, 6), as in PyTorch (gradient 0 at 0 and 6). */
export function relu6(x: Tensor): Tensor {
  return hardtanh(x, { minVal: 0, maxVal: 6 })
}

export interface LeakyReluOptions {
  /** Default 0.01. */
  negativeSlope?: number
}

/** x where x > 0, else negativeSlope·x; the gradient at 0 is negativeSlope, as in PyTorch. */
export function leakyRelu(x: Tensor, options: LeakyReluOptions = {}): Tensor {
  checkOptionKeys('leakyRelu', options, ['negativeSlope'])
  const { negativeSlope = 0.01 } = options
  return composite('LeakyReluBackward0', [x], { negativeSlope }, () => relu(x).add(clamp(x, null, 0).mul(negativeSlope)))
}

export interface EluOptions {
  /** Default 1. */
  alpha?: number
}

/** x where x > 0, else alpha·(eˣ − 1); the gradient at 0 is alpha, as in PyTorch. */
export function elu(x: Tensor, options: EluOptions = {}): Tensor {
  checkOptionKeys('elu', options, ['alpha'])
  const { alpha = 1 } = options
  return composite('EluBackward0', [x], { alpha }, () => relu(x).add(expm1(clamp(x, null, 0)).mul(alpha)))
}

export interface SoftplusOptions {
  /** Default 1. */
  beta?: number
  /** Where beta·x > threshold the result is x itself (default 20). */
  threshold?: number
}

/** (1/beta)·log(1 + e^(beta·x)), computed as (relu(βx) + log1p(e^−|βx|))/β; x where βx > threshold. */
export function softplus(x: Tensor, options: SoftplusOptions = {}): Tensor {
  checkOptionKeys('softplus', options, ['beta', 'threshold'])
  const { beta = 1, threshold = 20 } = options
  return composite('SoftplusBackward0', [x], { beta, threshold }, () => {
    const bx = beta === 1 ? x.detach() : x.detach().mul(beta)
    const linear = bx.gt(threshold)
    // max(βx, 0) + log1p(e^−|βx|) never overflows; x itself where βx > threshold (a select: a 0/1
    // mask times ±inf was NaN). The gradient is PyTorch's σ(βx), written out: through relu and
    // abs it came out 0 at x = 0, where it is 1/2.
    const stable = relu(bx).add(log1p(bx.abs().neg().exp()))
    const y = where(linear, x.detach(), beta === 1 ? stable : stable.div(beta))
    return record(y, 'SoftplusBackward0', [x], (g) => [where(linear, g, g.mul(sigmoid(bx)))], { beta, threshold }, x)
  })
}

export interface HardtanhOptions {
  /** Default −1. */
  minVal?: number
  /** Default 1. */
  maxVal?: number
}

/**
 * min(max(x, minVal), maxVal). Gradient: 1 strictly inside (minVal, maxVal), 0 at the bounds
 * and beyond, as PyTorch's hardtanh_backward (clamp's gradient is 1 at the bounds).
 */
export function hardtanh(input: Tensor, options: HardtanhOptions = {}): Tensor {
  checkOptionKeys('hardtanh', options, ['minVal', 'maxVal'])
  const { minVal = -1, maxVal = 1 } = options
  // On integers PyTorch's hardtanh is a clamp keeping the dtype (relu6 of int32 is int32); bool is refused.
  if (input.dtype === 'bool') throw new TypeError(`hardtanh: not supported on a bool tensor (shape ${formatShape(input.shape)}), as in PyTorch; convert it with .int() or .float() first`)
  if (input.dtype === 'int32') return clamp(input, minVal, maxVal)
  const x = asFloat(input)
  const y = empty(floatDType(x), x.shape)
  backend().clamp(floats(x), minVal, maxVal, floats(y))
  return record(y, 'HardtanhBackward0', [x], (g) => {
    const dx = empty(floatDType(x), x.shape)
    // A replayedStep: a compiled step redoes it on each call's values, as a kernel.
    replayedStep('hardtanhGrad', passInside, [floats(x), floats(g), floats(dx), minVal, maxVal])
    return [dx]
  }, { minVal, maxVal }, x)
}

/** g where minVal < x < maxVal, else 0. */
function passInside(xs: FloatArray, gs: FloatArray, out: FloatArray, minVal: number, maxVal: number): void {
  for (let i = 0; i < out.length; i++) out[i] = xs[i] > minVal && xs[i] < maxVal ? gs[i] : 0
}
