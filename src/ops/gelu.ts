import { record } from '../autograd/engine.js'
import { isGradEnabled } from '../autograd/grad-mode.js'
import { backend } from '../backend/index.js'
import { checkOptionKeys } from '../options.js'
import type { Tensor } from '../tensor.js'
import { asFloat, empty, floatDType, floats } from './operands.js'

export interface GeluOptions {
  /** 'none' (default): x·Φ(x) with the exact normal CDF; 'tanh': PyTorch's tanh approximation. */
  approximate?: 'none' | 'tanh'
}

/**
 * x·Φ(x), Φ the standard normal CDF: one fused kernel each way (the backend's gelu and
 * geluBackward, whose math and derivative are in src/backend/ts/gelu.ts), where the
 * composite of mul/erf/add made five tensors per call. Tracers see one GELU.
 */
export function gelu(input: Tensor, options: GeluOptions = {}): Tensor {
  checkOptionKeys('gelu', options, ['approximate'])
  const { approximate = 'none' } = options
  if (approximate !== 'none' && approximate !== 'tanh') throw new TypeError(`gelu: approximate must be 'none' or 'tanh', got ${String(approximate)}`)
  const tanhForm = approximate === 'tanh'
  const x = asFloat(input) // as the other activations: the kernel reads floats (wasm read int32 bits as floats)
  const dtype = floatDType(x)
  const out = empty(dtype, x.shape)
  // Training the exact form: the forward also writes gelu'(x) (it has Φ(x) at hand), so the
  // backward is one product that reads neither x nor an erf.
  const slope = !tanhForm && x.requiresGrad && isGradEnabled() ? floats(empty(dtype, x.shape)) : null
  backend().gelu(floats(x), floats(out), tanhForm, slope)
  return record(out, 'GeluBackward0', [x], (g) => {
    const dx = empty(dtype, x.shape)
    backend().geluBackward(floats(x), floats(g), floats(dx), tanhForm, slope)
    return [dx]
  }, { approximate }, x)
}
