import { describe, expect, it } from 'vitest'
import { cat, F, grad, Tensor } from '../../src/index.js'
import { Rng } from './fuzz-shapes-gen.js'

/**
 * Metamorphic fuzz: where test/ops/fuzz-shapes.test.ts checks one op's two backends against each
 * other, this checks ops against each other, in float64 on the project's backend, to 1e-10, so
 * that an op-level mistake (shared by both backends) shows too: padding options against explicit
 * F.pad, convTranspose2d against conv2d's input gradient (its definition), fused losses and
 * reductions against their compositions. Seeded; YANN_FUZZ_CASES (default 30) runs longer.
 */

const CASES = Number(process.env.YANN_FUZZ_CASES ?? 30)
/** Several tensors as one flat one: an output and its gradients compared at once. */
const flat = (ts: Tensor[]) => cat(ts.map((t) => t.detach().reshape([-1])))
const f64 = (r: Rng, shape: number[]) => new Tensor(Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r.next() * 4 - 2), shape)

function expectClose(got: Tensor, want: Tensor, what: string): void {
  expect(got.shape, what).toEqual(want.shape)
  const g = got.data
  const w = want.data
  for (let i = 0; i < w.length; i++) {
    const ok = Number.isNaN(w[i]) ? Number.isNaN(g[i]) : Math.abs(g[i] - w[i]) <= 1e-10 * (1 + Math.abs(w[i]))
    if (!ok) expect(g[i], `${what}: element ${i}`).toBe(w[i])
  }
}

