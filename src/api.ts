/** yann's public API, and nothing else. The entry points (index.ts, index.workerd.ts) add the wasm binary. */
export { Tensor } from './tensor.js'
import './methods/index.js'
import { tensorFirst } from './argument-checks.js'
import * as unary from './ops/unary.js'
import * as reduce from './ops/reduce.js'
import * as shapeOps from './ops/shape.js'
import * as extremes from './ops/extremes.js'
import * as statistics from './ops/statistics.js'
import * as join from './ops/join.js'
import * as slicing from './ops/slice.js'
import * as indexing from './ops/indexing.js'
import * as layout from './ops/layout.js'
import * as triangle from './ops/triangle.js'
import * as sorting from './ops/sorting.js'
import * as flipping from './ops/flip.js'
import * as finite from './ops/finite.js'
import * as products from './ops/mm.js'
import * as compare from './ops/compare.js'
import * as softmaxOps from './ops/softmax.js'
export type { NestedArray, Operand, Storage } from './tensor.js'
export type { DType } from './dtype.js'
export { tensor, zeros, ones, full, arange, rand, randn, zerosLike, onesLike } from './creation.js'
export type { TensorData, TensorOptions } from './creation.js'
export { manualSeed } from './random.js'
export { Generator } from './random.js'
export { noGrad, isGradEnabled } from './autograd/grad-mode.js'
export { grad } from './autograd/grad.js'
export type { BackwardOptions } from './autograd/engine.js'
export { gradcheck } from './autograd/gradcheck.js'
export type { GradcheckOptions } from './autograd/gradcheck.js'
export { jacobian } from './autograd/jacobian.js'
export { compile } from './compile/compile.js'
export type { CompiledFunction, CompiledRun } from './compile/compile.js'
export type { TensorFunction } from './autograd/jacobian.js'
export { add, sub, mul, div, maximum } from './ops/binary.js'
export { minimum } from './ops/binary.js'
export const neg = tensorFirst('neg', unary.neg)
export const exp = tensorFirst('exp', unary.exp)
export const log = tensorFirst('log', unary.log)
export const sqrt = tensorFirst('sqrt', unary.sqrt)
export const abs = tensorFirst('abs', unary.abs)
export const relu = tensorFirst('relu', unary.relu)
export const sigmoid = tensorFirst('sigmoid', unary.sigmoid)
export const tanh = tensorFirst('tanh', unary.tanh)
export const pow = tensorFirst('pow', unary.pow)
export const clamp = tensorFirst('clamp', unary.clamp)
export const sin = tensorFirst('sin', unary.sin)
export const cos = tensorFirst('cos', unary.cos)
export const log1p = tensorFirst('log1p', unary.log1p)
export const expm1 = tensorFirst('expm1', unary.expm1)
export const square = tensorFirst('square', unary.square)
export const rsqrt = tensorFirst('rsqrt', unary.rsqrt)
export const reciprocal = tensorFirst('reciprocal', unary.reciprocal)
export const sign = tensorFirst('sign', unary.sign)
export const floor = tensorFirst('floor', unary.floor)
export const round = tensorFirst('round', unary.round)
export { matmul } from './ops/matmul.js'
export const sum = tensorFirst('sum', reduce.sum)
export const mean = tensorFirst('mean', reduce.mean)
export const reshape = tensorFirst('reshape', shapeOps.reshape)
export const transpose = tensorFirst('transpose', shapeOps.transpose)
export const permute = tensorFirst('permute', shapeOps.permute)
export const unsqueeze = tensorFirst('unsqueeze', shapeOps.unsqueeze)
export const squeeze = tensorFirst('squeeze', shapeOps.squeeze)
export const softmax = tensorFirst('softmax', softmaxOps.softmax)
export const logSoftmax = tensorFirst('logSoftmax', softmaxOps.logSoftmax)
export { gt, lt, ge, le, eq, ne, where, maskedFill } from './ops/compare.js'
export const logicalNot = tensorFirst('logicalNot', compare.logicalNot)
export const logicalAnd = tensorFirst('logicalAnd', compare.logicalAnd)
export const logicalOr = tensorFirst('logicalOr', compare.logicalOr)
export const any = tensorFirst('any', compare.any)
export const all = tensorFirst('all', compare.all)
export const max = tensorFirst('max', extremes.max)
export const min = tensorFirst('min', extremes.min)
export const amax = tensorFirst('amax', extremes.amax)
export const amin = tensorFirst('amin', extremes.amin)
export const argmax = tensorFirst('argmax', extremes.argmax)
export const argmin = tensorFirst('argmin', extremes.argmin)
export type { ValuesIndices } from './ops/extremes.js'
export const logsumexp = tensorFirst('logsumexp', statistics.logsumexp)
const variance = tensorFirst('var', statistics.variance)
export { variance as var }
export const std = tensorFirst('std', statistics.std)
export const cumsum = tensorFirst('cumsum', statistics.cumsum)
export const prod = tensorFirst('prod', statistics.prod)
export type { VarOptions } from './ops/statistics.js'
export { cat, stack } from './ops/join.js'
export const split = tensorFirst('split', join.split)
export const chunk = tensorFirst('chunk', join.chunk)
export const narrow = tensorFirst('narrow', slicing.narrow)
export const select = tensorFirst('select', slicing.select)
export const slice = tensorFirst('slice', slicing.slice)
export const indexSelect = tensorFirst('indexSelect', slicing.indexSelect)
export const gather = tensorFirst('gather', slicing.gather)
export const scatterAdd = tensorFirst('scatterAdd', slicing.scatterAdd)
export const index = tensorFirst('index', indexing.index)
export type { IndexItem } from './ops/indexing.js'
export const flatten = tensorFirst('flatten', layout.flatten)
export const unflatten = tensorFirst('unflatten', layout.unflatten)
export const expand = tensorFirst('expand', layout.expand)
export const repeat = tensorFirst('repeat', layout.repeat)
export const tril = tensorFirst('tril', triangle.tril)
export const triu = tensorFirst('triu', triangle.triu)
export type { DiagonalOptions } from './ops/triangle.js'
export const sort = tensorFirst('sort', sorting.sort)
export const argsort = tensorFirst('argsort', sorting.argsort)
export const topk = tensorFirst('topk', sorting.topk)
export type { SortOptions, TopkOptions } from './ops/sorting.js'
export const flip = tensorFirst('flip', flipping.flip)
export const isnan = tensorFirst('isnan', finite.isnan)
export const isinf = tensorFirst('isinf', finite.isinf)
export const isfinite = tensorFirst('isfinite', finite.isfinite)
export const t = tensorFirst('t', products.t)
export const mm = tensorFirst('mm', products.mm)
export const bmm = tensorFirst('bmm', products.bmm)
export { clip } from './ops/clip.js'
export { eye, linspace, randint, randperm, fullLike, emptyLike, randLike, randnLike } from './creation-more.js'
export * as F from './functional.js'
export { setBackend, getBackend, ready } from './backend/index.js'
export type { BackendName, BackendOptions } from './backend/index.js'
export { backendInfo } from './backend/info.js'
export type { BackendInfo } from './backend/info.js'
export { memory } from './memory.js'
export type { MemoryInfo } from './memory.js'
export { saveSafetensors, loadSafetensors } from './io/tensors.js'
export { SafetensorsError } from './io/safetensors.js'
export * as nn from './nn/index.js'
export * as optim from './optim/index.js'
// Keras and the explainer have their own entries: src/keras.ts (`yann/keras`), src/explain.ts (`yann/explain`).
export * as data from './data/index.js'
