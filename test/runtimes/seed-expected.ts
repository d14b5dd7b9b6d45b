import { expect } from 'vitest'

/**
 * The seed's numbers, copied from shared/seed/yann-backprop-example.txt §2 ("producing:",
 * PyTorch's printout to 4 decimals). Every runtime's run of seed-program.js must match them
 * to 1e-4, on the wasm backend.
 */
export const SEED = {
  a1: [0.574, 0.748, 0.6495],
  a2: [0.773, 0.773],
  loss: 0.8701,
  grad: {
    w2: [
      [-0.0652, -0.0849, -0.0737],
      [0.2218, 0.2891, 0.251],
    ],
    b2: [-0.1135, 0.3865],
    w1: [
      [0.0032, 0.0113, 0.0065],
      [0.0555, 0.1977, 0.1133],
      [0.0518, 0.1846, 0.1058],
    ],
    b1: [0.0138, 0.2411, 0.2251],
  },
  updated: {
    w1: [
      [0.1, 0.4999, 0.2999],
      [0.6994, 0.198, 0.8989],
      [0.3995, 0.2482, 0.7489],
    ],
    b1: [-0.0001, -0.0024, -0.0023],
    w2: [
      [0.9007, 0.6008, 0.4007],
      [0.2978, 0.7971, 0.6975],
    ],
    b2: [0.0011, -0.0039],
  },
} as const

export const TOLERANCE = 1e-4

type Nested = number | readonly Nested[]

/** Every place where `actual` differs from `expected` by more than TOLERANCE (or in shape), as `path: actual ≠ expected`. */
export function seedMismatches(actual: unknown): string[] {
  const out: string[] = []
  const walk = (path: string, a: unknown, e: Nested | Record<string, unknown>): void => {
    if (typeof e === 'number') {
      if (typeof a !== 'number' || !(Math.abs(a - e) <= TOLERANCE)) out.push(`${path}: ${JSON.stringify(a)} ≠ ${e}`)
    } else if (Array.isArray(e)) {
      if (!Array.isArray(a) || a.length !== e.length) out.push(`${path}: ${JSON.stringify(a)} ≠ ${JSON.stringify(e)}`)
      else e.forEach((x: Nested, i: number) => walk(`${path}[${i}]`, a[i], x))
    } else {
      if (typeof a !== 'object' || a === null) out.push(`${path}: ${JSON.stringify(a)} is not an object`)
      else for (const [k, x] of Object.entries(e)) walk(path ? `${path}.${k}` : k, (a as Record<string, unknown>)[k], x as Nested)
    }
  }
  walk('', actual, SEED as unknown as Record<string, unknown>)
  return out
}

/** The shared assertion: the seed's numbers to 1e-4, a detached update, and the wasm backend. */
export function expectSeed(result: unknown, where: string): void {
  expect(result, `${where}: the harness printed no result object`).toBeTypeOf('object')
  const r = result as { backend?: unknown; updatedRequiresGrad?: unknown }
  expect(seedMismatches(result), `${where}: numbers differ from the seed's`).toEqual([])
  expect(r.updatedRequiresGrad, `${where}: the SGD update under noGrad must not require grad`).toBe(false)
  expect(r.backend, `${where}: getBackend() after the import (and ready())`).toBe('wasm')
}
