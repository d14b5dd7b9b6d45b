import * as y from '../../src/index.js'
import { F, nn, noGrad, Tensor } from '../../src/index.js'

/**
 * The op pool of test/compile/fuzz.test.ts. Every op maps the running value h [4, 8] (the
 * program's float dtype) to another [4, 8], so ops compose in any order. `u` holds the op's
 * own random numbers in [0, 1), drawn when the program was generated: the op makes the same
 * choices at every call. `params` declares the parameters the op owns (made before any call);
 * `module` builds the module it owns.
 */

export const B = 4
export const D = 8

/** A call's inputs: x and y [4, 8] float, cls [4] int32 in [0, 8), rows [4] int32 in [0, 4), cols [4, 8] int32 in [0, 8), mask [4, 8] bool, a number. */
export interface Inputs {
  x: Tensor
  y: Tensor
  cls: Tensor
  rows: Tensor
  cols: Tensor
  mask: Tensor
  /** A number argument of the compiled function (selects the plan by value). */
  scale: number
}

export interface Ctx {
  in: Inputs
  /** Earlier values of h in this call (the first is the program's start). */
  vals: Tensor[]
  /** This op's parameters, in the order it declared them. */
  p: Tensor[]
  /** This op's module, if it declared one. */
  m: nn.Module<any, any> | null
}

export type Variant = (h: Tensor, c: Ctx, u: number[]) => Tensor

export interface OpSpec {
  name: string
  /** The shapes of the parameters the op's variant `v` uses. */
  params?: (v: number, u: number[]) => number[][]
  module?: (dtype: 'float32' | 'float64', u: number[], seed: number) => nn.Module<any, any>
  /** The op's forms: a program step runs one of them. */
  variants: Variant[]
}

export const pick = <T>(u: number, list: readonly T[]): T => list[Math.min(list.length - 1, Math.floor(u * list.length))]

const bounded = (h: Tensor): Tensor => h.tanh().mul(2)
const positive = (h: Tensor): Tensor => h.abs().add(0.5)
/** [4, k·m] → [4, 8] by a parameter of shape [k·m, 8]. */
const back = (t: Tensor, w: Tensor): Tensor => t.reshape(B, -1).matmul(w)

const UNARY: ((h: Tensor) => Tensor)[] = [
  (h) => bounded(h).exp(), (h) => h.sin(), (h) => h.cos(), (h) => h.tanh(), (h) => h.sigmoid(), (h) => h.relu(),
  (h) => h.abs(), (h) => h.neg(), (h) => h.square(), (h) => h.abs().log1p(), (h) => positive(h).sqrt(), (h) => positive(h).rsqrt(),
  (h) => positive(h).reciprocal(), (h) => h.sign().add(h), (h) => h.mul(3).floor(), (h) => h.mul(3).round(), (h) => bounded(h).expm1(),
  (h) => h.clamp(-0.5, 0.7), (h) => y.clip(h, null, 0.3), (h) => h.pow(2), (h) => positive(h).pow(1.5), (h) => positive(h).log(),
]

const ACTIVATIONS: ((h: Tensor) => Tensor)[] = [
  F.silu, F.mish, F.logSigmoid, F.softsign, F.relu6, (h) => F.leakyRelu(h, { negativeSlope: 0.2 }), (h) => F.elu(h, { alpha: 0.7 }),
  F.gelu, (h) => F.gelu(h, { approximate: 'tanh' }), (h) => F.softplus(h, { threshold: 0.5 }), (h) => F.hardtanh(h, { minVal: -0.4, maxVal: 0.6 }),
  (h) => F.relu6(h.mul(4)),
]

const BINARY: ((a: Tensor, b: Tensor) => Tensor)[] = [
  (a, b) => a.add(b), (a, b) => a.sub(b), (a, b) => a.mul(b), (a, b) => a.div(positive(b)), (a, b) => y.maximum(a, b), (a, b) => y.minimum(a, b),
  (a, b) => positive(a).pow(bounded(b)),
]

