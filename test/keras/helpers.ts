import { expect } from 'vitest'
import type { Tensor } from '../../src/index.js'

type Nested = number | Nested[]

/** Every element of `actual` within `tol` of `expected` (same nesting), reporting the worst. */
export function expectClose(actual: Tensor | Nested, expected: Nested, tol: number): void {
  const a = (typeof actual === 'object' && !Array.isArray(actual) ? actual.toArray() : actual) as Nested
  const flat = (x: Nested): number[] => (Array.isArray(x) ? x.flatMap(flat) : [x])
  const shape = (x: Nested): number[] => (Array.isArray(x) ? [x.length, ...shape(x[0])] : [])
  expect(shape(a)).toEqual(shape(expected))
  const fa = flat(a)
  const fe = flat(expected)
  let worst = 0
  let at = 0
  fa.forEach((v, i) => {
    const d = Math.abs(v - fe[i])
    if (!(d <= worst)) {
      worst = d
      at = i
    }
  })
  expect(worst, `element ${at}: got ${fa[at]}, expected ${fe[at]}`).toBeLessThanOrEqual(tol)
}
