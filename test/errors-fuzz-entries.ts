import * as y from '../src/index.js'
import { F, nn, Tensor } from '../src/index.js'

/**
 * The public calls test/errors-fuzz.test.ts breaks, each with valid arguments and what each
 * argument is, from which the fuzz derives inputs that are wrong whatever the others are.
 */

/** What an argument is, and so which values are certainly wrong for it. */
export type Kind =
  | { tensor: true; float?: boolean; ranks?: number[]; exact?: boolean; optional?: boolean }
  | { dim: number }
  | { dims: number }
  | { size: number }
  | { sizes: true }
  | { options: Record<string, 'bool' | 'number' | 'int' | 'dims' | 'enum'> }
  | { index: number; negative?: boolean }
  | { mask: true; intIndexes?: boolean }
  | { list: true }
  | { position: number }
  | { step: true }
  | { fixed: true }

export interface Entry {
  op: string
  args: () => [unknown, Kind][]
  call: (...a: any[]) => unknown
}

const seq = (shape: number[], dtype: 'float32' | 'float64' = 'float32') => y.arange(0, shape.reduce((a, b) => a * b, 1), 1, { dtype }).div(7).sin().reshape(shape)
const i32 = (data: number[], shape = [data.length]) => new Tensor(Int32Array.from(data), shape)
const T = (shape: number[], o: { float?: boolean; ranks?: number[]; exact?: boolean; optional?: boolean } = {}): [Tensor, Kind] => [seq(shape), { tensor: true, ...o }]
const X = (): [Tensor, Kind] => T([2, 3, 4])
/** A tensor that must hold floats (PyTorch refuses int32 and bool; softmax and the average pools compute an int32 input in float32, by design). */
const FT = (shape: number[], o: { ranks?: number[]; exact?: boolean; optional?: boolean } = {}) => T(shape, { ...o, float: true })
const FX = () => FT([2, 3, 4])
const fixed = (v: unknown): [unknown, Kind] => [v, { fixed: true }]
const dim = (d: number, n = 3): [unknown, Kind] => [d, { dim: n }]
const dims = (d: number[], n = 3): [unknown, Kind] => [d, { dims: n }]
const opts = (v: object, spec: Record<string, 'bool' | 'number' | 'int' | 'dims' | 'enum'>): [unknown, Kind] => [v, { options: spec }]
const KEEP = { keepdim: 'bool' } as const
/**
 * int32 indices into a dim of `size`; negative ones count from the end where `negative` (yann's
 * gather, scatterAdd and indexSelect take them; PyTorch's refuse them).
 */
const index = (data: number[], shape: number[], size: number, negative = false): [unknown, Kind] => [i32(data, shape), { index: size, negative }]
/** A bool mask; `intIndexes`: an int32 tensor there indexes (x.index), so it is not wrong. */
const mask = (shape: number[], intIndexes = false): [unknown, Kind] => [seq(shape).gt(0), { mask: true, intIndexes }]

const reduction = (op: string, f: (...a: any[]) => unknown, list = true, float = false): Entry => ({
  op,
  args: () => [float ? FX() : X(), list ? dims([0, 2]) : dim(1), opts({ keepdim: true }, KEEP)],
  call: f,
})

