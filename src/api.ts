/** yann's public API, and nothing else. The entry points (index.ts, index.workerd.ts) add the wasm binary. */
export { Tensor } from './tensor.js'
import './methods/index.js'
export type { NestedArray, Operand, Storage } from './tensor.js'
export type { DType } from './dtype.js'
export { tensor, zeros, ones, full, arange, rand, randn, zerosLike, onesLike } from './creation.js'
export type { TensorData, TensorOptions } from './creation.js'
export { manualSeed } from './random.js'
export { noGrad, isGradEnabled } from './autograd/grad-mode.js'
export { grad } from './autograd/engine.js'
export type { BackwardOptions } from './autograd/engine.js'
export { gradcheck } from './autograd/gradcheck.js'
export type { GradcheckOptions } from './autograd/gradcheck.js'
export { jacobian } from './autograd/jacobian.js'
export { compile } from './compile/compile.js'
export type { CompiledFunction, CompiledRun } from './compile/compile.js'
export type { TensorFunction } from './autograd/jacobian.js'
export { add, sub, mul, div, maximum } from './ops/binary.js'
export { minimum } from './ops/binary.js'
export { neg, exp, log, sqrt, abs, relu, sigmoid, tanh, pow, clamp } from './ops/unary.js'
export { sin, cos, log1p, expm1, square, rsqrt, reciprocal, sign, floor, round } from './ops/unary.js'
export { matmul } from './ops/matmul.js'
export { sum, mean } from './ops/reduce.js'
export { reshape, transpose, permute, unsqueeze, squeeze } from './ops/shape.js'
export { softmax, logSoftmax } from './ops/softmax.js'
export * as F from './functional.js'
export { setBackend, getBackend, ready } from './backend/index.js'
export type { BackendName, BackendOptions } from './backend/index.js'
export { memory } from './memory.js'
export type { MemoryInfo } from './memory.js'
export { saveSafetensors, loadSafetensors } from './io/tensors.js'
export { SafetensorsError } from './io/safetensors.js'
export * as nn from './nn/index.js'
export * as optim from './optim/index.js'
export * as keras from './keras/index.js'
export { GradientTape, valueAndGrads } from './keras/tape.js'
export type { GradientTapeArgs, ValueAndGrads } from './keras/tape.js'
export { explain, formatExplanation, networkFromJson, seedExample } from './explain/index.js'
export type {
  ExplainLoss,
  ExplainOptions,
  ExplainStep,
  Explanation,
  FormatExplanationOptions,
  JacobianFactor,
  NetworkJson,
  ParameterGradient,
  RunningProduct,
} from './explain/index.js'
