import { grad as autogradGrad } from '../autograd/engine.js'
import { noGrad } from '../autograd/grad-mode.js'
import { jacobian } from '../autograd/jacobian.js'
import { onesLike } from '../creation.js'
import { isFloat } from '../dtype.js'
import { Linear } from '../nn/linear.js'
import { LogSoftmax, ReLU, Sigmoid, Softmax, Tanh } from '../nn/activations.js'
import { BCELoss, Loss, MSELoss } from '../nn/loss.js'
import { Module, type AnyModule } from '../nn/module.js'
import { Sequential } from '../nn/sequential.js'
import { binaryCrossEntropy, mseLoss } from '../ops/loss.js'
import { linear } from '../ops/matmul.js'
import { formatShape } from '../shape.js'
import { Tensor } from '../tensor.js'
import { checkOptionKeys } from '../nn/options.js'

/**
 * The backprop explainer: every gradient of a Sequential network computed the way the seed's
 * §3 derives it by hand, as a product of Jacobians, and checked against autograd.
 *
 * For the seed's 3-3-2 network (Linear, ReLU, Linear, Sigmoid, binary cross-entropy):
 *
 *     ∂E/∂W₂ = J_a₂(E) · J_z₂(σ₂) · J_W₂(L₂)
 *     ∂E/∂W₁ = J_a₂(E) · J_z₂(σ₂) · J_a₁(L₂) · J_z₁(relu₁) · J_W₁(L₁)
 *
 * Each factor is a real Jacobian, computed with jacobian() of the layer's function at the
 * forward values, never a hand-coded formula: J_W₂(L₂) is the Jacobian of W ↦ W·a₁ + b₂ with
 * respect to W flattened row-major (2×6). So any Sequential of Linear, ReLU, Sigmoid, Tanh,
 * Softmax and LogSoftmax layers, with any loss that returns a scalar, is explained the same way.
 *
 * Names follow the seed: Linear layers are L₁, L₂, ... (numbered from 1); the value a Linear
 * layer makes is z_k, the activation after it (σ_k, relu_k, tanh_k, ...) makes a_k; the input is
 * x, the target l and the loss E.
 */

/** The loss: a loss module (`new nn.BCELoss()`), a function `(input, target) => scalar`, or a name. */
/** A module called with one tensor (the walk checks what it returns). */
type TensorModule = Module<[Tensor], unknown>

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
type Stage =
  | { kind: 'linear'; module: Linear; layer: number; name: string; latex: string; weightKey: string; biasKey: string | null }
  | { kind: 'activation'; module: AnyModule; layer: number; name: string; latex: string; description: string }

interface Named {
  name: string
  latex: string
}

const SUBSCRIPTS = '₀₁₂₃₄₅₆₇₈₉'
/** 12 → '₁₂'. */
export function subscript(n: number): string {
  return String(n).replace(/\d/g, (d) => SUBSCRIPTS[Number(d)])
}

/** The largest Jacobian explain() builds, in elements: beyond this the walk-through is not readable anyway. */
const MAX_JACOBIAN = 4_000_000

/**
 * Explain backpropagation through `model` for one forward pass: run `model` on `input`, compute
 * the loss against `target`, then, from the loss backwards, every Jacobian factor (each with its
 * name and shape), the running products, and the gradient of every parameter as the product of
 * its chain reshaped to the parameter's shape. Each product is checked against autograd: the
 * parameters' gradients against what backward() computes (the model's own `.grad` is restored
 * afterwards), the running products against the gradient of E with respect to that value.
 *
 * `model` is an nn.Sequential (or any Module whose forward applies its children in order) of
 * Linear, ReLU, Sigmoid, Tanh, Softmax and LogSoftmax layers. `input` is one sample, `[in]` as in
 * the seed (or `[1, in]`). A batch `[N, in]` is explained too, as one function of all N·in inputs:
 * every Jacobian then has N times the rows (the activations' are block diagonal) and the
 * products still equal autograd's gradients, but the matrices grow as N²; explain samples one
 * at a time to read them. `loss` must return a scalar: 'bce' and 'mse' are the mean-reduced
 * F.binaryCrossEntropy and F.mseLoss.
 *
 * @example
 * const model = new nn.Sequential(new nn.Linear(3, 3), new nn.ReLU(), new nn.Linear(3, 2), new nn.Sigmoid())
 * const e = explain(model, tensor([0.23, 0.82, 0.47]), tensor([1, 0]), new nn.BCELoss())
 * e.steps[0].factors.map((f) => `${f.name} ${f.shape.join('×')}`)
 * // ['J_a₂(E) 1×2', 'J_z₂(σ₂) 2×2', 'J_W₂(L₂) 2×6', 'J_b₂(L₂) 2×2']
 * console.log(formatExplanation(e))
 */
