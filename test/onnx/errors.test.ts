import { describe, expect, it } from 'vitest'
import { F, nn, randn, tensor, zeros, type Tensor } from '../../src/index.js'
import { exportOnnx } from '../../src/onnx.js'

/** Bad input to exportOnnx: clear errors, never a silently different graph. */

class WithLoss extends nn.Module {
  readonly body = this.registerModule('body', new nn.Sequential(new nn.Linear(3, 2), new Mse()))
  forward(x: Tensor): Tensor {
    return this.body.forward(x)
  }
}

class Mse extends nn.Module {
  static readonly displayName = 'Mse'
  forward(x: Tensor): Tensor {
    return F.mseLoss(x, zeros(x.shape))
  }
}

class OffTape extends nn.Module {
  forward(x: Tensor): Tensor {
    // A value computed from the input's data outside the tape: frozen into a graph, it would be wrong.
    const scale = tensor([x.data[0]])
    return x.mul(scale)
  }
}

class Branchy extends nn.Module {
  forward(x: Tensor): Tensor {
    return x.sum().item() > 0 ? x.relu() : x.neg()
  }
}

describe('exportOnnx errors', () => {
  it('an op with no ONNX mapping: names the op, the module path and its class', () => {
    expect(() => exportOnnx(new WithLoss(), [randn([4, 3])])).toThrow(
      /no ONNX mapping for op MseLossBackward0 in module 'body\.1' \(Mse\); add one in src\/onnx\/ops\//,
    )
  })

  it('an example input of the wrong shape: the forward\'s own error, with the shapes given', () => {
    const model = new nn.Sequential(new nn.Linear(3, 2))
    expect(() => exportOnnx(model, [randn([4, 5])])).toThrow(/exportOnnx: the model's forward failed on the example inputs \(shapes \[4, 5\]\): linear: input of shape \[4, 5\] does not fit weight \[2, 3\]/)
  })

  it('a value derived from the input off the tape, and control flow on values', () => {
    expect(() => exportOnnx(new OffTape(), [tensor([[1, 2]])])).toThrow(/MulBackward0 in the model's own forward reads a tensor of shape \[1\] that depends on the input but was made by an op the tape does not record/)
    expect(() => exportOnnx(new Branchy(), [tensor([1, -3])])).toThrow(/the forward runs different ops for inputs of other sizes or values \(op 2: NegBackward0 vs ReluBackward0/)
  })

  it('bad arguments and options', () => {
    const model = new nn.Sequential(new nn.Linear(3, 2))
    const x = randn([1, 3])
    expect(() => exportOnnx({} as nn.Module, [x])).toThrow(/the model must be an nn.Module/)
    expect(() => exportOnnx(model, [])).toThrow(/exampleInputs must be a Tensor or a non-empty array of Tensors/)
    expect(() => exportOnnx(model, [x], { opset: 9 })).toThrow(/opset must be an integer from 17 to 21, got 9/)
    expect(() => exportOnnx(model, [x], { dynamic_axes: {} } as object)).toThrow(/unknown option 'dynamic_axes'; did you mean dynamicAxes\?/)
    expect(() => exportOnnx(model, [x], { inputNames: ['a', 'b'] })).toThrow(/inputNames must list 1 distinct non-empty names/)
    expect(() => exportOnnx(model, [x], { dynamicAxes: { input: [2] } })).toThrow(/dynamicAxes.input: dim 2 .* must be a dim index from 0 to 1/)
    expect(() => exportOnnx(model, [x], { dynamicAxes: { images: [0] } })).toThrow(/dynamicAxes names 'images', which is neither an input \(input\) nor an output \(output\)/)
  })

  it('training mode: exports the eval-mode graph and restores every module\'s flag', () => {
    const model = new nn.Sequential(new nn.Linear(3, 2), new nn.ReLU())
    model.train()
    exportOnnx(model, [randn([1, 3])])
    expect(model.modules().every((m) => m.training)).toBe(true)
    model.eval()
    exportOnnx(model, [randn([1, 3])])
    expect(model.modules().some((m) => m.training)).toBe(false)
  })
})

describe('an op that passes no attributes its mapping needs', () => {
  it('is an error naming the op, the missing attributes and the module, not a default', async () => {
    const { composite } = await import('../../src/autograd/engine.js')
    class NoDim extends nn.Module {
      forward(x: Tensor): Tensor {
        return composite('CatBackward0', [x, x], {}, () => x.add(x))
      }
    }
    expect(() => exportOnnx(new nn.Sequential(new NoDim()), [randn([2, 3])])).toThrow(
      /exportOnnx: CatBackward0 in module '0': the op passed no dim to record\(\); its ONNX mapping needs \{ dim \}/,
    )
  })
})
