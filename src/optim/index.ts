/** `optim`: optimisers, as torch.optim. */
export { Optimizer } from './optimizer.js'
export type { OptimizerStateDict, ParamGroup, ParamGroupSpec, ParamState } from './optimizer.js'
export { SGD } from './sgd.js'
export type { SGDOptions, SGDState } from './sgd.js'
export { Adam, AdamW } from './adam.js'
export type { AdamOptions, AdamState } from './adam.js'
export * as lrScheduler from './scheduler/index.js'
