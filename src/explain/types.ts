import type { Linear } from '../nn/linear.js'
import type { AnyModule, Module } from '../nn/module.js'
import type { Tensor } from '../tensor.js'

/** The explanation's data: what explain() returns (format.ts prints it). */

/** The loss: a loss module (`new nn.BCELoss()`), a function `(input, target) => scalar`, or a name. */
export type ExplainLoss = 'bce' | 'mse' | Module<[Tensor, Tensor], Tensor> | ((input: Tensor, target: Tensor) => Tensor)

export interface ExplainOptions {
  /** Learning rate of the SGD update shown after the gradients (p − lr·∂E/∂p). Default 0.01, the seed's. */
  lr?: number
}

/** A value of the forward pass: the input x, each z_k and a_k. */
export interface ForwardValue {
  /** 'x', 'z₁', 'a₁', ... */
  name: string
  /** '\vec{x}', '\vec{z}_1', ... */
  latex: string
  /** How it is made, e.g. 'relu₁(z₁)' ('' for the input). */
  formula: string
  formulaLatex: string
  value: Tensor
}

/** One Jacobian of the chain, evaluated at the forward values. */
export interface JacobianFactor {
  /** As the seed writes it: 'J_W₂(L₂)', 'J_z₂(σ₂)', 'J_a₂(E)'. */
  name: string
  /** 'J_{W_2}(\mathcal{L}_2)'. */
  latex: string
  /** The function differentiated: 'L₂', 'σ₂', 'E'. */
  of: string
  /** The variable it is differentiated with respect to: 'W₂', 'b₂', 'a₁', 'z₂'. */
  wrt: string
  /** The forward value it is evaluated at (the function's input), e.g. 'a₁' for J_W₂(L₂). */
  at: string
  /** [outputs of `of`, entries of `wrt` (row-major)]. */
  shape: [number, number]
  /** The Jacobian as that matrix. */
  value: Tensor
}

/** A running product of the chain: the gradient of E with respect to an intermediate value. */
export interface RunningProduct {
  /** '∂E/∂z₂'. */
  name: string
  latex: string
  /** The factor names multiplied, in order. */
  factors: string[]
  /** [1, numel of the value]. */
  value: Tensor
  /** The same gradient from autograd (one backward() of E through the rest of the network). */
  autograd: Tensor
  maxDifference: number
  /** maxDifference is within rounding: 1e-5 (float32) or 1e-10 (float64), relative to the gradient's size. */
  agrees: boolean
}

/** The gradient of one parameter: the Jacobian product, reshaped, beside autograd's `.grad`. */
export interface ParameterGradient {
  /** The parameter's state-dict key: '2.weight'. */
  key: string
  /** 'W₂', 'b₂'. */
  symbol: string
  latex: string
  kind: 'weight' | 'bias'
  /** The Linear layer's number (from 1). */
  layer: number
  /** The whole chain, in multiplication order. */
  factors: string[]
  /** The product of `factors`: [1, numel]. */
  product: Tensor
  /** The product reshaped to the parameter's shape: ∂E/∂p. */
  grad: Tensor
  /** What backward() put in the parameter's `.grad` (the model's own `.grad` is left as it was). */
  autograd: Tensor
  /** max |grad − autograd|. */
  maxDifference: number
  /** maxDifference is within rounding: 1e-5 (float32) or 1e-10 (float64), relative to the gradient's size. */
  agrees: boolean
  /** The parameter's value before the update. */
  value: Tensor
  /** After one SGD step: value − lr·grad. */
  updated: Tensor
}

/** The gradients of one Linear layer, walked from the loss backwards. */
export interface ExplainStep {
  /** 'Hidden Layer 2 Weight Gradient' (the seed's 3.2.1), 'Layer 1 Weight Gradient' (3.2.2). */
  title: string
  /** The Linear layer's number (from 1). */
  layer: number
  /** The factors this step adds to the chain, in multiplication order (earlier steps' factors are reused). */
  factors: JacobianFactor[]
  /** The running products this step adds. */
  products: RunningProduct[]
  /** The weight's gradient, then the bias's (if the layer has one). */
  gradients: ParameterGradient[]
}

/** One layer of the explained model. */
export interface ExplainedLayer {
  kind: 'linear' | 'activation'
  /** 'L₁', 'relu₁', 'σ₂'. */
  name: string
  latex: string
  /** 'Linear(3 → 2)', 'ReLU', 'Softmax(dim=-1)'. */
  description: string
  /** The Linear layer number it belongs to (activations take the number of the Linear before them). */
  layer: number
}

export interface ExplainedLoss {
  /** 'binary cross-entropy', 'mean squared error', or the loss's own name. */
  description: string
  reduction: 'mean' | 'sum' | null
  /** A text formula, e.g. 'E = −(1/N)·Σᵢ [lᵢ·log(a₂ᵢ) + (1 − lᵢ)·log(1 − a₂ᵢ)]'. */
  formula: string
  formulaLatex: string
  value: number
}

/** Everything explain() computed: the forward pass, each step of the chain rule, the checks. */
export interface Explanation {
  layers: ExplainedLayer[]
  loss: ExplainedLoss
  /** x, then each layer's output, in order. */
  forward: ForwardValue[]
  target: Tensor
  /** From the loss backwards: the last Linear layer first. */
  steps: ExplainStep[]
  /** Every parameter, in the model's order (namedParameters()). */
  gradients: ParameterGradient[]
  lr: number
  dtype: 'float32' | 'float64'
  /** Samples in the input: 1 for a single sample (1-D input, or [1, in]). */
  batchSize: number
  /** The largest |Jacobian product − autograd| over every gradient and running product. */
  maxDifference: number
  /** Every product agrees with autograd. */
  agrees: boolean
}

// ---------------------------------------------------------------------------------------------

/** A layer as explain() sees it: its function of its input, its names. */
export type Stage =
  | { kind: 'linear'; module: Linear; layer: number; name: string; latex: string; weightKey: string; biasKey: string | null }
  | { kind: 'activation'; module: AnyModule; layer: number; name: string; latex: string; description: string }

export interface Named {
  name: string
  latex: string
}

