import { describe, expect, it } from 'vitest'
import { F, nn, randn, type Tensor } from '../../src/index.js'
import { exportOnnx } from '../../src/onnx.js'
import { opTypes } from './decode.js'
import { expectClose, forwardEval, runOrt } from './ort.js'

/** The activations of the op table (issue 12) exported as their ONNX ops and run in ONNX Runtime. */

class Activations extends nn.Module {
  forward(x: Tensor): Tensor {
    const parts = [
      F.leakyRelu(x, { negativeSlope: 0.2 }),
      F.elu(x, { alpha: 0.5 }),
      F.gelu(x),
      F.gelu(x, { approximate: 'tanh' }),
      F.softplus(x, { beta: 2, threshold: 1 }),
      F.silu(x),
      F.mish(x),
      F.logSigmoid(x),
      F.softsign(x),
      F.relu6(x.mul(4)),
      F.hardtanh(x, { minVal: -0.5, maxVal: 0.7 }),
      x.sin().add(x.cos()).add(x.abs().log1p()).add(x.expm1()).add(x.square()).add(x.abs().add(1).rsqrt()),
    ]
    return parts.reduce((a, b) => a.add(b))
  }
}

describe('op-table activations in ONNX Runtime', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`${dtype}: one ONNX op (or its float64 spelling) per activation, values as yann's`, async () => {
      const model = new Activations()
      const x = randn([4, 6], { dtype }).mul(3)
      const bytes = exportOnnx(model, [x], { dynamicAxes: { input: [0] } })
      if (dtype === 'float32') {
        const types = new Set(opTypes(bytes))
        for (const op of ['LeakyRelu', 'Elu', 'Erf', 'Softplus', 'Clip', 'Sin', 'Cos']) expect(types.has(op), op).toBe(true)
      }
      const [atol, rtol] = dtype === 'float32' ? [1e-5, 1e-4] : [1e-7, 1e-6]
      for (const input of [x, randn([2, 6], { dtype })]) {
        const [y] = await runOrt(bytes, { input })
        expectClose(y, forwardEval(model, input), atol, rtol)
      }
    })
  }
})
