/**
 * "Learning PyTorch with Examples", parts 3 and 4 (nn and optim), in yann: the same cubic fit of
 * sin(x) as a model, Linear(3, 1) on the features [x, x², x³] followed by Flatten(0, 1), with a
 * summed MSELoss and RMSprop (lr 1e-3) as the tutorial. Run it with `npx tsx examples/fit-sin-nn.ts`.
 */
import { realpathSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { manualSeed, nn, optim, ready, tensor, type Tensor } from '../src/index.js'
import { sinData, type Print } from './fit-sin-autograd.js'

/** The features [x, x², x³] of each point: shape [n, 3], as the tutorial's x.unsqueeze(-1).pow(torch.tensor([1, 2, 3])). */
export function cubicFeatures(x: Tensor): Tensor {
  return x.unsqueeze(-1).pow(tensor([1, 2, 3], { dtype: x.dtype }))
}

export function main(print: Print = console.log, steps = 2000): { losses: number[]; coefficients: number[] } {
  manualSeed(0)
  const { x, y } = sinData('float32')
  const xx = cubicFeatures(x)
  const linear = new nn.Linear(3, 1)
  const model = new nn.Sequential(linear, new nn.Flatten(0, 1))
  const lossFn = new nn.MSELoss({ reduction: 'sum' })
  const optimizer = new optim.RMSprop(model.parameters(), { lr: 1e-3 })
  const losses: number[] = []
  for (let t = 0; t < steps; t++) {
    const yPred = model.forward(xx)
    const loss = lossFn.forward(yPred, y)
    losses.push(loss.item())
    if (t % 100 === 99) print(t, loss.item())
    optimizer.zeroGrad()
    loss.backward()
    optimizer.step()
  }
  const coefficients = [linear.bias!.item(), ...Array.from(linear.weight.data)]
  print(`Result: y = ${coefficients[0]} + ${coefficients[1]} x + ${coefficients[2]} x^2 + ${coefficients[3]} x^3`)
  return { losses, coefficients }
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  await ready()
  main()
}
