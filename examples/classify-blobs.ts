/**
 * A classifier trained the PyTorch way, with the training utilities: three Gaussian blobs of 2-D
 * points, a TensorDataset and a shuffling DataLoader, an MLP with CrossEntropyLoss (label
 * smoothing), RMSprop under a StepLR schedule, gradient clipping, and the accuracy computed as
 * `model(x).argmax(1).eq(y).float().mean()`. Run it with `npx tsx examples/classify-blobs.ts`.
 */
import { realpathSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { data, Generator, manualSeed, nn, noGrad, optim, randn, ready, Tensor, tensor } from '../src/index.js'

export type Print = (...args: unknown[]) => void

const CENTERS = [
  [0, 2],
  [-2, -1],
  [2, -1],
]

/** `perClass` points around each centre (standard deviation 0.8) and their int32 class labels. */
export function blobs(perClass: number, generator: Generator): { x: Tensor; y: Tensor } {
  const noise = randn([CENTERS.length * perClass, 2], { generator }).data
  const points: number[][] = []
  const labels: number[] = []
  CENTERS.forEach(([cx, cy], label) => {
    for (let i = 0; i < perClass; i++) {
      const k = label * perClass + i
      points.push([cx + 0.8 * noise[2 * k], cy + 0.8 * noise[2 * k + 1]])
      labels.push(label)
    }
  })
  return { x: tensor(points), y: tensor(labels, { dtype: 'int32' }) }
}

/** The fraction of rows whose highest score is the label. */
export function accuracy(model: nn.Module, x: Tensor, y: Tensor): number {
  return noGrad(() => model.forward(x).argmax(1).eq(y).float().mean().item())
}

export function main(print: Print = console.log, epochs = 15): { losses: number[]; trainAccuracy: number; testAccuracy: number } {
  manualSeed(0)
  const generator = new Generator(0)
  const train = blobs(100, generator)
  const test = blobs(50, generator)
  const loader = new data.DataLoader(new data.TensorDataset(train.x, train.y), { batchSize: 32, shuffle: true, generator })
  const model = new nn.Sequential(new nn.Linear(2, 16), new nn.ReLU(), new nn.Linear(16, 3))
  const lossFn = new nn.CrossEntropyLoss({ labelSmoothing: 0.05 })
  const optimizer = new optim.RMSprop(model.parameters(), { lr: 0.01 })
  const scheduler = new optim.lrScheduler.StepLR(optimizer, { stepSize: 5, gamma: 0.5 })
  const losses: number[] = []
  for (let epoch = 0; epoch < epochs; epoch++) {
    let total = 0
    for (const [xb, yb] of loader) {
      const loss = lossFn.forward(model.forward(xb), yb)
      optimizer.zeroGrad()
      loss.backward()
      nn.utils.clipGradNorm(model.parameters(), 5)
      optimizer.step()
      total += loss.item() * yb.numel()
    }
    scheduler.step()
    losses.push(total / train.y.numel())
    print(`epoch ${epoch + 1}: loss ${losses[epoch].toFixed(4)}, lr ${scheduler.getLastLr()[0]}`)
  }
  const trainAccuracy = accuracy(model, train.x, train.y)
  const testAccuracy = accuracy(model, test.x, test.y)
  print(`accuracy: train ${trainAccuracy.toFixed(3)}, test ${testAccuracy.toFixed(3)}`)
  return { losses, trainAccuracy, testAccuracy }
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  await ready()
  main()
}
