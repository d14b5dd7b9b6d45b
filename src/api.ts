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
export const { neg, exp, log, sqrt, abs, relu, sigmoid, tanh, pow, clamp,
  sin, cos, log1p, expm1, square, rsqrt, reciprocal, sign, floor, round } = tensorFirst(unary)
export { matmul } from './ops/matmul.js'
export const { sum, mean } = tensorFirst(reduce)
export const { reshape, transpose, permute, unsqueeze, squeeze } = tensorFirst(shapeOps)
export const { softmax, logSoftmax } = tensorFirst(softmaxOps)
export { gt, lt, ge, le, eq, ne, where, maskedFill } from './ops/compare.js'
export const { logicalNot, logicalAnd, logicalOr, any, all } = tensorFirst(compare)
export const { max, min, amax, amin, argmax, argmin } = tensorFirst(extremes)
export type { ValuesIndices } from './ops/extremes.js'
const { logsumexp, variance, std, cumsum, prod } = tensorFirst(statistics, { variance: 'var' })
export { logsumexp, variance as var, std, cumsum, prod }
export type { VarOptions } from './ops/statistics.js'
export { cat, stack } from './ops/join.js'
export const { split, chunk } = tensorFirst(join)
export const { narrow, select, slice, indexSelect, gather, scatterAdd } = tensorFirst(slicing)
export const { index } = tensorFirst(indexing)
export type { IndexItem } from './ops/indexing.js'
export const { flatten, unflatten, expand, repeat } = tensorFirst(layout)
export const { tril, triu } = tensorFirst(triangle)
export type { DiagonalOptions } from './ops/triangle.js'
export const { sort, argsort, topk } = tensorFirst(sorting)
export type { SortOptions, TopkOptions } from './ops/sorting.js'
export const { flip } = tensorFirst(flipping)
export const { isnan, isinf, isfinite } = tensorFirst(finite)
export const { t, mm, bmm } = tensorFirst(products)
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
