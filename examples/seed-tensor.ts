/**
 * The seed example, section 2 ("PyTorch Tensor Version"), in yann: a 3-3-2 network written with
 * plain tensors (ReLU, then Sigmoid, binary cross-entropy), one SGD step with lr 0.01.
 * Run it with `npx tsx examples/seed-tensor.ts`; it prints what the seed's PyTorch printed.
 *
 * Python → yann: `w1 @ INPUT` is `w1.matmul(INPUT)`, `fn.binary_cross_entropy` is
 * `F.binaryCrossEntropy`, `opt.SGD((w1, ...), lr=0.01)` is `new optim.SGD([w1, ...], { lr: 0.01 })`,
 * and `w1.data` (the values without the graph) is `w1.detach()`: in yann `.data` is the raw typed array.
 */
import { realpathSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { F, optim, ready, relu, sigmoid, tensor } from '../src/index.js'

export type Print = (...args: unknown[]) => void

const INPUT = tensor([0.23, 0.82, 0.47])
const LABEL = tensor([1, 0])

export function main(print: Print = console.log): void {
  const w1 = tensor([ [0.1, 0.5, 0.3 ], [0.7, 0.2, 0.9 ], [0.4, 0.25, 0.75] ], { requiresGrad: true })
  const b1 = tensor([0.0, 0.0, 0.0], { requiresGrad: true })
  const w2 = tensor([ [0.9, 0.6, 0.4 ], [0.3, 0.8, 0.7] ], { requiresGrad: true })
  const b2 = tensor([0.0, 0.0], { requiresGrad: true })
  const a1 = relu(w1.matmul(INPUT).add(b1))
  const optimiser = new optim.SGD([w1, b1, w2, b2], { lr: 0.01 })
  optimiser.zeroGrad()
  print('activated 1 = ', a1, 'Bias 2 = ', b2)
  const a2 = sigmoid(w2.matmul(a1).add(b2))
  print('activated 2 = ', a2)
  const loss = F.binaryCrossEntropy(a2, LABEL, { weight: null, reduction: 'mean' })
  print('Loss =', loss)
  loss.backward()
  print('grad W2 = \n', w2.grad)
  print('grad b2 = ', b2.grad)
  print('grad W1 = \n', w1.grad)
  print('grad b1 = ', b1.grad)
  optimiser.step()
  print('Layer 1 Weights\n', w1.detach())
  print('Layer 1 Bias', b1.detach())
  print('======================')
  print('Layer 2 Weights\n', w2.detach())
  print('Layer 2 Bias', b2.detach())
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  await ready()
  main()
}