export function explain(model: AnyModule, input: Tensor, target: Tensor, loss: ExplainLoss, options: ExplainOptions = {}): Explanation {
  checkOptionKeys('explain', options, ['lr'])
  const { lr = 0.01 } = options
  if (!(model instanceof Module)) {
    throw new TypeError(`explain: model must be an nn.Module (an nn.Sequential of Linear and activation layers), got ${describeValue(model)}`)
  }
  if (!(input instanceof Tensor) || !(target instanceof Tensor)) {
    throw new TypeError(`explain: input and target must be tensors, got ${describeValue(input)} and ${describeValue(target)}`)
  }
  if (typeof lr !== 'number' || !Number.isFinite(lr)) throw new TypeError(`explain: lr must be a finite number, got ${String(lr)}`)
  if (!isFloat(input.dtype)) throw new TypeError(`explain: the input must be float32 or float64, got ${input.dtype}; convert it with .float()`)
  if (input.ndim !== 1 && input.ndim !== 2) {
    throw new Error(`explain: input must be one sample [in_features] (or a batch [N, in_features]), got shape ${formatShape(input.shape)}`)
  }

  const keys = new Map<Tensor, string>(model.namedParameters().map(([key, p]) => [p, key]))
  const stages = stagesOf(model, keys)
  if (!stages.some((s) => s.kind === 'linear')) {
    throw new Error(`explain: the model has no Linear layer, so no parameter to explain the gradient of: ${oneLine(model)}`)
  }
  const dtype = input.dtype
  for (const [key, p] of model.namedParameters()) {
    if (p.dtype !== dtype) {
      throw new TypeError(
        `explain: the input is ${dtype} but parameter ${key} is ${p.dtype}; convert the input (input.${p.dtype === 'float64' ? 'double' : 'float'}()) or make the model ${dtype}`,
      )
    }
  }
  const lossFn = lossFunction(loss)

  // ---- the forward pass, layer by layer, checked against the model's own forward ---------------
  const values: Tensor[] = [input.detach()]
  noGrad(() => {
    for (const s of stages) values.push(applyStage(s, values[values.length - 1]))
  })
  const output = values[values.length - 1]
  const own = noGrad(() => (model as TensorModule).forward(input))
  if (!(own instanceof Tensor) || formatShape(own.shape) !== formatShape(output.shape) || maxAbsDifference(own, output) > tolerance(dtype) * (1 + maxAbs(output))) {
    throw new Error(
      `explain: model.forward(input) is not its layers applied in order (${stages.map((s) => s.name).join(', ')}); ` +
        'explain() needs an nn.Sequential, or a Module whose forward applies its children in registration order',
    )
  }
  const E = noGrad(() => lossFn(output, target))
  if (!(E instanceof Tensor) || E.numel() !== 1) {
    throw new Error(
      `explain: the loss must return a scalar (reduction 'mean' or 'sum'), got ${E instanceof Tensor ? `shape ${formatShape(E.shape)}` : describeValue(E)}`,
    )
  }

  const names = valueNames(stages)
  const forward: ForwardValue[] = values.map((value, i) => ({ ...names[i], ...formulaOf(stages[i - 1], names[i - 1]), value }))
  const outputName = names[names.length - 1]
  const batchSize = input.ndim === 2 ? input.shape[0] : 1

  // ---- autograd's gradients, from the model itself ------------------------------------------
  const reference = autogradGradients(model, input, target, lossFn)

  // ---- the chain, from the loss backwards ---------------------------------------------------
  const lossFactor = factor({ name: 'E', latex: 'E' }, outputName, outputName, 1, output, (a) => lossFn(a, target))
  let chain: JacobianFactor[] = [lossFactor]
  let delta = lossFactor.value // ∂E/∂values[next + 1]
  let next = stages.length - 1 // the next stage whose Jacobian (with respect to its input) joins the chain
  const steps: ExplainStep[] = []
  const linears = stages.map((s, i) => [s, i] as const).filter(([s]) => s.kind === 'linear').reverse()
  let maxDifference = 0

  for (const [step, [stage, at]] of linears.entries()) {
    if (stage.kind !== 'linear') continue
    const added: JacobianFactor[] = step === 0 ? [lossFactor] : []
    const stepProducts: RunningProduct[] = []
    // Walk back from the previous position to this layer's output: activations, and the
    // previous Linear layer with respect to its input.
    for (let j = next; j > at; j--) {
      const s = stages[j]
      const x = values[j]
      const f = factor(s, names[j], names[j], values[j + 1].numel(), x, (v) => applyStage(s, v))
      added.push(f)
      chain = [...chain, f]
      delta = noGrad(() => delta.matmul(f.value))
      const tail = (v: Tensor): Tensor => lossFn(applyStages(stages, j, v), target)
      const auto = flatRow(jacobian(tail, x))
      const p: RunningProduct = {
        name: `∂E/∂${names[j].name}`,
        latex: `\\frac{\\partial E}{\\partial ${names[j].latex}}`,
        factors: chain.map((c) => c.name),
        value: delta,
        autograd: auto,
        maxDifference: maxAbsDifference(delta, auto),
        agrees: agrees(delta, auto),
      }
      maxDifference = Math.max(maxDifference, p.maxDifference)
      stepProducts.push(p)
    }
    next = at

    const x = values[at]
    const W = stage.module.weight
    const b = stage.module.bias
    const Wsym = param('W', stage.layer)
    const rows = values[at + 1].numel()
    const weightFactor = factor(stage, Wsym, names[at], rows, W, (w) => linear(x, w, b?.detach() ?? null))
    added.push(weightFactor)
    const gradients = [gradientOf(stage, 'weight', stage.weightKey, W, Wsym, chain, weightFactor, delta, reference, lr)]
    if (b && stage.biasKey) {
      const bsym = param('b', stage.layer)
      const biasFactor = factor(stage, bsym, names[at], rows, b, (v) => linear(x, W.detach(), v))
      added.push(biasFactor)
      gradients.push(gradientOf(stage, 'bias', stage.biasKey, b, bsym, chain, biasFactor, delta, reference, lr))
    }
    for (const g of gradients) maxDifference = Math.max(maxDifference, g.maxDifference)
    const title = step === 0 && linears.length > 1 ? `Hidden Layer ${stage.layer} Weight Gradient` : `Layer ${stage.layer} Weight Gradient`
    steps.push({ title, layer: stage.layer, factors: added, products: stepProducts, gradients })
  }

  const byKey = new Map(steps.flatMap((s) => s.gradients).map((g) => [g.key, g]))
  const gradients = [...keys.values()].map((key) => byKey.get(key)).filter((g): g is ParameterGradient => g !== undefined)

  return {
    layers: stages.map((s) => ({
      kind: s.kind,
      name: s.name,
      latex: s.latex,
      description: s.kind === 'linear' ? `Linear(${s.module.inFeatures} → ${s.module.outFeatures}${s.module.bias ? '' : ', no bias'})` : s.description,
      layer: s.layer,
    })),
    loss: { ...describeLoss(loss, outputName), value: E.item() },
    forward,
    target,
    steps,
    gradients,
    lr,
    dtype,
    batchSize,
    maxDifference,
    agrees: steps.every((s) => s.products.every((p) => p.agrees) && s.gradients.every((g) => g.agrees)),
  }
}

