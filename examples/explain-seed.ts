/**
 * The seed example, section 3 ("Mathematics"), in yann: every gradient of the 3-3-2 network as
 * the product of Jacobians the seed derives by hand, with the matrices its notebook lost, each
 * product checked against autograd, then the SGD update with lr 0.01.
 *
 *     npx tsx examples/explain-seed.ts             # text
 *     npx tsx examples/explain-seed.ts markdown    # Markdown with LaTeX, for a notebook
 *
 * The same as `yann explain`. The seed's chain rule for W₂ and W₁ reads, in yann's names:
 *
 *     ∂E/∂W₂ = J_a₂(E) · J_z₂(σ₂) · J_W₂(L₂)
 *     ∂E/∂W₁ = J_a₂(E) · J_z₂(σ₂) · J_a₁(L₂) · J_z₁(relu₁) · J_W₁(L₁)
 */
import { realpathSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { nn, ready, tensor } from '../src/index.js'
import { explain, formatExplanation } from '../src/explain.js'

export type Print = (...args: unknown[]) => void

export function main(print: Print = console.log, format: 'text' | 'markdown' = 'text'): void {
  // The seed's network: Linear(3, 3), ReLU, Linear(3, 2), Sigmoid, with its weights and zero biases.
  const hidden1 = new nn.Linear(3, 3)
  hidden1.weight.data.set([0.1, 0.5, 0.3, 0.7, 0.2, 0.9, 0.4, 0.25, 0.75])
  hidden1.bias!.data.fill(0)
  const hidden2 = new nn.Linear(3, 2)
  hidden2.weight.data.set([0.9, 0.6, 0.4, 0.3, 0.8, 0.7])
  hidden2.bias!.data.fill(0)
  const model = new nn.Sequential(hidden1, new nn.ReLU(), hidden2, new nn.Sigmoid())

  const e = explain(model, tensor([0.23, 0.82, 0.47]), tensor([1, 0]), new nn.BCELoss(), { lr: 0.01 })
  print(formatExplanation(e, { format }).trimEnd())
  // Everything is in `e` too: e.steps[0].factors[2] is J_W₂(L₂), a 2×6 tensor; e.gradients[0].grad is ∂E/∂W₁.
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  await ready()
  main(console.log, process.argv[2] === 'markdown' ? 'markdown' : 'text')
}
