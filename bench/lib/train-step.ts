import type { Tensor } from '../../src/index.js'

/** The usual training step on (x, y): zero the gradients, the loss of the model's output, backward, the optimiser's step; returns the loss. */
export function trainStep(
  model: { forward(x: Tensor): Tensor },
  lossFn: { forward(output: Tensor, target: Tensor): Tensor },
  opt: { zeroGrad(): void; step(): void },
): (x: Tensor, y: Tensor) => Tensor {
  return (x, y) => {
    opt.zeroGrad()
    const loss = lossFn.forward(model.forward(x), y)
    loss.backward()
    opt.step()
    return loss
  }
}
