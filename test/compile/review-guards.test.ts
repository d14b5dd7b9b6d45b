import { describe, expect, test } from 'vitest'
import * as yann from '../../src/index.js'
import { nn, type Tensor } from '../../src/index.js'

/** Guards a reviewer found missing: each case compares with the eager run. */
describe('compile: signature and requiresGrad guards', () => {
  test('a new argument requiring grad is not taken for the previous one, whose requiresGrad changed meanwhile', () => {
    yann.manualSeed(3)
    const lin = new nn.Linear(4, 3)
    const f = yann.compile((x: Tensor) => {
      const l = lin.forward(x).square().sum()
      l.backward()
      return l
    })
    const x = yann.randn([5, 4])
    f(x)
    f(x)
    x.requiresGrad = true // the previous argument now requires grad, as does the new one
    const x2 = yann.randn([5, 4])
    x2.requiresGrad = true
    f(x2)
    expect(f.lastRun).toBe('record')
    const x3 = x2.detach().clone()
    x3.requiresGrad = true
    lin.forward(x3).square().sum().backward()
    expect(x2.grad).not.toBeNull()
    expect(Array.from(x2.grad!.data)).toEqual(Array.from(x3.grad!.data))
  })
})
