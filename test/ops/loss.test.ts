import { describe, expect, it } from 'vitest'
import { F, tensor } from '../../src/index.js'

/** Loss values and gradients against their formulas, written out here in plain arithmetic. */
const f64 = (data: any, requiresGrad = false) => tensor(data, { dtype: 'float64', requiresGrad })
const close = (got: ArrayLike<number>, want: number[]) => {
  expect(got.length).toBe(want.length)
  want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, 12))
}
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x))

const xs = [0.2, 0.7, 0.9, 0.4]
const ts = [0, 1, 1, 0.3]
const ws = [1, 2, 0.5, 1.5]
const bce = (x: number, t: number) => -(t * Math.log(x) + (1 - t) * Math.log(1 - x))

describe('binaryCrossEntropy', () => {
  it('mean: the mean of −(t log x + (1−t) log(1−x)); gradient (x−t) / (x(1−x)) / n', () => {
    const x = f64(xs, true)
    const loss = F.binaryCrossEntropy(x, f64(ts))
    expect(loss.shape).toEqual([])
    expect(loss.item()).toBeCloseTo(xs.reduce((s, xi, i) => s + bce(xi, ts[i]), 0) / 4, 14)
    loss.backward()
    close(x.grad!.data, xs.map((xi, i) => (xi - ts[i]) / (xi * (1 - xi)) / 4))
  })

  it('weighted sum: Σ w·ℓ', () => {
    const x = f64(xs, true)
    const loss = F.binaryCrossEntropy(x, f64(ts), { weight: f64(ws), reduction: 'sum' })
    expect(loss.item()).toBeCloseTo(xs.reduce((s, xi, i) => s + ws[i] * bce(xi, ts[i]), 0), 14)
    loss.backward()
    close(x.grad!.data, xs.map((xi, i) => (ws[i] * (xi - ts[i])) / (xi * (1 - xi))))
  })

  it("weighted mean divides by n, not by the weights' sum (PyTorch)", () => {
    const loss = F.binaryCrossEntropy(f64(xs), f64(ts), { weight: f64(ws) })
    expect(loss.item()).toBeCloseTo(xs.reduce((s, xi, i) => s + ws[i] * bce(xi, ts[i]), 0) / 4, 14)
  })

  it('labels of exactly 0 or 1 at x = 0 and 1: each log clamped at −100, a zero loss is −0 (the full formula\'s bits)', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const x = tensor([1, 0, 0, 1, 0.5, 0.5], { dtype })
      const t = tensor([1, 0, 1, 0, 1, 0], { dtype })
      const got = Array.from(F.binaryCrossEntropy(x, t, { reduction: 'none' }).data)
      expect(got.slice(0, 4)).toEqual([-0, -0, 100, 100])
      expect(Object.is(got[0], -0) && Object.is(got[1], -0)).toBe(true)
      expect(got[4]).toBe(got[5])
      expect(got[4]).toBeCloseTo(Math.LN2, 6)
    }
  })

  it("none keeps the input's shape", () => {
    const loss = F.binaryCrossEntropy(f64([xs]), f64([ts]), { reduction: 'none' })
    expect(loss.shape).toEqual([1, 4])
    close(loss.data, xs.map((xi, i) => bce(xi, ts[i])))
  })
})

describe('binaryCrossEntropyWithLogits', () => {
  it('is binaryCrossEntropy of sigmoid(x); gradient (σ(x) − t) / n', () => {
    const logits = [-2, 0.5, 3, -0.1]
    const x = f64(logits, true)
    const loss = F.binaryCrossEntropyWithLogits(x, f64(ts))
    expect(loss.item()).toBeCloseTo(logits.reduce((s, l, i) => s + bce(sigmoid(l), ts[i]), 0) / 4, 14)
    loss.backward()
    close(x.grad!.data, logits.map((l, i) => (sigmoid(l) - ts[i]) / 4))
  })

  it('with weight and sum', () => {
    const logits = [-2, 0.5, 3, -0.1]
    const loss = F.binaryCrossEntropyWithLogits(f64(logits), f64(ts), { weight: f64(ws), reduction: 'sum' })
    expect(loss.item()).toBeCloseTo(logits.reduce((s, l, i) => s + ws[i] * bce(sigmoid(l), ts[i]), 0), 14)
  })
})

