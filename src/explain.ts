/**
 * The `yann/explain` entry: the backpropagation explainer (per-layer Jacobians and their
 * running product), kept out of the `yann` entry so that training programs do not carry it.
 *
 * @example
 * import { explain, formatExplanation, seedExample } from 'yann/explain'
 */
import './index.js' // the wasm backend's registration, whichever entry is imported first
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