const IDENTITIES: Record<string, (r: Rng) => [Tensor, Tensor, string]> = {
  "conv2d padding 'same' = explicit F.pad, then 'valid'": (r) => {
    const [kh, kw, dh, dw] = [r.range(1, 4), r.range(1, 4), r.range(1, 2), r.range(1, 2)]
    const x = f64(r, [r.range(1, 2), 2, r.range(1, 7), r.range(1, 7)])
    const w = f64(r, [3, 2, kh, kw])
    // PyTorch's 'same': the total padding d·(k − 1), the smaller half before.
    const [th, tw] = [dh * (kh - 1), dw * (kw - 1)]
    const pads = [Math.floor(tw / 2), tw - Math.floor(tw / 2), Math.floor(th / 2), th - Math.floor(th / 2)]
    const note = `k ${kh}×${kw} dilation ${dh}×${dw} x ${x.shape}`
    return [F.conv2d(x, w, null, { padding: 'same', dilation: [dh, dw] }), F.conv2d(F.pad(x, pads), w, null, { dilation: [dh, dw] }), note]
  },
  'conv2d padding p = F.pad by p, then no padding': (r) => {
    const p = [r.range(0, 2), r.range(0, 2)]
    const o = { stride: r.range(1, 3), dilation: r.range(1, 2), groups: 2 }
    const w = f64(r, [2, 1, r.range(1, 3), r.range(1, 3)])
    const x = f64(r, [1, 2, o.dilation * (w.shape[2] - 1) + r.range(1, 5), o.dilation * (w.shape[3] - 1) + r.range(1, 5)])
    return [F.conv2d(x, w, null, { ...o, padding: p }), F.conv2d(F.pad(x, [p[1], p[1], p[0], p[0]]), w, null, o), `${JSON.stringify(o)} padding ${p} x ${x.shape} w ${w.shape}`]
  },
  "convTranspose2d = conv2d's gradient with respect to its input": (r) => {
    const o = { stride: r.range(1, 3), padding: r.range(0, 1), dilation: r.range(1, 2) }
    const [c, oc] = [r.range(1, 3), r.range(1, 3)]
    const w = f64(r, [oc, c, r.range(1, 3), r.range(1, 3)])
    const x = f64(r, [1, c, o.dilation * (w.shape[2] - 1) + r.range(1, 5), o.dilation * (w.shape[3] - 1) + r.range(1, 5)])
    x.requiresGrad = true
    const y = F.conv2d(x, w, null, o)
    const dy = f64(r, [...y.shape])
    const dx = grad(y, [x], dy)[0]!
    // conv2d's output size floors; the transposed conv's outputPadding puts back what the floor dropped.
    const outputPadding = [2, 3].map((d) => x.shape[d] - ((y.shape[d] - 1) * o.stride - 2 * o.padding + o.dilation * (w.shape[d] - 1) + 1))
    return [F.convTranspose2d(dy, w, null, { ...o, outputPadding }), dx, `${JSON.stringify(o)} x ${x.shape} w ${w.shape}`]
  },
  'maxPool2d padding p = F.pad by p with -inf': (r) => {
    const k = r.range(1, 4)
    const p = r.range(0, Math.floor(k / 2))
    const o = { stride: r.range(1, 3), dilation: r.range(1, 2) }
    const x = f64(r, [2, o.dilation * (k - 1) + r.range(1, 5), o.dilation * (k - 1) + r.range(1, 5)])
    const note = `k ${k} padding ${p} ${JSON.stringify(o)} x ${x.shape}`
    return [F.maxPool2d(x, k, { ...o, padding: p }), F.maxPool2d(F.pad(x, [p, p, p, p], { value: -Infinity }), k, o), note]
  },
  'avgPool2d countIncludePad = F.pad by zeros': (r) => {
    const k = r.range(1, 4)
    const p = r.range(0, Math.floor(k / 2))
    const s = r.range(1, 3)
    const x = f64(r, [2, k + r.range(0, 5), k + r.range(0, 5)])
    return [F.avgPool2d(x, k, { stride: s, padding: p, countIncludePad: true }), F.avgPool2d(F.pad(x, [p, p, p, p]), k, { stride: s }), `k ${k} padding ${p} stride ${s} x ${x.shape}`]
  },
  'crossEntropy = nllLoss of logSoftmax': (r) => {
    const c = r.range(1, 5)
    const x = f64(r, [r.range(1, 4), c, r.range(1, 3)])
    const t = new Tensor(Int32Array.from({ length: x.shape[0] * x.shape[2] }, () => r.int(c)), [x.shape[0], x.shape[2]])
    const weight = f64(r, [c]).abs()
    const o = { weight, reduction: r.pick(['none', 'mean', 'sum'] as const), ignoreIndex: r.int(c + 1) }
    return [F.crossEntropy(x, t, o), F.nllLoss(F.logSoftmax(x, 1), t, o), `${o.reduction} ignoreIndex ${o.ignoreIndex} x ${x.shape}`]
  },
  'layerNorm = (x − mean) / √(biased var + eps)': (r) => {
    const x = f64(r, [r.range(1, 3), r.range(1, 4), r.range(1, 5)])
    const dims = r.chance(0.5) ? [-1] : [-2, -1]
    const shape = x.shape.slice(x.ndim - dims.length)
    const want = x.sub(x.mean(dims, true)).div(x.var(dims, { correction: 0, keepdim: true }).add(1e-5).sqrt())
    return [F.layerNorm(x, shape), want, `shape ${shape} x ${x.shape}`]
  },
  'logsumexp = log Σ exp; softmax = exp logSoftmax': (r) => {
    const x = f64(r, [r.range(1, 4), r.range(1, 6)])
    const d = r.int(2)
    return r.chance(0.5) ? [x.logsumexp(d), x.exp().sum(d).log(), `logsumexp dim ${d} x ${x.shape}`] : [F.softmax(x, d), F.logSoftmax(x, d).exp(), `softmax dim ${d} x ${x.shape}`]
  },
  'topk = the first k of sort': (r) => {
    const x = f64(r, [r.range(1, 3), r.range(1, 8)]).mul(2).round() // ties
    const k = r.range(0, x.shape[1])
    const largest = r.chance(0.5)
    return [x.topk(k, 1, { largest }).values, x.sort(1, { descending: largest }).values.narrow(1, 0, k), `k ${k} largest ${largest} x ${x.shape}`]
  },
  'scaledDotProductAttention = softmax(q·kᵀ·scale + mask)·v, and its gradients': (r) => {
    const [L, S, E] = [r.range(1, 5), r.range(1, 5), r.range(1, 4)]
    const [q, k, v] = [f64(r, [2, L, E]), f64(r, [2, S, E]), f64(r, [2, S, r.range(1, 3)])]
    for (const t of [q, k, v]) t.requiresGrad = true
    const how = r.int(3)
    // A bool mask keeps the first key of each query so that no row is all -inf (PyTorch's NaN).
    const keep = new Tensor(Uint8Array.from({ length: L * S }, (_, i) => (i % S === 0 || r.chance(0.6) ? 1 : 0)), [L, S])
    const add = f64(r, [2, 1, S])
    const causal = new Tensor(Uint8Array.from({ length: L * S }, (_, i) => (i % S <= Math.floor(i / S) ? 1 : 0)), [L, S])
    const mask = how === 0 ? keep : how === 1 ? add : causal
    const scores = q.matmul(k.transpose(1, 2)).mul(1 / Math.sqrt(E))
    const masked = mask.dtype === 'bool' ? scores.maskedFill(mask.logicalNot(), -Infinity) : scores.add(mask)
    const want = F.softmax(masked, -1).matmul(v)
    const got = F.scaledDotProductAttention(q, k, v, how === 2 ? { isCausal: true } : { attnMask: mask })
    const dy = f64(r, [...want.shape])
    const g1 = grad(got, [q, k, v], dy) as Tensor[]
    const g2 = grad(want, [q, k, v], dy) as Tensor[]
    return [flat([got, ...g1]), flat([want, ...g2]), `${['bool', 'float', 'causal'][how]} mask L ${L} S ${S} E ${E}`]
  },
  'groupNorm(x, 1) = layerNorm over every dim but the batch': (r) => {
    const x = f64(r, [r.range(1, 3), r.range(1, 4), r.range(1, 5)])
    return [F.groupNorm(x, 1), F.layerNorm(x, [...x.shape.slice(1)]), `x ${x.shape}`]
  },
  'adaptiveAvgPool2d to a divisor of the size = avgPool2d': (r) => {
    const [oh, ow, kh, kw] = [r.range(1, 3), r.range(1, 3), r.range(1, 3), r.range(1, 3)]
    const x = f64(r, [2, oh * kh, ow * kw])
    return [F.adaptiveAvgPool2d(x, [oh, ow]), F.avgPool2d(x, [kh, kw]), `out ${oh}×${ow} x ${x.shape}`]
  },
  'embedding = indexSelect of the rows': (r) => {
    const w = f64(r, [r.range(1, 6), r.range(1, 4)])
    const idx = new Tensor(Int32Array.from({ length: 5 }, () => r.int(w.shape[0])), [5])
    return [F.embedding(idx, w), w.indexSelect(0, idx), `w ${w.shape}`]
  },
  'matmul with batch broadcasting = bmm of the expanded operands': (r) => {
    const [b, m, k, n] = [r.range(1, 3), r.range(1, 4), r.range(1, 4), r.range(1, 4)]
    const a = f64(r, [b, 1, m, k])
    const c = f64(r, [r.range(1, 3), k, n])
    const batch = [b, c.shape[0]]
    const ea = a.expand([...batch, m, k]).reshape([-1, m, k])
    const ec = c.expand([...batch, k, n]).reshape([-1, k, n])
    return [a.matmul(c), ea.bmm(ec).reshape([...batch, m, n]), `${a.shape} @ ${c.shape}`]
  },
}

describe('metamorphic fuzz: ops against their compositions, float64', () => {
  for (const [name, make] of Object.entries(IDENTITIES)) {
    it(`${name} (${CASES} cases)`, () => {
      for (let k = 0; k < CASES; k++) {
        const [got, want, note] = make(new Rng(1000 * k + name.length))
        expectClose(got, want, `case ${k}: ${note}`)
      }
    })
  }
})
