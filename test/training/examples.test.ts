import { describe, expect, it } from 'vitest'
import { main as fitByHand } from '../../examples/fit-sin-autograd.js'
import { main as fitWithNn } from '../../examples/fit-sin-nn.js'

/**
 * "Learning PyTorch with Examples": the cubic fit of sin(x) on [−π, π] (2000 points, 2000 steps).
 * The least-squares cubic, from numpy.linalg.lstsq on the same points (not from yann), is
 * y = 0 + 0.856741·x + 0·x² − 0.0933304·x³ with a summed squared error of 8.8172.
 */
const OPTIMUM = { b: 0.856741, d: -0.0933304, loss: 8.8172 }

describe('Learning PyTorch with Examples: fit sin(x) with a cubic', () => {
  it('by hand: tensors, autograd and a manual gradient step (lr 1e-6)', () => {
    const lines: string[] = []
    const { losses, coefficients: [a, b, c, d] } = fitByHand((...args) => lines.push(args.join(' ')))
    expect(lines).toHaveLength(21)
    expect(lines[20]).toMatch(/^Result: y = \S+ \+ \S+ x \+ \S+ x\^2 \+ \S+ x\^3$/)
    expect(losses[0]).toBeGreaterThan(100 * losses[1999])
    // Plain gradient descent approaches the optimum slowly: close, not there.
    expect(losses[1999]).toBeLessThan(1.2 * OPTIMUM.loss)
    expect(Math.abs(b - OPTIMUM.b)).toBeLessThan(0.05)
    expect(Math.abs(d - OPTIMUM.d)).toBeLessThan(0.01)
    expect(Math.abs(a)).toBeLessThan(0.05)
    expect(Math.abs(c)).toBeLessThan(0.01)
  })

  it('with nn: Linear(3, 1) + Flatten(0, 1), MSELoss(sum) and RMSprop (lr 1e-3) reach the least-squares cubic', () => {
    const { losses, coefficients: [a, b, c, d] } = fitWithNn(() => {})
    expect(losses[0]).toBeGreaterThan(10 * losses[1999])
    expect(losses[1999]).toBeLessThan(1.03 * OPTIMUM.loss)
    expect(Math.abs(b - OPTIMUM.b)).toBeLessThan(0.005)
    expect(Math.abs(d - OPTIMUM.d)).toBeLessThan(0.002)
    expect(Math.abs(a)).toBeLessThan(0.005)
    expect(Math.abs(c)).toBeLessThan(0.005)
  })
})
