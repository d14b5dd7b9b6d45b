import { nn, optim, Tensor, tensor } from '../../src/index.js'
import { createModel } from '../../examples/mnist.js'
import type { DT, Setup } from './helpers.js'

/** The seed network: 3-3-2, ReLU, sigmoid, BCE, plain SGD. */
export function seed(dtype: DT): Setup {
  const model = new nn.Sequential(new nn.Linear(3, 3, { dtype }), new nn.ReLU(), new nn.Linear(3, 2, { dtype }), new nn.Sigmoid())
  return trainingStep(model, new optim.SGD(model.parameters(), { lr: 0.5 }), new nn.BCELoss())
}

/** The MNIST MLP's shape (784-256-10, cross-entropy on one-hot targets), SGD with momentum. */
export function mlp(dtype: DT): Setup {
  const model = new nn.Sequential(new nn.Linear(784, 256, { dtype }), new nn.ReLU(), new nn.Linear(256, 10, { dtype }))
  return trainingStep(model, new optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 }), new nn.CrossEntropyLoss())
}

/** The MNIST example's MLP as examples/mnist.ts trains it: 784-128-10, sigmoid, BCE on one-hot targets, SGD lr 0.5 momentum 0.9. */
export function mnistExample(dtype: DT): Setup {
  const model = createModel().to(dtype)
  return trainingStep(model, new optim.SGD(model.parameters(), { lr: 0.5, momentum: 0.9 }), new nn.BCELoss())
}

/** One model per optimiser (SGD nesterov + weight decay, Adam with weight decay, AdamW, RMSprop, Adagrad), one summed loss. */
export function everyOptimizer(dtype: DT): Setup {
  const heads = [0, 1, 2, 3, 4].map(() => new nn.Sequential(new nn.Linear(4, 5, { dtype }), new nn.Tanh(), new nn.Linear(5, 2, { dtype })))
  const model = new nn.Sequential(...heads)
  const opts = [
    new optim.SGD(heads[0].parameters(), { lr: 0.1, momentum: 0.8, nesterov: true, weightDecay: 0.01 }),
    new optim.Adam(heads[1].parameters(), { lr: 0.01, weightDecay: 0.02 }),
    new optim.AdamW(heads[2].parameters(), { lr: 0.01, weightDecay: 0.1 }),
    new optim.RMSprop(heads[3].parameters(), { lr: 0.01, momentum: 0.5 }),
    new optim.Adagrad(heads[4].parameters(), { lr: 0.05 }),
  ]
  const lossFn = new nn.MSELoss()
  const step = (x: Tensor, y: Tensor): Tensor => {
    for (const o of opts) o.zeroGrad()
    const loss = heads.map((h) => lossFn.forward(h.forward(x), y)).reduce((a, b) => a.add(b))
    loss.backward()
    for (const o of opts) o.step()
    return loss
  }
  return { step, params: [...model.parameters()], model, opts }
}

/** Inputs of step i for a classifier of 5 classes: x [rows, 12] and int32 class targets [rows] in [0, 5). */
export function classBatch(i: number, rows: number, dtype: DT): [Tensor, Tensor] {
  const x = tensor(Array.from({ length: rows * 12 }, (_, k) => Math.sin(0.37 * k + 1.3 * i)), { dtype }).reshape([rows, 12])
  return [x, new Tensor(Int32Array.from({ length: rows }, (_, k) => (k * 3 + i) % 5), [rows])]
}

/** A 12-16-5 MLP classifier trained with Adam, its loss `lossFn` (class-index targets). */
export function classMlp(dtype: DT, lossFn: { forward(y: Tensor, t: Tensor): Tensor }): Setup {
  const model = new nn.Sequential(new nn.Linear(12, 16, { dtype }), new nn.ReLU(), new nn.Linear(16, 5, { dtype }))
  return trainingStep(model, new optim.Adam(model.parameters(), { lr: 0.01 }), lossFn)
}

/** The usual step of `model` (through `forward`): zeroGrad, the loss, backward, the optimiser's step. */
export function trainingStep(
  model: nn.Module,
  opt: optim.SGD | optim.Adam | optim.AdamW,
  lossFn: { forward(y: Tensor, t: Tensor): Tensor } = new nn.MSELoss(),
  forward = (x: Tensor): Tensor => model.forward(x) as Tensor,
): Setup {
  const step = (x: Tensor, y: Tensor): Tensor => {
    opt.zeroGrad()
    const loss = lossFn.forward(forward(x), y)
    loss.backward()
    opt.step()
    return loss
  }
  return { step, params: [...model.parameters()], model, opts: [opt] }
}


class Flatten extends nn.Module {
  forward(x: Tensor): Tensor {
    return x.reshape([x.shape[0], -1])
  }
}

/** A small CNN: convolution, max- and average-pooling (kernels writing several outputs), Adam. */
export function cnn(dtype: DT): Setup {
  const model = new nn.Sequential(
    new nn.Conv2d(1, 4, 3, { padding: 1, dtype }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(4, 4, 3, { padding: 1, dtype }), new nn.AvgPool2d(2), new Flatten(), new nn.Linear(16, 3, { dtype }),
  )
  return trainingStep(model, new optim.Adam(model.parameters(), { lr: 0.01 }))
}

/** A transformer block: layer norm, self-attention, GELU MLP, AdamW. */
export function block(dtype: DT): Setup {
  const ln = new nn.LayerNorm([8], { dtype })
  const attn = new nn.MultiheadAttention(8, 2, { batchFirst: true, dtype })
  const mlp = new nn.Sequential(new nn.Linear(8, 16, { dtype }), new nn.GELU(), new nn.Linear(16, 8, { dtype }))
  const model = new nn.ModuleList([ln, attn, mlp])
  const forward = (x: Tensor): Tensor => {
    const h = ln.forward(x)
    const a = attn.forward(h, h, h, { needWeights: false })[0]
    return mlp.forward(x.add(a))
  }
  return trainingStep(model, new optim.AdamW(model.parameters(), { lr: 0.01 }), new nn.MSELoss(), forward)
}

