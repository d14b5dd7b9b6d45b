import { describe, expect, it } from 'vitest'
import { tensor } from '../../src/index.js'
import * as keras from '../../src/keras.js'
import { expectClose } from './helpers.js'

const { losses, metrics } = keras
const EPS = 1e-7
const f64 = { dtype: 'float64' as const }

describe('Keras losses: per-sample values, Keras formulas', () => {
  it('binaryCrossentropy: −mean_lastaxis(t·log(p + ε) + (1 − t)·log(1 − p + ε))', () => {
    const t = tensor([[1, 0], [0, 1]], f64)
    const p = tensor([[0.8, 0.3], [0.4, 0.9]], f64)
    const out = losses.binaryCrossentropy(t, p)
    expect(out.shape).toEqual([2])
    expectClose(out, [-(Math.log(0.8 + EPS) + Math.log(0.7 + EPS)) / 2, -(Math.log(0.6 + EPS) + Math.log(0.9 + EPS)) / 2], 1e-12)
  })

  it('binaryCrossentropy clips p to [ε, 1 − ε]: certainty that is wrong costs −log(2ε), not infinity', () => {
    const out = losses.binaryCrossentropy(tensor([[0, 1]], f64), tensor([[1, 0]], f64))
    expectClose(out, [-Math.log(2 * EPS)], 1e-6)
  })

  it('its gradient is the derivative of that formula (through the clip), divided by the last axis', () => {
    const p = tensor([[0.8, 0.3]], { dtype: 'float64', requiresGrad: true })
    losses.binaryCrossentropy(tensor([[1, 0]], f64), p).sum().backward()
    expectClose(p.grad!, [[-1 / (0.8 + EPS) / 2, 1 / (0.7 + EPS) / 2]], 1e-12)
  })

  it('the logits form equals the probability form up to ε terms', () => {
    const z = tensor([[2, -1, 0.5]], f64)
    const t = tensor([[1, 0, 1]], f64)
    const a = losses.binaryCrossentropyFromLogits(t, z).item()
    const b = losses.binaryCrossentropy(t, z.sigmoid()).item()
    expect(Math.abs(a - b)).toBeLessThan(1e-6)
    expect(a).not.toBe(b)
  })

  it('categoricalCrossentropy rescales rows to sum 1, clips, and sums −t·log p over the last axis', () => {
    const t = tensor([[0, 1, 0]], f64)
    const p = tensor([[0.2, 0.6, 0.2]], f64)
    expectClose(losses.categoricalCrossentropy(t, p), [-Math.log(0.6)], 1e-12)
    expectClose(losses.categoricalCrossentropy(t, tensor([[1, 3, 1]], f64)), [-Math.log(0.6)], 1e-12)
    const z = tensor([[1, 2, 3]], f64)
    expectClose(losses.categoricalCrossentropyFromLogits(t, z), [-(2 - Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)))], 1e-12)
  })

  it('sparseCategoricalCrossentropy takes integer labels shaped [N] or [N, 1]', () => {
    const p = tensor([[0.2, 0.6, 0.2], [0.7, 0.2, 0.1]], f64)
    const want = [-Math.log(0.6), -Math.log(0.7)]
    expectClose(losses.sparseCategoricalCrossentropy(tensor(new Int32Array([1, 0])), p), want, 1e-12)
    expectClose(losses.sparseCategoricalCrossentropy(tensor([[1], [0]], f64), p), want, 1e-12)
    expect(() => losses.sparseCategoricalCrossentropy(tensor([3, 0], f64), p)).toThrow(/label 3 at position 0 is not a class index in \[0, 2\]/)
    expect(() => losses.sparseCategoricalCrossentropy(tensor([1, 0, 2], f64), p)).toThrow(/yTrue has shape \[3\] but yPred has shape \[2, 3\]/)
  })

  it('meanSquaredError averages over the last axis', () => {
    expectClose(losses.meanSquaredError(tensor([[1, 2], [0, 0]], f64), tensor([[2, 4], [1, 1]], f64)), [2.5, 1], 1e-12)
  })

  it('a target shaped unlike the prediction is an error naming both shapes (TensorFlow broadcasts)', () => {
    const p = tensor([[0.5], [0.5]])
    for (const fn of [losses.binaryCrossentropy, losses.meanSquaredError, losses.categoricalCrossentropy]) {
      expect(() => fn(tensor([1, 0]), p)).toThrow(/yTrue has shape \[2\] but yPred has shape \[2, 1\].*broadcast them to \[2, 2\].*Reshape yTrue to \[2, 1\]/)
    }
    expect(() => losses.meanSquaredError(tensor([1, 2, 3]), tensor([[1, 2], [3, 4]]))).toThrow(/yTrue has shape \[3\] but yPred has shape \[2, 2\]; Keras losses in yann need equal shapes\. /)
  })
})

describe('metrics', () => {
  it('binaryAccuracy thresholds at 0.5, per sample', () => {
    expectClose(metrics.binaryAccuracy(tensor([[1, 0], [1, 1]]), tensor([[0.7, 0.6], [0.2, 0.9]])), [0.5, 0.5], 1e-7)
    expectClose(metrics.binaryAccuracy(tensor([[1], [0], [0]]), tensor([[0.51], [0.49], [0.5]])), [1, 1, 1], 0)
  })

  it('categoricalAccuracy compares argmaxes; sparseCategoricalAccuracy compares with the label', () => {
    const p = tensor([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2]])
    expectClose(metrics.categoricalAccuracy(tensor([[0, 1, 0], [0, 0, 1]]), p), [1, 0], 0)
    expectClose(metrics.sparseCategoricalAccuracy(tensor(new Int32Array([1, 0])), p), [1, 1], 0)
  })
})
