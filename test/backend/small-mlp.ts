import { manualSeed, nn, optim, randn, type Tensor } from '../../src/index.js'
import type { FloatDType } from '../../src/dtype.js'

// The small MLP and training loop that parameter-memory and parameter-dispose tests share.

/** A small MLP, its weights from a fixed seed; widths above the wasm backend's small-size cut-offs. */
export function mlp(dtype: FloatDType = 'float32', widths = [8, 32, 32, 4]): nn.Sequential {
  manualSeed(11)
  const layers: nn.Module[] = []
  for (let i = 0; i + 1 < widths.length; i++) {
    layers.push(new nn.Linear(widths[i], widths[i + 1], { dtype }))
    if (i + 2 < widths.length) layers.push(new nn.Tanh())
  }
  return new nn.Sequential(...layers)
}

export function batches(dtype: FloatDType, n: number, batch = 16, inF = 8, outF = 4): [Tensor, Tensor][] {
  manualSeed(5)
  return Array.from({ length: n }, () => [randn([batch, inF], { dtype }), randn([batch, outF], { dtype }).tanh()])
}

export function values(model: nn.Module): number[][] {
  return model.parameters().map((p) => Array.from(p.data))
}

export const mse = new nn.MSELoss()

export function trainStep(model: nn.Module, opt: optim.Optimizer<object>, x: Tensor, y: Tensor): number {
  opt.zeroGrad()
  const loss = mse.forward(model.forward(x), y)
  loss.backward()
  opt.step()
  return loss.item()
}
