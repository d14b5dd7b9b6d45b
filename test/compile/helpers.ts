import * as yann from '../../src/index.js'
import type { Tensor } from '../../src/index.js'

export type DT = 'float32' | 'float64'

/** What a test changes of an optimiser between steps. */
export interface Scheduled {
  paramGroups: { lr: number; momentum?: number }[]
}

/** A training setup: its step function and every tensor whose values it changes. */
export interface Setup {
  step: (x: Tensor, y: Tensor) => Tensor
  params: Tensor[]
  model: yann.nn.Module
  opts: Scheduled[]
}

/** Deterministic inputs for step i: values vary with i, shapes stay. */
export function batch(i: number, xShape: number[], yShape: number[], dtype: DT, oneHot = false): [Tensor, Tensor] {
  const n = (s: number[]) => s.reduce((a, b) => a * b, 1)
  const x = Array.from({ length: n(xShape) }, (_, k) => Math.sin(0.37 * k + 1.3 * i))
  let y: number[]
  if (oneHot) {
    const classes = yShape[yShape.length - 1]
    y = Array.from({ length: n(yShape) }, (_, k) => ((Math.floor(k / classes) * 7 + i) % classes === k % classes ? 1 : 0))
  } else {
    y = Array.from({ length: n(yShape) }, (_, k) => ((k * 5 + i * 3) % 7) / 7)
  }
  return [yann.tensor(x, { dtype }).reshape(xShape), yann.tensor(y, { dtype }).reshape(yShape)]
}

/** The bits of every value: equal bits, equal numbers (NaN included). */
export function bits(t: Tensor): number[] {
  return Array.from(t.data)
}

/**
 * Runs `steps` steps eagerly on one copy and compiled on an identical copy (same seed), and
 * expects every loss and, at the end, every parameter to be bit-identical. Returns the compiled step.
 */
export function expectSameAsEager(
  build: () => Setup,
  inputs: (i: number) => [Tensor, Tensor],
  steps: number,
  between?: (i: number, s: Setup) => void,
): yann.CompiledFunction<[Tensor, Tensor], Tensor> {
  yann.manualSeed(7)
  const eager = build()
  yann.manualSeed(7)
  const twin = build()
  const compiled = yann.compile(twin.step)
  const eagerLosses: number[] = []
  const compiledLosses: number[] = []
  for (let i = 0; i < steps; i++) {
    between?.(i, eager)
    between?.(i, twin)
    const [x, y] = inputs(i)
    eagerLosses.push(eager.step(x, y).item())
    compiledLosses.push(compiled(x, y).item())
  }
  if (compiledLosses.join() !== eagerLosses.join()) throw new Error(`losses differ:\n${eagerLosses.join()}\n${compiledLosses.join()}`)
  eager.params.forEach((p, k) => {
    const a = bits(p)
    const b = bits(twin.params[k])
    if (a.join() !== b.join()) throw new Error(`parameter ${k} differs after ${steps} steps`)
  })
  return compiled
}