// ---- layers ---------------------------------------------------------------------------------

/** The model's layers in order: a container's children (nested containers flattened), or the model itself. */
function stagesOf(model: AnyModule, keys: Map<Tensor, string>): Stage[] {
  const leaves: AnyModule[] = []
  const walk = (m: AnyModule): void => {
    // A Sequential lists a module used twice twice; children() lists it once.
    const children = m instanceof Sequential ? [...m] : m.children()
    if (children.length === 0 || m instanceof Linear) leaves.push(m)
    else children.forEach(walk)
  }
  walk(model)
  const linears = leaves.filter((m) => m instanceof Linear)
  const shared = linears.find((m, i) => linears.indexOf(m) !== i)
  if (shared) {
    throw new Error(`explain: the same Linear layer (${oneLine(shared)}) appears twice; its gradient sums both uses, which this walk-through does not show: use two layers`)
  }
  const stages: Stage[] = []
  let layer = 0
  const primes = new Map<number, number>()
  leaves.forEach((m, position) => {
    if (m instanceof Linear) {
      layer++
      stages.push({
        kind: 'linear',
        module: m,
        layer,
        name: `L${subscript(layer)}`,
        latex: `\\mathcal{L}_{${layer}}`,
        weightKey: keys.get(m.weight) ?? 'weight',
        biasKey: m.bias ? (keys.get(m.bias) ?? 'bias') : null,
      })
      return
    }
    const act = activationOf(m)
    if (!act) {
      throw new Error(
        `explain: layer ${position} (${oneLine(m)}) is not supported; explain() walks Sequentials of Linear, ReLU, Sigmoid, Tanh, Softmax and LogSoftmax layers`,
      )
    }
    if (m.parameters().length > 0) throw new Error(`explain: layer ${position} (${oneLine(m)}) has parameters; only Linear layers may`)
    const n = primes.get(layer) ?? 0
    primes.set(layer, n + 1)
    const prime = '′'.repeat(n)
    stages.push({
      kind: 'activation',
      module: m,
      layer,
      name: `${act.name}${subscript(layer)}${prime}`,
      latex: `${act.latex}_{${layer}}${"'".repeat(n)}`,
      description: act.description,
    })
  })
  return stages
}