export const OPS: OpSpec[] = [
  { name: 'unary', variants: UNARY },
  { name: 'activation', variants: ACTIVATIONS },
  {
    name: 'binary-param',
    params: (_v, u) => [pick(u[1], [[D], [B, 1], [B, D], [1, D]])],
    variants: BINARY.map((f): Variant => (h, c, u) => (u[2] < 0.5 ? f(h, c.p[0]) : f(c.p[0], h))),
  },
  { name: 'binary-value', variants: BINARY.map((f): Variant => (h, c, u) => f(h, pick(u[1], c.vals))) },
  { name: 'scalar', variants: [(t: Tensor) => t.add(0.25), (t: Tensor) => t.mul(-1.5), (t: Tensor) => t.sub(3), (t: Tensor) => t.div(7), (t: Tensor) => t.pow(3), (t, c) => t.mul(c.in.scale)] },
  {
    name: 'reduce',
    variants: ([
      (t, dim) => t.sum(dim, true), (t, dim) => t.mean(dim, true), (t, dim) => y.amax(t, dim, { keepdim: true }),
      (t, dim) => y.amin(t, dim, { keepdim: true }), (t, dim) => y.var(t, dim, { keepdim: true }), (t, dim) => y.std(t, dim, { keepdim: true, correction: 0 }),
      (t, dim) => y.logsumexp(t, dim, { keepdim: true }), (t) => t.sum(), (t) => t.mean([0, 1]), (t) => y.max(t), (t) => y.min(t),
      (t, dim) => t.sum(dim).unsqueeze(dim === 0 ? 0 : 1), (t, dim) => y.prod(bounded(t).add(1), dim, { keepdim: true }),
    ] as ((t: Tensor, dim: number) => Tensor)[]).map((r): Variant => (h, _c, u) => {
      const v = r(h, pick(u[1], [0, 1, -1]))
      return u[2] < 0.5 ? h.sub(v) : h.mul(v)
    }),
  },
  {
    name: 'max-dim',
    variants: [
      (h, _c, u) => { const m = y.max(h, pick(u[1], [0, 1]), { keepdim: true }); return h.add(m.values).add(m.indices.float().to(h.dtype)) },
      (h, _c, u) => { const m = y.min(h, pick(u[1], [0, 1]), { keepdim: true }); return h.mul(m.values).sub(m.indices.to(h.dtype)) },
      (h, _c, u) => h.mul(y.gather(h, pick(u[1], [0, 1]), y.argmax(h, pick(u[1], [0, 1]), { keepdim: true }))),
      (h, _c, u) => h.add(y.argmin(h, pick(u[1], [0, 1]), { keepdim: true }).to(h.dtype)).add(y.argmax(h).to(h.dtype)),
    ],
  },
  { name: 'softmax', variants: [(h, _c, u) => y.softmax(h, pick(u[1], [0, 1])), (h, _c, u) => y.logSoftmax(h, pick(u[1], [0, 1]))] },
  {
    name: 'reshape',
    variants: [
        (t) => t.reshape(2, 2, 8).permute(2, 0, 1).contiguous().permute(1, 2, 0).reshape(4, 8),
        (t) => t.transpose(0, 1).contiguous().mul(2).transpose(0, 1),
        (t) => y.t(y.t(t).add(1)),
        (t) => t.unsqueeze(0).squeeze(0).view(8, 4).reshape(4, 8),
        (t) => y.unflatten(t, 1, [2, 4]).flatten(1),
        (t) => t.reshape(4, 2, 4).transpose(1, 2).reshape(4, 8),
        (t) => t.reshape(2, 16).t().contiguous().reshape(4, 8),
      ],
  },
  {
    name: 'slice',
    variants: [
        (t) => y.cat([t.narrow(1, 0, 3), t.narrow(1, 3, 5).mul(2)], 1),
        (t, _c, u) => t.add(t.select(0, Math.floor(u[1] * 4))),
        (t) => t.slice(1, 0, 8, 2).repeat(1, 2),
        (t) => t.index(null, '1:5').repeat([1, 2]),
        (t, c) => t.index(c.in.rows),
        (t, c) => t.index(c.in.rows, c.in.cols.select(0, 0).narrow(0, 0, 4)).unsqueeze(1).expand(4, 8),
        (t) => t.add(t.index(t.gt(0)).sum()),
        (t) => t.index('...', 2).unsqueeze(1).mul(t),
        (t, c) => y.narrow(t, 1, c.in.rows.select(0, 0), 4).repeat(1, 2),
        (t, c) => t.mul(y.select(t, 0, c.in.rows.select(0, 1))),
        (t, c) => t.add(t.index(c.in.mask).sum()),
        (t) => t.index([3, 1, 1, 0]),
      ],
  },
  {
    name: 'join',
    variants: [
        (t, c, u) => y.stack([t, pick(u[1], c.vals)], 0).sum(0),
        (t) => { const [a, b] = y.split(t, [3, 5], 1); return y.cat([b.mul(2), a], 1) },
        (t) => { const parts = y.chunk(t, 2, 0); return y.cat([parts[1], parts[0].exp()], 0) },
        (t) => y.stack(y.split(t, 2, 1), 2).reshape(4, 8),
        (t, c, u) => y.cat([t, pick(u[1], c.vals)], 0).reshape(4, 2, 8).mean(1),
      ],
  },
  {
    name: 'gather',
    variants: [
        (t, c) => y.gather(t, 1, c.in.cols),
        (t, c) => y.scatterAdd(t, 1, c.in.cols, t.mul(0.5)),
        (t, c) => y.indexSelect(t, 0, c.in.rows),
        (t, c) => y.indexSelect(t, 1, c.in.cols.select(0, 1)).mul(t),
        (t) => y.gather(t, 1, y.argsort(t, 1)),
        (t, c) => y.scatterAdd(y.zerosLike(t), 0, c.in.rows.unsqueeze(1).expand(4, 8), t),
        (t, c) => t.add(y.gather(t, 1, c.in.cls.unsqueeze(1))),
      ],
  },
  {
    name: 'where',
    variants: [
        (t) => y.where(t.gt(0), t, t.mul(-0.5)),
        (t, c, u) => t.maskedFill(t.lt(pick(u[1], c.vals)), 0.25),
        (t, c, u) => y.where(c.in.mask, t, pick(u[1], c.vals)),
        (t, c) => t.maskedFill(y.logicalOr(c.in.mask, t.ge(0.5)), -1),
        (t) => y.where(y.logicalAnd(t.le(1), y.logicalNot(t.eq(0))), t, 3),
        (t, c, u) => t.mul(t.ne(pick(u[1], c.vals)).to(t.dtype)).add(y.any(t.gt(1)).to(t.dtype)).add(y.all(t.gt(-1), 1, { keepdim: true }).to(t.dtype)),
        (t) => y.where(t.sum(1, true).gt(0), t, t.neg()),
      ],
  },
  {
    name: 'cumsum-prod',
    variants: [(h, _c, u) => y.cumsum(h, pick(u[1], [0, 1])), (h, _c, u) => y.prod(bounded(h).mul(0.5).add(1), pick(u[1], [0, 1]), { keepdim: true }).mul(h)],
  },
  {
    name: 'sort',
    variants: [
        (t) => y.sort(t, 1).values,
        (t) => { const s = y.sort(t, 0, { descending: true }); return s.values.add(s.indices.to(t.dtype)) },
        (t) => y.topk(t, 3, 1).values.repeat(1, 3).narrow(1, 0, 8),
        (t) => t.add(y.topk(t, 2, 0, { largest: false }).indices.to(t.dtype).sum(0)),
      ],
  },
  {
    name: 'triangle',
    variants: [
        (t) => y.tril(t),
        (t) => y.triu(t, 1),
        (t) => y.flip(t, [1]),
        (t) => y.flip(t, [0, 1]).add(y.tril(t, -1)),
      ],
  },
  {
    name: 'integer',
    variants: [
        (t) => t.add(t.mul(3).int().to(t.dtype)),
        (t) => t.add(t.mul(4).int().mul(3).add(1).sub(t.gt(0).int()).to(t.dtype)),
        (t) => t.mul(t.gt(0).int().add(t.lt(0.5).int()).to(t.dtype)),
        (t) => t.add(t.mul(1e9).int().to(t.dtype)), // overflows for |t| > 2.1: eager's error, replayed
        (t) => t.add(y.cumsum(t.gt(0).int(), 1).to(t.dtype)),
        (t) => t.add(t.bool().to(t.dtype)),
        (t) => t.add(t.mul(2).int().sum(1, true).mul(t.int()).to(t.dtype)),
        (t) => t.add(y.amax(t.mul(3).int(), 1, { keepdim: true }).to(t.dtype)),
      ],
  },
  {
    name: 'matmul',
    params: () => [[D, D]],
    variants: [
        (t, c) => t.matmul(c.p[0]),
        (t, c) => y.mm(c.p[0], t.t()).t(),
        (t, c) => y.bmm(t.reshape(2, 2, 8), c.p[0].reshape(2, 4, 8).transpose(1, 2).narrow(1, 0, 8).contiguous().narrow(2, 0, 4).repeat(1, 1, 2)).reshape(4, 8),
        (t, c) => F.linear(t, c.p[0]),
        (t) => t.matmul(t.t()).matmul(t).div(8),
      ],
  },
  {
    name: 'conv',
    params: (v, u) => (v === 0 ? [[2, 1, 3], [2], [16, D]] : [[2, 1, 3, 3], [2], [u[1] < 0.5 ? 8 : 16, D]]),
    variants: [
      (h, c, u) => { const z = F.conv1d(h.reshape(B, 1, 8), c.p[0], c.p[1], { padding: 1 }); return back(u[2] < 0.5 ? F.maxPool1d(z, 2) : F.avgPool1d(z, 2), c.p[2]) }, // z [4, 2, 8]
      (h, c, u) => { const z = F.conv2d(h.reshape(B, 1, 2, 4), c.p[0], c.p[1], { padding: 1 }); return u[1] < 0.5 ? back(u[2] < 0.5 ? F.maxPool2d(z, 2) : F.avgPool2d(z, 2), c.p[2]) : back(u[2] < 0.5 ? F.adaptiveAvgPool2d(z, [2, 4]) : F.relu(z), c.p[2].repeat(2, 1)) }, // z [4, 2, 2, 4]
    ],
  },
  {
    name: 'norm',
    params: () => [[D], [D]],
    module: (dtype, u) => {
      const bn = new nn.BatchNorm1d(D, { dtype, momentum: 0.3 })
      if (u[1] < 0.4) bn.eval()
      return bn
    },
    variants: [
        (t, c) => F.layerNorm(t, [D], c.p[0], c.p[1]),
        (t, c) => c.m!.forward(t) as Tensor,
        (t, c) => F.groupNorm(t.reshape(B, D, 1), 2, c.p[0], c.p[1]).reshape(B, D),
        (t) => F.layerNorm(t, [D]),
      ],
  },
  {
    name: 'dropout',
    module: (_dtype, u, seed) => new nn.Dropout({ p: pick(u[1], [0.2, 0.5]), generator: new y.Generator(seed) }),
    variants: [
      (h, c) => c.m!.forward(h) as Tensor,
      (h, c) => F.dropout2d(h.reshape(B, 2, 4), { p: 0.3, training: true, generator: (c.m as nn.Dropout).generator }).reshape(B, D),
      (h) => F.dropout(h, { p: 0.3, training: true }), // the global generator
      (h) => h.add(y.randLike(h)),
    ],
  },
  {
    name: 'embedding',
    params: () => [[D, D]],
    variants: [(h, c) => h.add(F.embedding(c.in.cls, c.p[0])), (h, c) => h.mul(F.embedding(c.in.rows, c.p[0], { paddingIdx: 1 }))],
  },
  {
    name: 'attention',
    module: (dtype) => new nn.MultiheadAttention(D, 2, { batchFirst: true, dtype }),
    variants: [
      (h, c) => { const q = h.reshape(1, B, D); return (c.m as nn.MultiheadAttention).forward(q, q, q, { needWeights: false })[0].reshape(B, D) },
      (h, c, u) => { const q = h.reshape(1, B, D); return F.scaledDotProductAttention(q, q.mul(0.5), q, { ...(u[1] < 0.5 ? { isCausal: true } : { attnMask: c.in.mask.narrow(1, 0, 4) }), ...(u[2] < 0.3 ? { dropoutP: 0.25 } : {}) }).reshape(B, D) },
    ],
  },
  {
    name: 'pad-expand',
    variants: [
        (t) => F.pad(t.narrow(1, 0, 6), [1, 1]),
        (t) => F.pad(t.reshape(B, 2, 4).narrow(2, 1, 2), [1, 1], { mode: 'reflect' }).reshape(B, D),
        (t) => t.narrow(0, 0, 1).expand(4, 8).mul(t),
        (t) => F.normalize(t, { dim: 1 }),
      ],
  },
  {
    name: 'inplace',
    params: () => [[D]],
    variants: [
      (h, c) => { noGrad(() => c.p[0].clamp_(-0.3, 0.3)); return h.add(c.p[0]) },
      (h) => { const t = h.detach().clone(); t.mul_(2).add_(1); return h.add(t) },
      (h, c) => { noGrad(() => c.in.y.mul_(0.5).add_(0.25)); return h.sub(c.in.y) },
      (h, c) => { const t = h.detach(); noGrad(() => c.p[0].copy_(t.mean(0))); return h.mul(c.p[0]) },
      (h) => h.add(h.detach().clone().fill_(0.5)).add(h.detach().clone().zero_()),
      (h) => { const z = y.zerosLike(h); noGrad(() => z.add_(h.detach())); return h.mul(z) },
      (h, c) => { const z = y.onesLike(h); noGrad(() => z.mul_(c.in.x)); return h.add(z) },
    ],
  },
  {
    name: 'creation',
    variants: [
      (h) => h.add(y.onesLike(h).mul(2)).sub(y.fullLike(h, 0.3)),
      (h) => h.mul(y.eye(4, 8, { dtype: h.dtype })).add(h),
      (h) => h.add(y.arange(8, { dtype: h.dtype })).div(y.linspace(1, 2, 8, { dtype: h.dtype })),
      (h) => h.add(y.zeros([4, 8], { dtype: h.dtype })).add(y.full([8], 0.5, { dtype: h.dtype })),
      (h) => h.add(y.tensor([1, 2, 3, 4], { dtype: h.dtype }).reshape(4, 1)),
    ],
  },
  {
    name: 'finite',
    variants: [
      (h) => y.where(y.isfinite(h.log()), h.log(), 0),
      (h) => h.maskedFill(y.isnan(h.sqrt()), 1),
      (h) => h.add(y.isinf(h.exp().exp()).to(h.dtype)),
    ],
  },
]

