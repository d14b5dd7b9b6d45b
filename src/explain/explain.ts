import { noGrad } from '../autograd/grad-mode.js'
import { jacobian } from '../autograd/jacobian.js'
import { isFloat } from '../dtype.js'
import { Module, type AnyModule } from '../nn/module.js'
import { linear } from '../ops/matmul.js'
import { formatShape } from '../shape.js'
import { Tensor } from '../tensor.js'
import { checkOptionKeys } from '../options.js'
import type { ExplainLoss, ExplainOptions, Explanation, ExplainStep, ForwardValue, JacobianFactor, ParameterGradient, RunningProduct } from './types.js'
import { stagesOf, valueNames, formulaOf, param, applyStage, applyStages, factor, flatRow, gradientOf, autogradGradients, lossFunction, describeLoss, maxAbsDifference, agrees, maxAbs, tolerance, oneLine, describeValue } from './chain.js'

export type * from './types.js'

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

export { subscript } from './chain.js'


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
  const own = noGrad(() => (model as Module<[Tensor], unknown>).forward(input))
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