function activationOf(m: AnyModule): { name: string; latex: string; description: string } | null {
  if (m instanceof ReLU) return { name: 'relu', latex: '\\mathrm{relu}', description: 'ReLU' }
  if (m instanceof Sigmoid) return { name: 'σ', latex: '\\sigma', description: 'Sigmoid' }
  if (m instanceof Tanh) return { name: 'tanh', latex: '\\tanh', description: 'Tanh' }
  if (m instanceof Softmax) return { name: 'softmax', latex: '\\mathrm{softmax}', description: `Softmax(dim=${m.dim})` }
  if (m instanceof LogSoftmax) return { name: 'logsoftmax', latex: '\\log\\mathrm{softmax}', description: `LogSoftmax(dim=${m.dim})` }
  return null
}

/** The value each stage makes: x, then z_k after L_k, a_k after an activation (a_k′ after a second one). */
function valueNames(stages: Stage[]): Named[] {
  const names: Named[] = [{ name: 'x', latex: '\\vec{x}' }]
  const primes = new Map<number, number>()
  for (const s of stages) {
    if (s.kind === 'linear') {
      names.push({ name: `z${subscript(s.layer)}`, latex: `\\vec{z}_{${s.layer}}` })
    } else {
      const n = primes.get(s.layer) ?? 0
      primes.set(s.layer, n + 1)
      names.push({ name: `a${subscript(s.layer)}${'′'.repeat(n)}`, latex: `\\vec{a}_{${s.layer}}${"'".repeat(n)}` })
    }
  }
  return names
}

function formulaOf(stage: Stage | undefined, input: Named | undefined): { formula: string; formulaLatex: string } {
  if (!stage || !input) return { formula: '', formulaLatex: '' }
  if (stage.kind === 'activation') return { formula: `${stage.name}(${input.name})`, formulaLatex: `${stage.latex}(${input.latex})` }
  const k = subscript(stage.layer)
  const bias = stage.module.bias
  return {
    formula: `${stage.name}(${input.name}) = W${k}·${input.name}${bias ? ` + b${k}` : ''}`,
    formulaLatex: `${stage.latex}(${input.latex}) = W_{${stage.layer}} ${input.latex}${bias ? ` + \\vec{b}_{${stage.layer}}` : ''}`,
  }
}

