import { afterEach, describe, expect, test } from 'vitest'
import { compile, manualSeed, nn, tensor, Tensor } from '../../src/index.js'
import { compileSwitch } from '../../src/compile/compile.js'
import { bits } from './helpers.js'

/**
 * gather's backward adds the gradient into a zeroed array (scatterAddAxis, out +=). A compiled
 * step's replay reuses that array: it used to keep the last call's sums, so the gradient grew
 * by one copy per replay (2×, 3×, … the eager one). Now the zeroing is replayed too.
 */
afterEach(() => {
  compileSwitch.interpreter = true
})

describe.each(['wasm', 'js'] as const)('compile: gather backward (%s replay)', (path) => {
  test('the weight gradient through gather is eager\'s at every replay', () => {
    compileSwitch.interpreter = path === 'wasm'
    manualSeed(1)
    const lin = new nn.Linear(3, 4)
    const idx = new Tensor(Int32Array.from([0, 2, 1, 3]), [2, 2])
    const f = (x: Tensor): Tensor => {
      lin.zeroGrad()
      lin.forward(x).gather(1, idx).sum().backward()
      return lin.weight.grad!.clone()
    }
    const step = compile(f)
    for (let i = 0; i < 4; i++) {
      const x = tensor([[1, 2, 3], [4, 5, 6 + i]])
      expect(bits(step(x) as Tensor)).toEqual(bits(f(x)))
    }
    expect(step.lastRun).toBe('replay')
    expect(step.fallbackReason).toBeNull()
  })
})