/** Losses: the program's scalar from h. */
export const LOSSES: { name: string; apply: (h: Tensor, i: Inputs) => Tensor }[] = [
  { name: 'mse', apply: (h, i) => F.mseLoss(h, i.y) },
  { name: 'l1', apply: (h, i) => F.l1Loss(h, i.y) },
  { name: 'smoothL1', apply: (h, i) => F.smoothL1Loss(h, i.y, { beta: 0.5 }) },
  { name: 'huber', apply: (h, i) => F.huberLoss(h, i.y, { delta: 0.7 }) },
  { name: 'crossEntropy', apply: (h, i) => F.crossEntropy(h, i.cls) },
  { name: 'crossEntropy-smooth', apply: (h, i) => F.crossEntropy(h, i.cls, { labelSmoothing: 0.1 }) },
  { name: 'crossEntropy-probs', apply: (h, i) => F.crossEntropy(h, y.softmax(i.y, 1)) },
  { name: 'nll', apply: (h, i) => F.nllLoss(y.logSoftmax(h, 1), i.cls) },
  { name: 'bce', apply: (h, i) => F.binaryCrossEntropy(h.sigmoid(), i.y) },
  { name: 'bceLogits', apply: (h, i) => F.binaryCrossEntropyWithLogits(h, i.y) },
  { name: 'klDiv', apply: (h, i) => F.klDiv(y.logSoftmax(h, 1), y.softmax(i.y, 1), { reduction: 'batchmean' }) },
  { name: 'cosine', apply: (h, i) => F.cosineSimilarity(h, i.y).mean() },
  { name: 'square-mean', apply: (h) => h.square().mean() },
]