function param(letter: 'W' | 'b', layer: number): Named {
  return { name: `${letter}${subscript(layer)}`, latex: letter === 'W' ? `W_{${layer}}` : `\\vec{b}_{${layer}}` }
}

function applyStage(s: Stage, x: Tensor): Tensor {
  return s.kind === 'linear' ? linear(x, s.module.weight.detach(), s.module.bias?.detach() ?? null) : ((s.module as TensorModule).forward(x) as Tensor)
}

/** The stages from `from` on, applied to `x`. */
function applyStages(stages: Stage[], from: number, x: Tensor): Tensor {
  let v = x
  for (let i = from; i < stages.length; i++) v = applyStage(stages[i], v)
  return v
}

/**
 * The Jacobian of `f` (the function `of`) with respect to `wrt`, whose value is `x`, evaluated at
 * the forward value `at`, as a matrix [rows, entries of x]. jacobian() returns shape
 * [...out, ...in]: its rows are the outputs (`rows` of them), the columns the entries of x
 * flattened row-major.
 */
function factor(of: Named, wrt: Named, at: Named, rows: number, x: Tensor, f: (v: Tensor) => Tensor): JacobianFactor {
  const shape: [number, number] = [rows, x.numel()]
  if (rows * x.numel() > MAX_JACOBIAN) {
    throw new Error(
      `explain: J_${wrt.name}(${of.name}) would be ${rows}×${x.numel()} (more than ${MAX_JACOBIAN} entries); explain a smaller network, or one sample at a time`,
    )
  }
  return {
    name: `J_${wrt.name}(${of.name})`,
    latex: `J_{${wrt.latex}}(${of.latex})`,
    of: of.name,
    wrt: wrt.name,
    at: at.name,
    shape,
    value: jacobian(f, x).reshape(shape),
  }
}

/** jacobian()'s result for a scalar function, as a row [1, n]: that is the gradient. */
function flatRow(J: Tensor): Tensor {
  return J.reshape([1, J.numel()])
}

function gradientOf(
  stage: Stage & { kind: 'linear' },
  kind: 'weight' | 'bias',
  key: string,
  p: Tensor,
  symbol: Named,
  chain: JacobianFactor[],
  last: JacobianFactor,
  delta: Tensor,
  reference: Map<Tensor, Tensor>,
  lr: number,
): ParameterGradient {
  const product = noGrad(() => delta.matmul(last.value))
  const grad = product.reshape(p.shape)
  const autograd = reference.get(p)
  if (!autograd) throw new Error(`explain: backward() gave no gradient for ${key}; does the loss depend on it?`)
  const value = noGrad(() => p.detach().clone())
  return {
    key,
    symbol: symbol.name,
    latex: symbol.latex,
    kind,
    layer: stage.layer,
    factors: [...chain, last].map((f) => f.name),
    product,
    grad,
    autograd,
    maxDifference: maxAbsDifference(grad, autograd),
    agrees: agrees(grad, autograd),
    value,
    updated: noGrad(() => value.sub(grad.mul(lr))),
  }
}

/**
 * Every parameter's gradient from one backward pass through the model, by autograd's grad():
 * returned, not accumulated, so the model's `.grad` (and the gradient buffer a Parameter reuses
 * across backward() calls) stays as it was.
 */
function autogradGradients(model: AnyModule, input: Tensor, target: Tensor, lossFn: (a: Tensor, t: Tensor) => Tensor): Map<Tensor, Tensor> {
  const params = model.parameters()
  const out = new Map<Tensor, Tensor>()
  const E = lossFn((model as TensorModule).forward(input) as Tensor, target)
  if (!E.requiresGrad) return out
  const grads = autogradGrad(E, params, onesLike(E))
  params.forEach((p, k) => {
    const g = grads[k]
    if (g) out.set(p, g)
  })
  return out
}

// ---- losses ---------------------------------------------------------------------------------

