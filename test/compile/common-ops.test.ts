import { afterEach, describe, expect, test } from 'vitest'
import * as yann from '../../src/index.js'
import { bmm, compile, mm, nn, ones, optim, tensor, Tensor } from '../../src/index.js'
import { compileSwitch } from '../../src/compile/compile.js'
import { batch, bits, expectSameAsEager, type DT } from './helpers.js'

/**
 * tril/triu (a causal mask built inside forward), flip, t, mm, bmm and clip replay under
 * compile(), forward and backward; so do sort, argsort and topk: their order is a JS step the
 * replay reruns on each call's values, so the indices are never the recording's. Both replay
 * paths (the wasm plan interpreter on the wasm backend, and the JS replay), against eager.
 */
afterEach(() => {
  compileSwitch.interpreter = true
})

const T = 5
const D = 4

/** A causal single-head mixer: mm, t, a triu(1) −inf mask and a tril mask made inside forward, bmm, flip, clip; MSE and SGD. */
function mixer(dtype: DT) {
  const q = new nn.Linear(D, D, { dtype })
  const v = new nn.Linear(D, D, { dtype })
  const model = new nn.ModuleList([q, v])
  const opt = new optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 })
  const step = (x: Tensor, y: Tensor): Tensor => {
    opt.zeroGrad()
    const h = q.forward(x)
    const causal = ones([T, T], { dtype }).mul(-Infinity).triu(1)
    const att = mm(h, h.t()).add(causal).softmax(-1).mul(ones([T, T], { dtype }).tril())
    const mixed = bmm(att.unsqueeze(0), v.forward(x).unsqueeze(0)).squeeze(0)
    const out = mixed.flip(0).clip(-0.8, 0.8).add(x.triu(-1).t().t())
    const loss = yann.F.mseLoss(out, y)
    loss.backward()
    opt.step()
    return loss
  }
  return { step, params: [...model.parameters()], model, opts: [opt] }
}

/** topk's and sort's values in the loss: the gradient goes back through the picked positions. */
function ranker(dtype: DT) {
  const lin = new nn.Linear(D, 6, { dtype })
  const opt = new optim.SGD(lin.parameters(), { lr: 0.1 })
  const step = (x: Tensor, y: Tensor): Tensor => {
    opt.zeroGrad()
    const h = lin.forward(x)
    const top = h.topk(3, -1)
    const s = h.sort(0, { descending: true }).values
    const loss = yann.F.mseLoss(top.values, y).add(s.flip(1).mul(s).mean())
    loss.backward()
    opt.step()
    return loss
  }
  return { step, params: [...lin.parameters()], model: lin, opts: [opt] }
}

describe.each(['wasm', 'js'] as const)('compile: the common ops replay (%s replay)', (path) => {
  const setPath = (): void => void (compileSwitch.interpreter = path === 'wasm')

  test.each(['float32', 'float64'] as const)('tril/triu, flip, t, mm, bmm, clip in a training step: 6 steps bit-identical to eager, no fallback (%s)', (dtype) => {
    setPath()
    const compiled = expectSameAsEager(() => mixer(dtype), (i) => batch(i, [T, D], [T, D], dtype), 6)
    expect(compiled.lastRun).toBe('replay')
    expect(compiled.fallbackReason).toBeNull()
  })

  test.each(['float32', 'float64'] as const)('sort and topk values in a training step: 6 steps bit-identical to eager, no fallback (%s)', (dtype) => {
    setPath()
    const compiled = expectSameAsEager(() => ranker(dtype), (i) => batch(i, [T, D], [T, 3], dtype), 6)
    expect(compiled.lastRun).toBe('replay')
    expect(compiled.fallbackReason).toBeNull()
  })

  test('the indices of sort, argsort and topk are each call\'s own, never the recording\'s', () => {
    setPath()
    const f = (x: Tensor): Tensor[] => [x.topk(2).indices, x.argsort(0), x.sort({ descending: true }).indices, x.tril(), x.flip(1)]
    const step = compile(f)
    // The order changes from call to call, ties and NaN included.
    const calls = [
      [[3, 1, 2], [0, 5, 4]],
      [[1, 2, 3], [6, 5, 4]],
      [[2, 2, NaN], [-1, 7, 7]],
      [[9, 8, 7], [1, 1, 1]],
    ]
    for (const c of calls) {
      const x = tensor(c)
      expect((step(x) as Tensor[]).map(bits)).toEqual(f(x).map(bits))
    }
    expect(step.lastRun).toBe('replay')
    expect(step.fallbackReason).toBeNull()
    expect((step(tensor([[1, 2, 3], [3, 2, 1]])) as Tensor[])[0].toArray()).toEqual([[2, 1], [0, 1]])
  })
})