describe('mseLoss', () => {
  it('mean of (x − t)², gradient 2(x − t)/n, and −that for the target', () => {
    const x = f64(xs, true)
    const t = f64(ts, true)
    const loss = F.mseLoss(x, t)
    expect(loss.item()).toBeCloseTo(xs.reduce((s, xi, i) => s + (xi - ts[i]) ** 2, 0) / 4, 14)
    loss.backward()
    close(x.grad!.data, xs.map((xi, i) => (2 * (xi - ts[i])) / 4))
    close(t.grad!.data, xs.map((xi, i) => (-2 * (xi - ts[i])) / 4))
  })

  it('sum', () => expect(F.mseLoss(f64(xs), f64(ts), { reduction: 'sum' }).item()).toBeCloseTo(xs.reduce((s, xi, i) => s + (xi - ts[i]) ** 2, 0), 14))
})

describe('crossEntropy', () => {
  const scores = [
    [1, 2, 0.5],
    [-1, 0, 3],
  ]
  const logSoftmax = (row: number[]) => {
    const lse = Math.log(row.reduce((s, v) => s + Math.exp(v), 0))
    return row.map((v) => v - lse)
  }
  const softmax = (row: number[]) => logSoftmax(row).map(Math.exp)
  const labels = [1, 2]

  it('int32 indices, mean: −mean log softmax(x)[y]; gradient (softmax − onehot) / N', () => {
    const x = f64(scores, true)
    const loss = F.crossEntropy(x, tensor(labels, { dtype: 'int32' }))
    expect(loss.item()).toBeCloseTo(-(logSoftmax(scores[0])[1] + logSoftmax(scores[1])[2]) / 2, 14)
    loss.backward()
    close(x.grad!.data, scores.flatMap((row, i) => softmax(row).map((p, c) => (p - (c === labels[i] ? 1 : 0)) / 2)))
  })

  it('class weights, mean: Σ w_y·ℓ / Σ w_y', () => {
    const w = [0.5, 2, 3]
    const loss = F.crossEntropy(f64(scores), tensor(labels, { dtype: 'int32' }), { weight: f64(w) })
    const want = -(w[1] * logSoftmax(scores[0])[1] + w[2] * logSoftmax(scores[1])[2]) / (w[1] + w[2])
    expect(loss.item()).toBeCloseTo(want, 14)
  })

  it('class weights, none', () => {
    const w = [0.5, 2, 3]
    const loss = F.crossEntropy(f64(scores), tensor(labels, { dtype: 'int32' }), { weight: f64(w), reduction: 'none' })
    close(loss.data, [-w[1] * logSoftmax(scores[0])[1], -w[2] * logSoftmax(scores[1])[2]])
  })

  it('probabilities, mean: −mean Σ p log softmax(x)', () => {
    const p = [
      [0.2, 0.3, 0.5],
      [1, 0, 0],
    ]
    const loss = F.crossEntropy(f64(scores), f64(p))
    const want = -scores.reduce((s, row, i) => s + logSoftmax(row).reduce((a, l, c) => a + p[i][c] * l, 0), 0) / 2
    expect(loss.item()).toBeCloseTo(want, 14)
  })

  it('1-D scores with a 0-d index', () => {
    const loss = F.crossEntropy(f64(scores[1]), tensor(2, { dtype: 'int32' }))
    expect(loss.shape).toEqual([])
    expect(loss.item()).toBeCloseTo(-logSoftmax(scores[1])[2], 14)
  })
})
