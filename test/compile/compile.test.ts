import { describe, expect, test } from 'vitest'
import { batch, expectSameAsEager, type Setup } from './helpers.js'
import { everyOptimizer, mlp, mnistExample, seed } from './setups.js'

/** The wasm project forces every kernel into wasm: there the plan interpreter replays each step in one wasm call. */
const path = process.env.YANN_BACKEND === 'wasm' ? 'wasm' : 'js'

describe.each(['float32', 'float64'] as const)('compile: bit-identical to eager over 100 steps (%s)', (dtype) => {
  test('the seed network (SGD)', () => {
    const step = expectSameAsEager(() => seed(dtype), (i) => batch(i, [3], [2], dtype), 100)
    expect(step.lastRun).toBe('replay')
    expect(step.fallbackReason).toBeNull()
    expect(step.recordings).toBe(2) // the first call with every .grad null, the second with them set
    expect(step.replayPath).toBe(path)
  })

  test('the MNIST MLP shape, batch 2 (SGD momentum, cross-entropy)', () => {
    const step = expectSameAsEager(() => mlp(dtype), (i) => batch(i, [2, 784], [2, 10], dtype, true), 100)
    expect(step.lastRun).toBe('replay')
    expect(step.fallbackReason).toBeNull()
    expect(step.replayPath).toBe(path)
  })

  test("the MNIST example's MLP at its batch of 64 (784-128-10, sigmoid, BCE, SGD momentum)", () => {
    const step = expectSameAsEager(() => mnistExample(dtype), (i) => batch(i, [64, 784], [64, 10], dtype, true), 100)
    expect(step.lastRun).toBe('replay')
    expect(step.fallbackReason).toBeNull()
    expect(step.replayPath).toBe(path)
  })

  test('every optimiser (SGD nesterov, Adam, AdamW, RMSprop, Adagrad), learning rates scheduled mid-run', () => {
    // The optimisers' updates run live in the replay: a changed lr or momentum is honoured without re-recording.
    const schedule = (i: number, s: Setup): void => {
      if (i === 40) for (const o of s.opts) o.paramGroups[0].lr *= 0.5
      if (i === 70) s.opts[0].paramGroups[0].momentum = 0.5
    }
    const step = expectSameAsEager(() => everyOptimizer(dtype), (i) => batch(i, [6, 4], [6, 2], dtype), 100, schedule)
    expect(step.lastRun).toBe('replay')
    expect(step.recordings).toBe(2) // the first call with every .grad null, the second with them set
    expect(step.replayPath).toBe(path)
  })
})
