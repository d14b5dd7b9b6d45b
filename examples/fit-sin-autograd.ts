/**
 * "Learning PyTorch with Examples", part 2 (tensors and autograd), in yann: fit
 * y = a + b·x + c·x² + d·x³ to sin(x) on [−π, π] by gradient descent, the gradients from
 * backward(), the update written by hand. Run it with `npx tsx examples/fit-sin-autograd.ts`.
 *
 * PyTorch → yann: `a -= lr * a.grad` under `torch.no_grad()` is `a.sub_(a.grad.mul(lr))` under `noGrad`.
 */
import { realpathSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { linspace, manualSeed, noGrad, randn, ready, type Tensor } from '../src/index.js'

export type Print = (...args: unknown[]) => void

/** 2000 points from −π to π and sin of each. */
export function sinData(dtype: 'float32' | 'float64', n = 2000): { x: Tensor; y: Tensor } {
  const x = linspace(-Math.PI, Math.PI, n, { dtype })
  return { x, y: x.sin() }
}

export function main(print: Print = console.log, steps = 2000): { losses: number[]; coefficients: number[] } {
  manualSeed(0)
  const { x, y } = sinData('float64')
  // Random starting coefficients that require gradients.
  const [a, b, c, d] = [0, 1, 2, 3].map(() => randn([], { dtype: 'float64', requiresGrad: true }))
  const learningRate = 1e-6
  const losses: number[] = []
  for (let t = 0; t < steps; t++) {
    const yPred = a.add(b.mul(x)).add(c.mul(x.pow(2))).add(d.mul(x.pow(3)))
    const loss = yPred.sub(y).pow(2).sum()
    losses.push(loss.item())
    if (t % 100 === 99) print(t, loss.item())
    loss.backward()
    noGrad(() => {
      for (const p of [a, b, c, d]) {
        p.sub_(p.grad!.mul(learningRate))
        p.grad = null
      }
    })
  }
  const coefficients = [a, b, c, d].map((p) => p.item())
  print(`Result: y = ${coefficients[0]} + ${coefficients[1]} x + ${coefficients[2]} x^2 + ${coefficients[3]} x^3`)
  return { losses, coefficients }
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  await ready()
  main()
}
