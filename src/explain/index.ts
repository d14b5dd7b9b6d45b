/** The backprop explainer: each gradient as the seed's product of Jacobians, computed and shown. */
export { explain, subscript } from './explain.js'
export type {
  ExplainLoss,
  ExplainOptions,
  ExplainStep,
  ExplainedLayer,
  ExplainedLoss,
  Explanation,
  ForwardValue,
  JacobianFactor,
  ParameterGradient,
  RunningProduct,
} from './explain.js'
export { formatExplanation } from './format.js'
export type { FormatExplanationOptions } from './format.js'
export { SEED_NETWORK, networkFromJson, seedExample } from './seed.js'
export type { NetworkJson, SeedExample } from './seed.js'
