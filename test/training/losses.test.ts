import { describe, expect, it } from 'vitest'
import { gradcheck, nn, tensor, Tensor } from '../../src/index.js'
import * as F from '../../src/functional.js'
import { ops2Suite } from '../oracle/ops2.js'
import { mulberry32 } from '../rng.js'

// The losses of issue 13 against PyTorch's ops2 cases, on the current backend.
ops2Suite('losses', {
  cross_entropy_ext: (a, [x]) =>
    F.crossEntropy(x, a.target, {
      weight: a.weight ?? null,
      ignoreIndex: a.ignore_index ?? -100,
      labelSmoothing: a.label_smoothing,
      reduction: a.reduction,
    }),
  nll_loss: (a, [x]) => F.nllLoss(x, a.target, { reduction: a.reduction }),
  l1_loss: (a, [x]) => F.l1Loss(x, a.target, { reduction: a.reduction }),
  smooth_l1_loss: (a, [x]) => F.smoothL1Loss(x, a.target, { reduction: a.reduction, beta: a.beta }),
  huber_loss: (a, [x]) => F.huberLoss(x, a.target, { reduction: a.reduction, delta: a.delta }),
  bce_with_logits_pos_weight: (a, [x]) => F.binaryCrossEntropyWithLogits(x, a.target, { posWeight: a.pos_weight }),
  kl_div: (a, [x]) => F.klDiv(x, a.target, { reduction: a.reduction }),
  cosine_similarity: (a, [x1, x2]) => F.cosineSimilarity(x1, x2, { dim: a.dim }),
  normalize: (a, [x]) => F.normalize(x, { p: a.p, dim: a.dim }),
})

function f64(shape: number[], seed: number, lo = -2, hi = 2): Tensor {
  const next = mulberry32(seed)
  const n = shape.reduce((a, b) => a * b, 1)
  const t = new Tensor(Float64Array.from({ length: n }, () => lo + (hi - lo) * next()), shape)
  t.requiresGrad = true
  return t
}
const i32 = (data: number[], shape?: number[]) => tensor(data, { dtype: 'int32' }).reshape(shape ?? [data.length])
const ok = (f: (...t: Tensor[]) => Tensor, inputs: Tensor[]) => expect(gradcheck(f, inputs)).toBe(true)