export const ENTRIES: Entry[] = [
  reduction('sum', (x, d, o) => x.sum(d, o)),
  reduction('mean', (x, d, o) => x.mean(d, o), true, true),
  reduction('var', (x, d, o) => x.var(d, o), true, true),
  reduction('std', (x, d, o) => y.std(x, d, o), true, true),
  reduction('prod', (x, d, o) => y.prod(x, d, o), false),
  reduction('amax', (x, d, o) => x.amax(d, o)),
  reduction('amin', (x, d, o) => y.amin(x, d, o)),
  reduction('max', (x, d, o) => x.max(d, o), false),
  reduction('min', (x, d, o) => y.min(x, d, o), false),
  reduction('argmax', (x, d, o) => x.argmax(d, o), false),
  reduction('argmin', (x, d, o) => y.argmin(x, d, o), false),
  reduction('logsumexp', (x, d, o) => x.logsumexp(d, o)),
  reduction('any', (x, d, o) => x.gt(0).any(d, o)),
  reduction('all', (x, d, o) => y.all(x.gt(0), d, o)),
  { op: 'cumsum', args: () => [X(), dim(1)], call: (x, d) => x.cumsum(d) },
  { op: 'softmax', args: () => [X(), dim(1)], call: (x, d) => F.softmax(x, d) },
  { op: 'logSoftmax', args: () => [X(), dim(-1)], call: (x, d) => x.logSoftmax(d) },
  { op: 'matmul', args: () => [T([2, 3]), T([3, 4], { exact: true })], call: (a, b) => a.matmul(b) },
  { op: 'mm', args: () => [T([2, 3], { ranks: [2] }), T([3, 4], { ranks: [2], exact: true })], call: (a, b) => y.mm(a, b) },
  { op: 'bmm', args: () => [T([2, 2, 3], { ranks: [3] }), T([2, 3, 4], { ranks: [3], exact: true })], call: (a, b) => y.bmm(a, b) },
  { op: 'linear', args: () => [FT([2, 3]), FT([4, 3], { ranks: [1, 2], exact: true }), FT([4], { exact: true, optional: true })], call: (x, w, b) => F.linear(x, w, b) },
  { op: 'gather', args: () => [X(), dim(1), index([0, 2, 1, 0], [1, 2, 2], 3, true)], call: (x, d, i) => x.gather(d, i) },
  { op: 'scatterAdd', args: () => [X(), dim(1), index([0, 2, 1, 0], [1, 2, 2], 3, true), T([1, 2, 2])], call: (x, d, i, s) => x.scatterAdd(d, i, s) },
  { op: 'indexSelect', args: () => [X(), dim(2), index([3, 0], [2], 4, true)], call: (x, d, i) => x.indexSelect(d, i) },
  { op: 'narrow', args: () => [X(), dim(2), [1, { position: 4 }], [2, { size: 0 }]], call: (x, d, s, n) => x.narrow(d, s, n) },
  { op: 'select', args: () => [X(), dim(1), [2, { position: 3 }]], call: (x, d, i) => x.select(d, i) },
  { op: 'slice', args: () => [X(), dim(2), fixed(0), fixed(3), [2, { size: 1 }]], call: (x, d, s, e, st) => x.slice(d, s, e, st) },
  { op: 'cat', args: () => [X(), T([2, 1, 4]), dim(1)], call: (a, b, d) => y.cat([a, b], d) },
  { op: 'index', args: () => [X(), index([2, -1, 0], [3], 3, true)], call: (x, i) => x.index(null, i) },
  { op: 'index', args: () => [X(), mask([2, 3], true)], call: (x, m) => x.index(m) },
  { op: 'cat', args: () => [[[seq([2]), seq([3])], { list: true }]], call: (xs) => y.cat(xs) },
  { op: 'stack', args: () => [[[seq([2]), seq([2])], { list: true }]], call: (xs) => y.stack(xs) },
  { op: 'stack', args: () => [X(), T([2, 3, 4], { exact: true }), dim(3, 4)], call: (a, b, d) => y.stack([a, b], d) },
  { op: 'split', args: () => [X(), [2, { size: 1 }], dim(2)], call: (x, s, d) => x.split(s, d) },
  { op: 'chunk', args: () => [X(), [2, { size: 1 }], dim(2)], call: (x, n, d) => x.chunk(n, d) },
  { op: 'sort', args: () => [X(), dim(1), opts({ descending: true }, { descending: 'bool', stable: 'bool' })], call: (x, d, o) => x.sort(d, o) },
  { op: 'argsort', args: () => [X(), dim(1), opts({}, { descending: 'bool', stable: 'bool' })], call: (x, d, o) => x.argsort(d, o) },
  { op: 'topk', args: () => [X(), [2, { size: 0 }], dim(2), opts({ largest: false }, { largest: 'bool', sorted: 'bool' })], call: (x, k, d, o) => x.topk(k, d, o) },
  { op: 'tril', args: () => [T([3, 4], { ranks: [2, 3, 4, 5] }), fixed(1)], call: (x, k) => x.tril(k) },
  { op: 'triu', args: () => [T([3, 4], { ranks: [2, 3, 4, 5] }), opts({ diagonal: -1 }, { diagonal: 'int' })], call: (x, o) => x.triu(o) },
  { op: 'flip', args: () => [X(), dims([0, -1])], call: (x, d) => x.flip(d) },
  { op: 'where', args: () => [mask([2, 3, 4]), X(), T([3, 4])], call: (c, a, b) => y.where(c, a, b) },
  { op: 'maskedFill', args: () => [X(), mask([3, 1]), fixed(2)], call: (x, m, v) => x.maskedFill(m, v) },
  { op: 'reshape', args: () => [X(), fixed([4, -1])], call: (x, s) => x.reshape(s) },
  { op: 'permute', args: () => [X(), fixed([2, 0, 1])], call: (x, p) => x.permute(p) },
  { op: 'transpose', args: () => [X(), dim(0), dim(2)], call: (x, a, b) => x.transpose(a, b) },
  { op: 'unsqueeze', args: () => [X(), dim(3, 4)], call: (x, d) => x.unsqueeze(d) },
  { op: 'squeeze', args: () => [T([2, 1, 4]), dim(1)], call: (x, d) => x.squeeze(d) },
  { op: 'flatten', args: () => [X(), dim(1), dim(2)], call: (x, a, b) => x.flatten(a, b) },
  { op: 'unflatten', args: () => [X(), dim(2), fixed([2, 2])], call: (x, d, s) => x.unflatten(d, s) },
  { op: 'expand', args: () => [T([3, 1]), [[2, 3, 4], { sizes: true }]], call: (x, s) => x.expand(s) },
  { op: 'repeat', args: () => [T([3, 1]), [[2, 1, 2], { sizes: true }]], call: (x, s) => x.repeat(s) },
  { op: 'pad', args: () => [X(), fixed([1, 1, 0, 1]), opts({ mode: 'reflect' }, { mode: 'enum', value: 'number' })], call: (x, p, o) => F.pad(x, p, o) },
  { op: 'conv1d', args: () => [FT([2, 4, 9], { ranks: [2, 3] }), FT([6, 2, 3], { exact: true }), FT([6], { exact: true, optional: true }), opts({ stride: 2, padding: 1, dilation: 1, groups: 2 }, { stride: 'int', dilation: 'int', groups: 'int' })], call: (x, w, b, o) => F.conv1d(x, w, b, o) },
  { op: 'conv2d', args: () => [FT([1, 2, 5, 5], { ranks: [3, 4] }), FT([4, 2, 3, 3], { exact: true }), FT([4], { exact: true, optional: true }), opts({ stride: 1, padding: 'same', dilation: 2 }, { stride: 'int', dilation: 'int', groups: 'int' })], call: (x, w, b, o) => F.conv2d(x, w, b, o) },
  { op: 'convTranspose2d', args: () => [FT([1, 2, 3, 3], { ranks: [3, 4] }), FT([2, 3, 2, 2], { exact: true }), FT([3], { exact: true, optional: true }), opts({ stride: 2, outputPadding: 1 }, { stride: 'int', padding: 'int', outputPadding: 'int', dilation: 'int', groups: 'int' })], call: (x, w, b, o) => F.convTranspose2d(x, w, b, o) },
  { op: 'maxPool2d', args: () => [T([1, 2, 5, 5], { ranks: [3, 4] }), [2, { size: 1 }], opts({ stride: 2, padding: 1, ceilMode: true }, { stride: 'int', padding: 'int', dilation: 'int', ceilMode: 'bool', returnIndices: 'bool' })], call: (x, k, o) => F.maxPool2d(x, k, o) },
  { op: 'maxPool1d', args: () => [T([2, 5], { ranks: [2, 3] }), [3, { size: 1 }], opts({ dilation: 2 }, { stride: 'int', padding: 'int', dilation: 'int', ceilMode: 'bool', returnIndices: 'bool' })], call: (x, k, o) => F.maxPool1d(x, k, o) },
  { op: 'avgPool2d', args: () => [T([1, 2, 5, 5], { ranks: [3, 4] }), [3, { size: 1 }], opts({ padding: 1, countIncludePad: false }, { stride: 'int', padding: 'int', ceilMode: 'bool', countIncludePad: 'bool' })], call: (x, k, o) => F.avgPool2d(x, k, o) },
  { op: 'avgPool1d', args: () => [T([2, 5], { ranks: [2, 3] }), [2, { size: 1 }], opts({ ceilMode: true }, { stride: 'int', padding: 'int', ceilMode: 'bool', countIncludePad: 'bool' })], call: (x, k, o) => F.avgPool1d(x, k, o) },
  { op: 'adaptiveAvgPool2d', args: () => [T([1, 2, 5, 5], { ranks: [3, 4] }), [3, { size: 1 }]], call: (x, s) => F.adaptiveAvgPool2d(x, s) },
  { op: 'layerNorm', args: () => [FX(), fixed([3, 4]), FT([3, 4], { exact: true, optional: true }), FT([3, 4], { exact: true, optional: true }), opts({ eps: 1e-3 }, { eps: 'number' })], call: (x, s, w, b, o) => F.layerNorm(x, s, w, b, o) },
  { op: 'groupNorm', args: () => [FT([2, 4, 3]), [2, { size: 1 }], FT([4], { exact: true, optional: true }), FT([4], { exact: true, optional: true }), opts({}, { eps: 'number' })], call: (x, g, w, b, o) => F.groupNorm(x, g, w, b, o) },
  { op: 'batchNorm', args: () => [FT([4, 3, 2]), FT([3], { exact: true, optional: true }), FT([3], { exact: true, optional: true }), FT([3], { exact: true, optional: true }), FT([3], { exact: true, optional: true }), opts({ training: true }, { training: 'bool', momentum: 'number', eps: 'number' })], call: (x, m, v, w, b, o) => F.batchNorm(x, m, v, w, b, o) },
  { op: 'embedding', args: () => [index([0, 4, 2], [3], 5), T([5, 3], { ranks: [2] }), opts({ paddingIdx: 1 }, { paddingIdx: 'int' })], call: (i, w, o) => F.embedding(i, w, o) },
  { op: 'scaledDotProductAttention', args: () => [FT([2, 3, 4], { ranks: [2, 3, 4] }), FT([2, 5, 4], { exact: true }), FT([2, 5, 4], { exact: true }), opts({ isCausal: true }, { isCausal: 'bool', scale: 'number', dropoutP: 'number' })], call: (q, k, v, o) => F.scaledDotProductAttention(q, k, v, o) },
  { op: 'crossEntropy', args: () => [FT([4, 3]), index([0, 2, 1, 2], [4], 3), opts({ labelSmoothing: 0.1, reduction: 'sum' }, { ignoreIndex: 'int', labelSmoothing: 'number', reduction: 'enum' })], call: (x, t, o) => F.crossEntropy(x, t, o) },
  { op: 'nllLoss', args: () => [FT([4, 3]), index([0, 2, 1, 2], [4], 3), opts({ ignoreIndex: 2 }, { ignoreIndex: 'int', reduction: 'enum' })], call: (x, t, o) => F.nllLoss(x, t, o) },
  { op: 'mseLoss', args: () => [FT([4, 3]), FT([4, 3], { exact: true }), opts({}, { reduction: 'enum' })], call: (x, t, o) => F.mseLoss(x, t, o) },
  { op: 'l1Loss', args: () => [FT([4, 3]), FT([4, 3], { exact: true }), opts({}, { reduction: 'enum' })], call: (x, t, o) => F.l1Loss(x, t, o) },
  { op: 'smoothL1Loss', args: () => [FT([4, 3]), FT([4, 3], { exact: true }), opts({ beta: 0.5 }, { reduction: 'enum', beta: 'number' })], call: (x, t, o) => F.smoothL1Loss(x, t, o) },
  { op: 'huberLoss', args: () => [FT([4, 3]), FT([4, 3], { exact: true }), opts({ delta: 0.5 }, { reduction: 'enum', delta: 'number' })], call: (x, t, o) => F.huberLoss(x, t, o) },
  { op: 'binaryCrossEntropy', args: () => [fixed(seq([4, 3]).sigmoid()), fixed(seq([4, 3]).abs()), opts({}, { reduction: 'enum' })], call: (x, t, o) => F.binaryCrossEntropy(x, t, o) },
  { op: 'binaryCrossEntropyWithLogits', args: () => [FT([4, 3]), FT([4, 3], { exact: true }), opts({}, { reduction: 'enum' })], call: (x, t, o) => F.binaryCrossEntropyWithLogits(x, t, o) },
  { op: 'klDiv', args: () => [FT([4, 3]), FT([4, 3], { exact: true }), opts({ logTarget: true }, { reduction: 'enum', logTarget: 'bool' })], call: (x, t, o) => F.klDiv(x, t, o) },
  { op: 'cosineSimilarity', args: () => [FT([4, 3]), FT([4, 3], { exact: true }), opts({ dim: 1 }, { dim: 'int', eps: 'number' })], call: (a, b, o) => F.cosineSimilarity(a, b, o) },
  { op: 'normalize', args: () => [FT([4, 3]), opts({ p: 1, dim: 0 }, { p: 'number', dim: 'int', eps: 'number' })], call: (x, o) => F.normalize(x, o) },
  { op: 'dropout', args: () => [X(), opts({ p: 0.3, training: true }, { p: 'number', training: 'bool' })], call: (x, o) => F.dropout(x, o) },
  { op: 'add', args: () => [X(), T([3, 4], { exact: true })], call: (a, b) => a.add(b) },
  { op: 'mul', args: () => [X(), T([4], { exact: true })], call: (a, b) => y.mul(a, b) },
  { op: 'div', args: () => [X(), T([3, 1], { exact: true }), opts({ roundingMode: 'floor' }, { roundingMode: 'enum' })], call: (a, b, o) => a.div(b, o) },
  { op: 'maximum', args: () => [X(), T([3, 4], { exact: true })], call: (a, b) => a.maximum(b) },
  { op: 'minimum', args: () => [X(), T([2, 1, 4], { exact: true })], call: (a, b) => y.minimum(a, b) },
  { op: 'pow', args: () => [X(), T([3, 4], { exact: true })], call: (a, b) => a.abs().pow(b) },
  { op: 'eq', args: () => [X(), T([3, 4], { exact: true })], call: (a, b) => a.eq(b) },
  { op: 'logicalAnd', args: () => [T([2, 3]), T([2, 3], { exact: true })], call: (a, b) => y.logicalAnd(a, b) },
  { op: 'add_', args: () => [X(), T([3, 4], { exact: true })], call: (a, b) => a.add_(b) },
  { op: 'copy_', args: () => [X(), T([3, 4], { exact: true })], call: (a, b) => a.copy_(b) },
  { op: 'view', args: () => [X(), [[4, 6], { sizes: true }]], call: (x, s) => x.view(s) },
  { op: 'zeros', args: () => [[[2, 3], { sizes: true }]], call: (s) => y.zeros(s) },
  { op: 'full', args: () => [[[2, 3], { sizes: true }], fixed(1.5)], call: (s, v) => y.full(s, v) },
  { op: 'randn', args: () => [[[2, 3], { sizes: true }]], call: (s) => y.randn(s) },
  { op: 'eye', args: () => [[3, { size: 0 }], [2, { size: 0 }]], call: (n, m) => y.eye(n, m) },
  { op: 'linspace', args: () => [fixed(0), fixed(1), [5, { size: 0 }]], call: (a, b, n) => y.linspace(a, b, n) },
  { op: 'randint', args: () => [fixed(0), fixed(4), [[2, 3], { sizes: true }]], call: (a, b, s) => y.randint(a, b, s) },
  { op: 'randperm', args: () => [[5, { size: 0 }]], call: (n) => y.randperm(n) },
  { op: 'arange', args: () => [fixed(0), fixed(5), [1, { step: true }]], call: (a, b, st) => y.arange(a, b, st) },
  { op: 'SGD', args: () => [opts({ lr: 0.1, momentum: 0.9 }, { momentum: 'number' })], call: (o) => new y.optim.SGD([y.zeros([2], { requiresGrad: true })], o) },
  { op: 'Adam', args: () => [opts({ lr: 0.1, eps: 1e-6 }, { eps: 'number' })], call: (o) => new y.optim.Adam([y.zeros([2], { requiresGrad: true })], o) },
  { op: 'DataLoader', args: () => [opts({ batchSize: 2, shuffle: true }, { shuffle: 'bool' })], call: (o) => new y.data.DataLoader(new y.data.TensorDataset(y.zeros([4, 2])), o) },
  { op: 'clipGradNorm', args: () => [opts({ normType: 1 }, { normType: 'number' })], call: (o) => y.nn.utils.clipGradNorm([y.zeros([2], { requiresGrad: true })], 1, o) },
  { op: 'Linear', args: () => [[3, { size: 0 }], [4, { size: 0 }], opts({ bias: false }, { bias: 'bool' })], call: (i, o, b) => new nn.Linear(i, o, b) },
  { op: 'Conv2d', args: () => [[2, { size: 1 }], [4, { size: 1 }], [3, { size: 1 }], opts({ groups: 2, stride: 2 }, { groups: 'int', stride: 'int', bias: 'bool' })], call: (i, o, k, p) => new nn.Conv2d(i, o, k, p) },
  { op: 'BatchNorm1d', args: () => [[3, { size: 1 }], opts({ momentum: 0.2 }, { eps: 'number', momentum: 'number', affine: 'bool', trackRunningStats: 'bool' })], call: (n, o) => new nn.BatchNorm1d(n, o) },
  { op: 'LayerNorm', args: () => [[3, { size: 1 }], opts({ eps: 1e-3 }, { eps: 'number', elementwiseAffine: 'bool', bias: 'bool' })], call: (n, o) => new nn.LayerNorm(n, o) },
  { op: 'GroupNorm', args: () => [[2, { size: 1 }], fixed(4), opts({}, { eps: 'number', affine: 'bool' })], call: (g, c, o) => new nn.GroupNorm(g, c, o) },
  { op: 'Embedding', args: () => [[5, { size: 1 }], [3, { size: 0 }], opts({ paddingIdx: 0 }, { paddingIdx: 'int' })], call: (n, d, o) => new nn.Embedding(n, d, o) },
  { op: 'MultiheadAttention', args: () => [[4, { size: 1 }], [2, { size: 1 }], opts({ batchFirst: true }, { bias: 'bool', batchFirst: 'bool' })], call: (e, h, o) => new nn.MultiheadAttention(e, h, o) },
  { op: 'Dropout', args: () => [opts({ p: 0.2 }, { p: 'number', inplace: 'bool' })], call: (o) => new nn.Dropout(o) },
  { op: 'Linear', args: () => [T([2, 3], { ranks: [1, 2, 3] })], call: (x) => new nn.Linear(3, 4).forward(x) },
  { op: 'Conv2d', args: () => [T([1, 2, 5, 5], { ranks: [3, 4] })], call: (x) => new nn.Conv2d(2, 4, 3).forward(x) },
  { op: 'BatchNorm2d', args: () => [T([2, 3, 2, 2], { ranks: [4] })], call: (x) => new nn.BatchNorm2d(3).forward(x) },
  { op: 'MultiheadAttention', args: () => [T([2, 3, 4], { ranks: [2, 3] }), T([2, 3, 4], { exact: true }), T([2, 3, 4], { exact: true })], call: (q, k, v) => new nn.MultiheadAttention(4, 2, { batchFirst: true }).forward(q, k, v) },
]

