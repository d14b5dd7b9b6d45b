import { describe, expect, it } from 'vitest'
import { nn, tensor } from '../../src/index.js'

/**
 * Issue 11 §5: the types a user meets. The `@ts-expect-error` lines are the test: `npx tsc
 * --noEmit` (part of the checks before every merge) fails if they stop being errors; the
 * runtime assertions check the same values.
 */
describe('types of modules', () => {
  it('Sequential.at(0) is typed as the module at 0: its weight needs no cast', () => {
    const model = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU())
    const first = model.at(0)
    expect(first.weight.shape).toEqual([3, 2])
    expect(model.at(-1)).toBeInstanceOf(nn.ReLU)
  })

  it('children() and getSubmodule() results do not accept arbitrary forward arguments', () => {
    const model = new nn.Sequential(new nn.Linear(2, 3))
    const child = model.children()[0]
    // @ts-expect-error a module of unknown type takes no made-up arguments
    expect(() => child.forward('str', 42)).toThrow()
    expect((model.getSubmodule('0') as nn.Linear).forward(tensor([[1, 2]])).shape).toEqual([1, 3])
  })
})
