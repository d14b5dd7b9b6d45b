import { describe, expect, it } from 'vitest'
import { gradcheck, noGrad, tensor } from '../../src/index.js'
import { expectError } from '../expect-error.js'

/** Bad arguments to the autograd API: a clear error naming the call, never a silent default or a raw TypeError. */
describe('autograd API bad input', () => {
  it('retainGraph must be a boolean: the string "no" kept the graph as if true', () => {
    const x = tensor([1, 2], { requiresGrad: true })
    const y = x.exp().sum()
    expectError(() => y.backward({ retainGraph: 'no' as never }), 'backward: option retainGraph must be a boolean, got the string "no"')
    expect(x.grad).toBeNull()
  })

  it('noGrad needs a function', () => {
    expectError(() => noGrad(3 as never), 'noGrad: expected a function to run without recording gradients, got number')
  })

  it('gradcheck refuses a step of 0 (numerical NaN) and negative or NaN tolerances (every entry failed)', () => {
    const x = tensor([1, 2], { dtype: 'float64', requiresGrad: true })
    expectError(() => gradcheck((a) => a.sin(), x, { eps: 0 }), 'gradcheck: eps must be a positive finite step, got 0')
    expectError(() => gradcheck((a) => a.sin(), x, { atol: -1 }), 'gradcheck: atol and rtol must be >= 0, got atol -1, rtol 0.001')
    expectError(() => gradcheck((a) => a.sin(), x, { rtol: NaN }), 'atol 0.00001, rtol NaN')
    expectError(() => gradcheck((a) => a.sin(), x, { atol: '1' as never }), 'gradcheck: option atol must be a number, got the string "1"')
    expect(gradcheck((a) => a.sin(), x, { eps: 1e-4, atol: 0 })).toBe(true)
  })
})
