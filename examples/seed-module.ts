/**
 * The seed example, section 4 ("PyTorch Model Based Version"), in yann: the same 3-3-2 network
 * as an nn.Module subclass, with BCELoss and optim.SGD (lr 0.01). Run it with
 * `npx tsx examples/seed-module.ts`; it prints what the seed's PyTorch printed.
 *
 * Python → yann: submodules are registered explicitly (TypeScript has no __setattr__),
 * `model(x)` is `model.forward(x)`, and `layer.weight.data = W` becomes writing the values in
 * place, `layer.weight.data.set(W.data)`, the one way to write a parameter that may live in wasm
 * memory. The seed declares `nn.Linear(3, 2)` for hidden1 and then swaps in a [3, 3] weight and a
 * [3] bias (PyTorch's `.data =` may change the shape); yann writes in place, so hidden1 is
 * declared with the shape it really has: `nn.Linear(3, 3)`.
 */
import { realpathSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { nn, optim, ready, tensor, type Tensor } from '../src/index.js'

export type Print = (...args: unknown[]) => void

const WEIGHTS1 = tensor([ [0.1, 0.5, 0.3 ], [0.7, 0.2, 0.9 ], [0.4, 0.25, 0.75] ])
const WEIGHTS2 = tensor([ [0.9, 0.6, 0.4 ], [0.3, 0.8, 0.7] ])
const TRAIN = tensor([0.23, 0.82, 0.47])
const LABEL = tensor([1, 0])

export class SimplisticNN extends nn.Module {
  readonly hidden1 = this.registerModule('hidden1', new nn.Linear(3, 3, { bias: true }))
  readonly activation1 = this.registerModule('activation1', new nn.ReLU())
  readonly hidden2 = this.registerModule('hidden2', new nn.Linear(3, 2, { bias: true }))
  readonly activation2 = this.registerModule('activation2', new nn.Sigmoid())
  readonly loss = this.registerModule('loss', new nn.BCELoss({ reduction: 'mean' }))

  constructor() {
    super()
    this.hidden1.weight.data.set(WEIGHTS1.data)
    this.hidden1.bias!.data.set([0, 0, 0])
    this.hidden2.weight.data.set(WEIGHTS2.data)
    this.hidden2.bias!.data.set([0, 0])
  }

  forward(batch: Tensor): Tensor {
    const hidden1 = this.hidden1.forward(batch)
    const activated1 = this.activation1.forward(hidden1)
    const hidden2 = this.hidden2.forward(activated1)
    const out = this.activation2.forward(hidden2)
    return out
  }
}

export function main(print: Print = console.log): void {
  const model = new SimplisticNN()
  // model.train()
  const y = model.forward(TRAIN)
  const output = model.loss.forward(y, LABEL)
  // for (const param of model.parameters()) print(String(param))
  const optimiser = new optim.SGD(model.parameters(), { lr: 0.01 })
  optimiser.zeroGrad()
  output.backward()
  print('grad W2 = \n', model.hidden2.weight.grad)
  print('grad b2 = ', model.hidden2.bias!.grad)
  print('grad W1 = \n', model.hidden1.weight.grad)
  print('grad b1 = ', model.hidden1.bias!.grad)
  optimiser.step()

  print('Loss =', output)
  print('Layer 1 Weights\n', model.hidden1.weight.detach())
  print('Layer 1 Bias\n', model.hidden1.bias!.detach())
  print('======================')
  print('Layer 2 Weights\n', model.hidden2.weight.detach())
  print('Layer 2 Bias\n', model.hidden2.bias!.detach())
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  await ready()
  main()
}