/** Wrong inputs that depend on the other arguments: [op, what is wrong, the call]. */
export const SPECIFIC: [string, string, () => unknown][] = [
  ['expand', 'a size that is not 1 changed', () => seq([3, 1]).expand([4, 4])],
  ['expand', 'fewer sizes than dims', () => seq([2, 3]).expand([3])],
  ['repeat', 'fewer repeats than dims', () => seq([2, 3]).repeat([2])],
  ['repeat', 'more than one tensor holds', () => seq([2]).repeat([1e9])],
  ['expand', 'more than one tensor holds', () => seq([1, 1]).expand([1e5, 1e5])],
  ['pad', 'more than one tensor holds', () => F.pad(seq([1]), [1e9, 1e9])],
  ['zeros', 'more than one tensor holds', () => y.zeros([1e5, 1e5])],
  ['unflatten', 'sizes that do not multiply to the dim', () => seq([2, 4]).unflatten(1, [3, 2])],
  ['flatten', 'startDim after endDim', () => seq([2, 3, 4]).flatten(2, 1)],
  ['split', 'sizes that do not sum to the dim', () => seq([4]).split([1, 1])],
  ['permute', 'too few dims', () => seq([2, 3, 4]).permute([0, 1])],
  ['reshape', 'two -1', () => seq([2, 3]).reshape([-1, -1])],
  ['reshape', 'a size that does not divide', () => seq([2, 3]).reshape([4, -1])],
  ['narrow', 'a length past the end', () => seq([2, 4]).narrow(1, 1, 4)],
  ['slice', 'a negative step', () => seq([4]).slice(0, 0, 4, -1)],
  ['slice', 'step 0', () => seq([4]).slice(0, 0, 4, 0)],
  ['topk', 'k larger than the dim', () => seq([2, 4]).topk(5)],
  ['pad', 'reflect padding as large as the dim', () => F.pad(seq([1, 3]), [3, 0], { mode: 'reflect' })],
  ['pad', 'an odd-length pad list', () => F.pad(seq([2, 3]), [1, 1, 1])],
  ['pad', 'cropping past the size', () => F.pad(seq([2, 3]), [-2, -2])],
  ['conv2d', 'groups that do not divide the channels', () => F.conv2d(seq([1, 2, 5, 5]), seq([4, 1, 3, 3]), null, { groups: 3 })],
  ['conv2d', "padding 'same' with stride 2", () => F.conv2d(seq([1, 2, 5, 5]), seq([4, 2, 3, 3]), null, { padding: 'same', stride: 2 })],
  ['conv2d', 'an unknown padding string', () => F.conv2d(seq([1, 2, 5, 5]), seq([4, 2, 3, 3]), null, { padding: 'full' as never })],
  ['conv2d', 'stride 0', () => F.conv2d(seq([1, 2, 5, 5]), seq([4, 2, 3, 3]), null, { stride: 0 })],
  ['conv2d', 'negative padding', () => F.conv2d(seq([1, 2, 5, 5]), seq([4, 2, 3, 3]), null, { padding: -1 })],
  ['conv2d', 'three strides', () => F.conv2d(seq([1, 2, 5, 5]), seq([4, 2, 3, 3]), null, { stride: [1, 1, 1] })],
  ['conv1d', 'a kernel larger than the input', () => F.conv1d(seq([1, 2, 2]), seq([4, 2, 3]))],
  ['convTranspose2d', 'outputPadding not below the stride', () => F.convTranspose2d(seq([1, 2, 3, 3]), seq([2, 3, 2, 2]), null, { stride: 2, outputPadding: 2 })],
  ['maxPool2d', 'padding over half the kernel', () => F.maxPool2d(seq([1, 2, 5, 5]), 2, { padding: 2 })],
  ['maxPool2d', 'dilation 0', () => F.maxPool2d(seq([1, 2, 5, 5]), 2, { dilation: 0 })],
  ['avgPool2d', 'a kernel larger than the padded input', () => F.avgPool2d(seq([1, 2, 2, 2]), 4)],
  ['adaptiveAvgPool2d', 'three output sizes', () => F.adaptiveAvgPool2d(seq([1, 2, 5, 5]), [2, 2, 2] as never)],
  ['layerNorm', 'a normalizedShape the input does not end with', () => F.layerNorm(seq([2, 3, 4]), [3])],
  ['groupNorm', 'groups that do not divide the channels', () => F.groupNorm(seq([2, 4, 3]), 3)],
  ['batchNorm', 'one value per channel in training', () => F.batchNorm(seq([1, 3]), null, null, null, null, { training: true })],
  ['embedding', 'paddingIdx past the rows', () => F.embedding(i32([0, 1]), seq([5, 3]), { paddingIdx: 7 })],
  ['crossEntropy', 'labelSmoothing above 1', () => F.crossEntropy(seq([4, 3]), i32([0, 1, 2, 0]), { labelSmoothing: 1.5 })],
  ['crossEntropy', 'a target class out of range', () => F.crossEntropy(seq([4, 3]), i32([0, 1, 3, 0]))],
  ['nllLoss', 'a negative class that is not ignoreIndex', () => F.nllLoss(seq([4, 3]), i32([0, -1, 2, 0]))],
  ['scaledDotProductAttention', 'a mask that does not broadcast', () => F.scaledDotProductAttention(seq([2, 3, 4]), seq([2, 5, 4]), seq([2, 5, 4]), { attnMask: seq([2, 3, 6]) })],
  ['scaledDotProductAttention', 'both attnMask and isCausal', () => F.scaledDotProductAttention(seq([2, 3, 4]), seq([2, 5, 4]), seq([2, 5, 4]), { attnMask: seq([3, 5]), isCausal: true })],
  ['scaledDotProductAttention', 'keys and values of different lengths', () => F.scaledDotProductAttention(seq([2, 3, 4]), seq([2, 5, 4]), seq([2, 6, 4]))],
  ['dropout', 'p above 1', () => F.dropout(seq([4]), { p: 1.5 })],
  ['dropout', 'p NaN', () => F.dropout(seq([4]), { p: NaN })],
  ['randint', 'low not below high', () => y.randint(4, 4, [2])],
  ['linspace', 'a fractional step count', () => y.linspace(0, 1, 2.5)],
  ['full', 'a string value', () => y.full([2], 'a' as never)],
  ['cat', 'shapes that differ off the dim', () => y.cat([seq([2, 3]), seq([2, 4])], 0)],
  ['cat', 'different ranks', () => y.cat([seq([2, 3]), seq([3])], 0)],
  ['stack', 'different shapes', () => y.stack([seq([2, 3]), seq([3, 2])])],
  ['where', 'a condition that does not broadcast', () => y.where(seq([4]).gt(0), seq([2, 3]), 0)],
  ['index', 'a bool mask of the wrong size', () => seq([2, 3]).index(seq([3]).gt(0))],
  ['index', 'too many indices', () => seq([2, 3]).index(0, 0, 0)],
  ['index', 'a slice string with step 0', () => seq([4]).index('::0')],
  ['index', 'a malformed slice string', () => seq([4]).index('1:x')],
  ['gather', 'an index of another rank', () => seq([2, 3]).gather(1, i32([0, 1]))],
  ['scatterAdd', 'a source smaller than the index', () => seq([2, 3]).scatterAdd(1, i32([0, 1, 2, 0], [2, 2]), seq([2, 1]))],
  ['matmul', 'two 0-d tensors', () => seq([]).matmul(seq([]))],
  ['Linear', 'an input of the wrong width', () => new nn.Linear(3, 4).forward(seq([2, 5]))],
  ['Embedding', 'float indices', () => new nn.Embedding(5, 3).forward(seq([2]))],
  ['LayerNorm', 'an input not ending with its shape', () => new nn.LayerNorm(4).forward(seq([2, 3]))],
  ['BatchNorm1d', 'the wrong channel count', () => new nn.BatchNorm1d(3).forward(seq([2, 4]))],
  ['GroupNorm', 'the wrong channel count', () => new nn.GroupNorm(2, 4).forward(seq([2, 6, 3]))],
  ['Conv1d', 'the wrong channel count', () => new nn.Conv1d(2, 4, 3).forward(seq([1, 3, 8]))],
  ['MaxPool2d', 'a 2-d input', () => new nn.MaxPool2d(2).forward(seq([4, 4]))],
  ['MultiheadAttention', 'an embedding not divisible by heads', () => new nn.MultiheadAttention(5, 2)],
  ['Dropout', 'p negative', () => new nn.Dropout(-0.1)],
  ['Sequential', 'a non-module', () => new nn.Sequential(3 as never)],
]
