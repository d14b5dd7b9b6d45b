import { describe, expect, it } from 'vitest'
import { nn, randn, type Tensor } from '../../src/index.js'
import { exportOnnx } from '../../src/onnx.js'
import { composite } from '../../src/autograd/engine.js'
import { opTypes } from './decode.js'
import { expectClose, forwardEval, runOrt } from './ort.js'

/** composite(): an op written with other ops is one op to the tracer; its mapping's refusals. */

class Composite extends nn.Module {
  constructor(private readonly name: string, private readonly attributes: Record<string, unknown>) {
    super()
  }
  forward(x: Tensor): Tensor {
    // relu written as (x + |x|) / 2: autograd records Abs, Add, Mul; the tracer sees one op.
    return composite(this.name, [x], this.attributes, () => x.add(x.abs()).mul(0.5))
  }
}

describe('composite ops in export', () => {
  it('the tracer sees one op in place of the ops inside (one Relu node), autograd still sees them', async () => {
    const model = new Composite('ReluBackward0', {})
    const x = randn([3, 4])
    const bytes = exportOnnx(model, [x])
    expect(opTypes(bytes)).toEqual(['Relu', 'Identity'])
    const [y] = await runOrt(bytes, { input: x })
    expectClose(y, forwardEval(model, x))
    const leaf = randn([2])
    leaf.requiresGrad = true
    const out = new Composite('ReluBackward0', {}).forward(leaf)
    expect(out.gradFn?.name).toBe('MulBackward0')
  })

  it('dropout that drops and batch statistics are refused with the fix', () => {
    expect(() => exportOnnx(new Composite('NativeDropoutBackward0', { p: 0.5, training: true }), [randn([2, 3])])).toThrow(
      /NativeDropoutBackward0 in the model's own forward: dropout with p = 0.5 and training: true; export traces in eval mode, so pass training: this.training/,
    )
    expect(() => exportOnnx(new Composite('NativeBatchNormBackward0', { eps: 1e-5, training: true, hasWeight: false, hasBias: false }), [randn([2, 3])])).toThrow(
      /batch normalisation with batch statistics \(training: true\)/,
    )
    // Dropout with p = 0 maps to Identity.
    expect(opTypes(exportOnnx(new Composite('NativeDropoutBackward0', { p: 0, training: true }), [randn([2, 3])]))).toEqual(['Identity', 'Identity'])
  })
})