describe('float64 gradcheck of the new losses', () => {
  const t3 = i32([2, 0, 1])
  const w4 = tensor([0.5, 2, 1, 3], { dtype: 'float64' })
  it('crossEntropy: ignoreIndex, labelSmoothing, weight, every reduction', () => {
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      ok((x) => F.crossEntropy(x, t3, { weight: w4, ignoreIndex: 0, labelSmoothing: 0.2, reduction }), [f64([3, 4], 1)])
      ok((x) => F.crossEntropy(x, t3, { labelSmoothing: 0.3, reduction }), [f64([3, 4], 2)])
    }
  })
  it('crossEntropy: spatial [N, C, d1, d2] input, probability targets with smoothing', () => {
    const t = i32([0, 2, 1, 1, 2, 0, 0, 1], [2, 2, 2])
    ok((x) => F.crossEntropy(x, t, { weight: tensor([1, 2, 3], { dtype: 'float64' }), labelSmoothing: 0.1 }), [f64([2, 3, 2, 2], 3)])
    const q = f64([2, 3], 4, 0, 1).detach().softmax(1)
    ok((x) => F.crossEntropy(x, q, { labelSmoothing: 0.25 }), [f64([2, 3], 5)])
  })
  it('nllLoss with weight and ignoreIndex', () => {
    ok((x) => F.nllLoss(x, t3, { weight: w4, ignoreIndex: 1 }), [f64([3, 4], 6)])
    ok((x) => F.nllLoss(x, i32([1, 3], [1, 2]), { reduction: 'none' }), [f64([1, 4, 2], 7)])
  })
  it('l1Loss, smoothL1Loss, huberLoss (input and target)', () => {
    // Values away from the kinks at d = 0 and |d| = β (δ): finite differences need a smooth neighbourhood.
    const x = () => f64([2, 3], 8, 0.1, 0.4)
    const t = () => f64([2, 3], 9, -1.5, -0.6)
    const near = () => f64([2, 3], 10, -0.3, -0.1)
    ok((a, b) => F.l1Loss(a, b), [x(), t()])
    ok((a, b) => F.smoothL1Loss(a, b, { beta: 0.5, reduction: 'sum' }), [x(), t()])
    ok((a, b) => F.smoothL1Loss(a, b, { beta: 2 }), [x(), near()])
    ok((a, b) => F.huberLoss(a, b, { delta: 0.7, reduction: 'none' }), [x(), t()])
    ok((a, b) => F.huberLoss(a, b, { delta: 2 }), [x(), near()])
  })
  it('binaryCrossEntropyWithLogits with posWeight and weight', () => {
    const target = f64([3, 2], 11, 0, 1).detach()
    const pw = tensor([3, 0.5], { dtype: 'float64' })
    ok((x) => F.binaryCrossEntropyWithLogits(x, target, { posWeight: pw }), [f64([3, 2], 12, -4, 4)])
    ok((x) => F.binaryCrossEntropyWithLogits(x, target, { posWeight: pw, weight: f64([3, 1], 13, 0, 2).detach(), reduction: 'none' }), [f64([3, 2], 14)])
  })
  it('klDiv, probabilities and log-probabilities, input and target', () => {
    const p = f64([2, 3], 15, 0.1, 1)
    ok((x, t) => F.klDiv(x, t, { reduction: 'batchmean' }), [f64([2, 3], 16, -3, -0.1), p])
    ok((x, t) => F.klDiv(x, t, { reduction: 'none', logTarget: true }), [f64([2, 3], 17, -3, -0.1), f64([2, 3], 18, -3, -0.1)])
  })
  it('cosineSimilarity (broadcast) and normalize (p = 2, 1, 3, ∞)', () => {
    ok((a, b) => F.cosineSimilarity(a, b, { dim: -1 }), [f64([2, 3, 4], 19), f64([3, 4], 20)])
    ok((x) => F.normalize(x), [f64([3, 4], 21)])
    ok((x) => F.normalize(x, { p: 1, dim: 0 }), [f64([3, 4], 22, 0.2, 2)])
    ok((x) => F.normalize(x, { p: 3, dim: -1 }), [f64([2, 5], 23, 0.2, 2)])
    ok((x) => F.normalize(x, { p: Infinity }), [f64([3, 4], 24)])
  })
  it('normalize with p = ∞ divides by the largest magnitude along dim', () => {
    // torch: F.normalize(torch.tensor([[3., -4.], [1., 2.]]), p=float('inf')) = [[0.75, -1.], [0.5, 1.]]
    expect(F.normalize(tensor([[3, -4], [1, 2]]), { p: Infinity }).toArray()).toEqual([[0.75, -1], [0.5, 1]])
  })
  it('a zero vector has a finite gradient in normalize and cosineSimilarity (it was NaN: √0 has an infinite slope)', () => {
    // torch: x / max(‖x‖, eps) at x = 0: the norm's backward masks ‖x‖ = 0 to 0, so d/dx Σ normalize(x) = 1/eps = 1e12 each.
    const x = tensor([[0, 0], [3, 4]], { dtype: 'float64', requiresGrad: true })
    F.normalize(x).sum().backward()
    expect((x.grad!.toArray() as number[][])[0]).toEqual([expect.closeTo(1e12, 0), expect.closeTo(1e12, 0)])
    // The nonzero row: d/dx Σ x/‖x‖ = (1 − x̂·Σx̂)/‖x‖ per element: (1 − 0.6·1.4)/5, (1 − 0.8·1.4)/5
    expect((x.grad!.toArray() as number[][])[1]).toEqual([expect.closeTo(0.032, 12), expect.closeTo(-0.024, 12)])
    // cos(a, b) = Σ (a / max(‖a‖, eps))·(b / max(‖b‖, eps)) with a = 0, b = [1, 0]: d/da = b̂ / eps = [1e8, 0], d/db = 0.
    const a = tensor([[0, 0]], { dtype: 'float64', requiresGrad: true })
    const b = tensor([[1, 0]], { dtype: 'float64', requiresGrad: true })
    F.cosineSimilarity(a, b).sum().backward()
    expect(a.grad!.toArray()).toEqual([[expect.closeTo(1e8, 0), 0]])
    expect(b.grad!.toArray()).toEqual([[0, 0]])
  })
})

