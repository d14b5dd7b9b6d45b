import { F } from '../../src/index.js'
import { ops2Suite } from '../oracle/ops2.js'

/** The PyTorch ops2 cases of the elementwise ops and activations, on the project's backend (forced wasm in the wasm project). */

ops2Suite('elementwise', {
  sin: (_, [x]) => x.sin(),
  cos: (_, [x]) => x.cos(),
  log1p: (_, [x]) => x.log1p(),
  expm1: (_, [x]) => x.expm1(),
  square: (_, [x]) => x.square(),
  rsqrt: (_, [x]) => x.rsqrt(),
  reciprocal: (_, [x]) => x.reciprocal(),
  sign: (_, [x]) => x.sign(),
  floor: (_, [x]) => x.floor(),
  round: (_, [x]) => x.round(),
  pow_tensor: (_, [a, b]) => a.pow(b),
  minimum: (_, [a, b]) => a.minimum(b),
})

ops2Suite('activations', {
  silu: (_, [x]) => F.silu(x),
  mish: (_, [x]) => F.mish(x),
  log_sigmoid: (_, [x]) => F.logSigmoid(x),
  softsign: (_, [x]) => F.softsign(x),
  relu6: (_, [x]) => F.relu6(x),
  leaky_relu: (a, [x]) => F.leakyRelu(x, { negativeSlope: a.negative_slope }),
  elu: (a, [x]) => F.elu(x, { alpha: a.alpha }),
  gelu: (a, [x]) => F.gelu(x, { approximate: a.approximate }),
  softplus: (a, [x]) => F.softplus(x, { beta: a.beta, threshold: a.threshold }),
  hardtanh: (a, [x]) => F.hardtanh(x, { minVal: a.min_val, maxVal: a.max_val }),
})
