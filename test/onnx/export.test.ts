import { describe, it } from 'vitest'
import { manualSeed, nn, randn, tensor, type Tensor } from '../../src/index.js'
import { exportOnnx } from '../../src/onnx.js'
import { seedExample } from '../../src/explain.js'
import { expectClose, forwardEval, runOrt } from './ort.js'

/** Models exported and run in ONNX Runtime, compared with yann's own forward. */

class Residual extends nn.Module {
  readonly inner = this.registerModule('inner', new nn.Linear(6, 6))
  readonly head = this.registerModule('head', new nn.Linear(6, 4, { bias: false }))
  forward(x: Tensor): Tensor {
    // Ops outside any layer: a skip connection, a scalar scale, tanh, a mean and a softmax.
    const h = this.inner.forward(x).tanh().add(x).mul(0.5)
    const centred = h.sub(h.mean(-1, true))
    return this.head.forward(centred).logSoftmax(-1)
  }
}

describe('exportOnnx → ONNX Runtime', () => {
  it('the seed network (1-D input) gives the seed\'s PyTorch outputs', async () => {
    const { model, input } = seedExample()
    const bytes = exportOnnx(model, [input])
    const [y] = await runOrt(bytes, { input })
    expectClose(y, forwardEval(model, input))
    // §3.1 of the seed: PyTorch's a2 to 15 digits.
    expectClose(y, tensor([0.772977357985251, 0.772986132033595]))
  })

  it('the MNIST MLP (examples/mnist.ts: 784-128-10) with a dynamic batch, run at three batch sizes', async () => {
    manualSeed(3)
    const model = new nn.Sequential(new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10), new nn.Sigmoid())
    const bytes = exportOnnx(model, [randn([4, 784])], { dynamicAxes: { input: { 0: 'batch' } } })
    for (const n of [1, 4, 7]) {
      const x = randn([n, 784])
      const [y] = await runOrt(bytes, { input: x })
      expectClose(y, forwardEval(model, x))
    }
  })

  it('a custom Module subclass (ops outside layers, 3-D input, float64 weights)', async () => {
    manualSeed(5)
    const model = new Residual()
    const x = randn([2, 3, 6])
    const [y] = await runOrt(exportOnnx(model, [x]), { input: x })
    expectClose(y, forwardEval(model, x))
    const model64 = new Residual()
    for (const p of model64.parameters()) p.requiresGrad = false
    const m64 = new nn.Sequential(new nn.Linear(6, 5, { dtype: 'float64' }), new nn.Tanh())
    const x64 = randn([3, 6], { dtype: 'float64' })
    const [y64] = await runOrt(exportOnnx(m64, [x64]), { input: x64 })
    expectClose(y64, forwardEval(m64, x64), 1e-12, 1e-12)
  })
})