describe('crossEntropy semantics', () => {
  it('a −inf non-target logit gives PyTorch finite loss and gradient (issue 11 §2.9)', () => {
    // torch: F.cross_entropy(torch.tensor([[1., -inf, 0.]]), torch.tensor([0])) = 0.31326168751822286
    const x = tensor([[1, -Infinity, 0]], { dtype: 'float64', requiresGrad: true })
    const loss = F.crossEntropy(x, i32([0]))
    expect(loss.item()).toBeCloseTo(0.31326168751822286, 12)
    loss.backward()
    // softmax − onehot: [e/(e+1) − 1, 0, 1/(e+1)]
    const e = Math.E
    expect(Array.from(x.grad!.data)).toEqual([expect.closeTo(e / (e + 1) - 1, 12), 0, expect.closeTo(1 / (e + 1), 12)])
    // The repro: target 2 gives log(1 + e) = 1.3133 (NaN before), in float32 too.
    expect(F.crossEntropy(tensor([[1, -Infinity, 0]]), i32([2])).item()).toBeCloseTo(1.3132616875182228, 6)
  })
  it('every sample ignored gives NaN for mean (0/0, as PyTorch) and 0 for sum', () => {
    const x = tensor([[1, 2]])
    expect(Number.isNaN(F.crossEntropy(x, i32([1]), { ignoreIndex: 1 }).item())).toBe(true)
    expect(F.crossEntropy(x, i32([1]), { ignoreIndex: 1, reduction: 'sum' }).item()).toBe(0)
  })
  it('the module form carries ignoreIndex and labelSmoothing', () => {
    const x = tensor([[0.3, -1, 2], [1, 1, 0]], { dtype: 'float64' })
    const t = i32([2, 0])
    const m = new nn.CrossEntropyLoss({ labelSmoothing: 0.1, ignoreIndex: 0 })
    expect(m.forward(x, t).item()).toBe(F.crossEntropy(x, t, { labelSmoothing: 0.1, ignoreIndex: 0 }).item())
  })
})

describe('loss options reject unknown keys and bad values (issue 11 §2.4)', () => {
  const x = tensor([[0.5, 1]])
  const y = tensor([[1, 0]])
  it.each([
    ['crossEntropy', () => F.crossEntropy(x, i32([1]), { reduciton: 'sum' } as never), /unknown option 'reduciton'/],
    ['mseLoss weight', () => F.mseLoss(x, y, { weight: y } as never), /mseLoss: unknown option 'weight'/],
    ['bce pos_weight', () => F.binaryCrossEntropyWithLogits(x, y, { pos_weight: y } as never), /did you mean posWeight/],
    ['l1Loss', () => F.l1Loss(x, y, { beta: 1 } as never), /l1Loss: unknown option 'beta'/],
    ['huberLoss', () => F.huberLoss(x, y, { beta: 1 } as never), /known options are reduction, delta/],
    ['klDiv', () => F.klDiv(x, y, { log_target: true } as never), /did you mean logTarget/],
    ['nllLoss', () => F.nllLoss(x, i32([1]), { labelSmoothing: 0.1 } as never), /nllLoss: unknown option 'labelSmoothing'/],
    ['normalize', () => F.normalize(x, { axis: 1 } as never), /normalize: unknown option 'axis'/],
    ['NLLLoss', () => new nn.NLLLoss({ ignore_index: 3 } as never), /did you mean ignoreIndex/],
    ['labelSmoothing range', () => F.crossEntropy(x, i32([1]), { labelSmoothing: 1.5 }), /labelSmoothing must be a number in \[0, 1\], got 1.5/],
    ['target range', () => F.nllLoss(x, i32([2])), /target class 2 at position 0 is out of range for 2 classes/],
    ['int logits', () => F.crossEntropy(tensor([[1, 2]], { dtype: 'int32' }), i32([1])), /crossEntropy: input must hold float scores, got int32/],
    ['target shape', () => F.crossEntropy(tensor([[1, 2, 3]]).reshape([1, 3, 1]), i32([0])), /target of shape \[1\] does not fit input \[1, 3, 1\]; expected \[1, 1\]/],
    ['huber delta', () => F.huberLoss(x, y, { delta: 0 }), /delta must be a finite number > 0, got 0/],
    ['normalize p = 0', () => F.normalize(x, { p: 0 }), /normalize: p must be a number > 0, got 0/],
  ])('%s', (_, f, message) => expect(f).toThrow(message))
})

describe('elementwise losses refuse integer tensors', () => {
  it.each([
    ['l1Loss', () => F.l1Loss(i32([1, 2]), i32([1, 1]))],
    ['mseLoss', () => F.mseLoss(i32([1, 2]), i32([1, 1]))],
    ['klDiv', () => F.klDiv(i32([1, 2]), i32([1, 1]))],
  ])('%s', (op, f) => expect(f).toThrow(`${op}: input and target must be float tensors, got int32 [2]; convert both with .float()`))
})