function lossFunction(loss: ExplainLoss): (input: Tensor, target: Tensor) => Tensor {
  if (loss === 'bce') return (a, t) => binaryCrossEntropy(a, t)
  if (loss === 'mse') return (a, t) => mseLoss(a, t)
  if (loss instanceof Module) return (a, t) => loss.forward(a, t)
  if (typeof loss === 'function') return loss
  throw new TypeError(`explain: loss must be 'bce', 'mse', a loss module (e.g. new nn.BCELoss()) or a function (input, target) => scalar, got ${describeValue(loss)}`)
}

function describeLoss(loss: ExplainLoss, out: Named): Omit<ExplainedLoss, 'value'> {
  let kind: 'bce' | 'mse' | null = null
  let reduction: 'mean' | 'sum' | null = null
  let description: string
  if (loss === 'bce' || loss === 'mse') {
    kind = loss
    reduction = 'mean'
    description = kind === 'bce' ? 'binary cross-entropy' : 'mean squared error'
  } else if (loss instanceof Module) {
    const r = loss instanceof Loss ? loss.reduction : null
    reduction = r === 'mean' || r === 'sum' ? r : null
    // A weighted BCELoss is not the plain formula: describe it by name only.
    kind = loss instanceof BCELoss && loss.weight === null ? 'bce' : loss instanceof MSELoss ? 'mse' : null
    description = kind === 'bce' ? 'binary cross-entropy' : kind === 'mse' ? 'mean squared error' : String(loss)
  } else {
    description = loss.name ? `${loss.name}` : 'the loss function'
  }
  const a = out.name
  const al = out.latex.replace(/^\\vec\{(\w)\}_\{(\d+)\}.*$/, '$1_{$2,i}')
  const mean = reduction === 'mean'
  if (kind === 'bce' && reduction) {
    return {
      description,
      reduction,
      formula: `E = ${mean ? '−(1/N)·' : '−'}Σᵢ [lᵢ·log(${a},ᵢ) + (1 − lᵢ)·log(1 − ${a},ᵢ)]`,
      formulaLatex: `E = -${mean ? '\\frac{1}{N}' : ''}\\sum_{i=1}^{N} \\left[ l_{i} \\log(${al}) + (1 - l_{i}) \\log(1 - ${al}) \\right]`,
    }
  }
  if (kind === 'mse' && reduction) {
    return {
      description,
      reduction,
      formula: `E = ${mean ? '(1/N)·' : ''}Σᵢ (${a},ᵢ − lᵢ)²`,
      formulaLatex: `E = ${mean ? '\\frac{1}{N}' : ''}\\sum_{i=1}^{N} (${al} - l_{i})^2`,
    }
  }
  return { description, reduction, formula: `E = ${description}(${a}, l)`, formulaLatex: `E = \\mathrm{loss}(${out.latex}, \\vec{l})` }
}

// ---- helpers --------------------------------------------------------------------------------

function maxAbsDifference(a: Tensor, b: Tensor): number {
  const x = a.data
  const y = b.data
  if (x.length !== y.length) return Infinity
  let m = 0
  for (let i = 0; i < x.length; i++) {
    const d = Math.abs(x[i] - y[i])
    if (!(d <= m)) m = d // NaN propagates as NaN
  }
  return m
}

/** A product equals autograd's result up to rounding. */
function agrees(product: Tensor, autograd: Tensor): boolean {
  const tol = product.dtype === 'float64' ? 1e-10 : 1e-5
  return maxAbsDifference(product, autograd) <= tol * (1 + maxAbs(autograd))
}

function maxAbs(a: Tensor): number {
  let m = 0
  for (const v of a.data) m = Math.max(m, Math.abs(v))
  return m
}

function tolerance(dtype: string): number {
  return dtype === 'float64' ? 1e-12 : 1e-6
}

function oneLine(m: AnyModule): string {
  return String(m).replace(/\s*\n\s*/g, ' ')
}

function describeValue(v: unknown): string {
  if (v === null) return 'null'
  if (v instanceof Tensor) return `a tensor of shape ${formatShape(v.shape)}`
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'an object'
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`
  return typeof v === 'number' || typeof v === 'boolean' ? `${typeof v} ${String(v)}` : typeof v
}
