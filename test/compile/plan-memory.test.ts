import { describe, expect, test } from 'vitest'
import * as yann from '../../src/index.js'
import { nn, optim, type Tensor } from '../../src/index.js'

const onWasm = process.env.YANN_BACKEND === 'wasm'

describe('compile: wasm memory of discarded plans', () => {
  test('300 train()/eval() toggles (each discards every plan) do not grow wasm memory', () => {
    yann.manualSeed(1)
    const model = new nn.Sequential(new nn.Linear(64, 128), new nn.ReLU(), new nn.Linear(128, 10))
    const opt = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 })
    const lossFn = new nn.MSELoss()
    const step = yann.compile((x: Tensor, y: Tensor): Tensor => {
      opt.zeroGrad()
      const l = lossFn.forward(model.forward(x), y)
      l.backward()
      opt.step()
      return l
    })
    const x = yann.randn([256, 64])
    const y = yann.randn([256, 10])
    for (let i = 0; i < 3; i++) step(x, y)
    // On ts plans replay in JS and place nothing in wasm memory: it must stay flat there too.
    const path = onWasm ? 'wasm' : 'js'
    expect(step.replayPath).toBe(path)
    const before = yann.memory().wasmBytes
    for (let i = 0; i < 300; i++) {
      model.eval()
      model.train()
      step(x, y)
    }
    expect(step.recordings).toBe(302)
    expect(step.replayPath).toBe(path)
    // Each plan holds ~0.6 MB of blocks (the batch's activations): 300 of them kept would be ~200 MB.
    expect(yann.memory().wasmBytes - before).toBeLessThan(4 << 20)
  })
})
