import { grad as autogradGrad } from '../autograd/engine.js'
import { noGrad } from '../autograd/grad-mode.js'
import { jacobian } from '../autograd/jacobian.js'
import { onesLike } from '../creation.js'
import { Linear } from '../nn/linear.js'
import { LogSoftmax, ReLU, Sigmoid, Softmax, Tanh } from '../nn/activations.js'
import { BCELoss, Loss, MSELoss } from '../nn/loss.js'
import { Module, type AnyModule } from '../nn/module.js'
import { Sequential } from '../nn/sequential.js'
import { binaryCrossEntropy, mseLoss } from '../ops/loss.js'
import { linear } from '../ops/matmul.js'
import { formatShape } from '../shape.js'
import { Tensor } from '../tensor.js'
import type { ExplainLoss, ExplainedLoss, JacobianFactor, Named, ParameterGradient, Stage } from './types.js'

/** The largest Jacobian explain() builds, in elements: beyond this the walk-through is not readable anyway. */
export const MAX_JACOBIAN = 4_000_000

const SUBSCRIPTS = '₀₁₂₃₄₅₆₇₈₉'
/** 12 → '₁₂'. */
export function subscript(n: number): string {
  return String(n).replace(/\d/g, (d) => SUBSCRIPTS[Number(d)])
}

/** explain()'s steps: the model's stages, their names and formulas, each Jacobian factor, the gradients and their checks. */

// ---- layers ---------------------------------------------------------------------------------

/** The model's layers in order: a container's children (nested containers flattened), or the model itself. */
export function stagesOf(model: AnyModule, keys: Map<Tensor, string>): Stage[] {
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

export function activationOf(m: AnyModule): { name: string; latex: string; description: string } | null {
  if (m instanceof ReLU) return { name: 'relu', latex: '\\mathrm{relu}', description: 'ReLU' }
  if (m instanceof Sigmoid) return { name: 'σ', latex: '\\sigma', description: 'Sigmoid' }
  if (m instanceof Tanh) return { name: 'tanh', latex: '\\tanh', description: 'Tanh' }
  if (m instanceof Softmax) return { name: 'softmax', latex: '\\mathrm{softmax}', description: `Softmax(dim=${m.dim})` }
  if (m instanceof LogSoftmax) return { name: 'logsoftmax', latex: '\\log\\mathrm{softmax}', description: `LogSoftmax(dim=${m.dim})` }
  return null
}

/** The value each stage makes: x, then z_k after L_k, a_k after an activation (a_k′ after a second one). */
export function valueNames(stages: Stage[]): Named[] {
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

export function formulaOf(stage: Stage | undefined, input: Named | undefined): { formula: string; formulaLatex: string } {
  if (!stage || !input) return { formula: '', formulaLatex: '' }
  if (stage.kind === 'activation') return { formula: `${stage.name}(${input.name})`, formulaLatex: `${stage.latex}(${input.latex})` }
  const k = subscript(stage.layer)
  const bias = stage.module.bias
  return {
    formula: `${stage.name}(${input.name}) = W${k}·${input.name}${bias ? ` + b${k}` : ''}`,
    formulaLatex: `${stage.latex}(${input.latex}) = W_{${stage.layer}} ${input.latex}${bias ? ` + \\vec{b}_{${stage.layer}}` : ''}`,
  }
}

export function param(letter: 'W' | 'b', layer: number): Named {
  return { name: `${letter}${subscript(layer)}`, latex: letter === 'W' ? `W_{${layer}}` : `\\vec{b}_{${layer}}` }
}

export function applyStage(s: Stage, x: Tensor): Tensor {
  return s.kind === 'linear' ? linear(x, s.module.weight.detach(), s.module.bias?.detach() ?? null) : ((s.module as Module<[Tensor], unknown>).forward(x) as Tensor)
}

/** The stages from `from` on, applied to `x`. */
export function applyStages(stages: Stage[], from: number, x: Tensor): Tensor {
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
export function factor(of: Named, wrt: Named, at: Named, rows: number, x: Tensor, f: (v: Tensor) => Tensor): JacobianFactor {
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
export function flatRow(J: Tensor): Tensor {
  return J.reshape([1, J.numel()])
}

export function gradientOf(
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
export function autogradGradients(model: AnyModule, input: Tensor, target: Tensor, lossFn: (a: Tensor, t: Tensor) => Tensor): Map<Tensor, Tensor> {
  const params = model.parameters()
  const out = new Map<Tensor, Tensor>()
  const E = lossFn((model as Module<[Tensor], unknown>).forward(input) as Tensor, target)
  if (!E.requiresGrad) return out
  const grads = autogradGrad(E, params, onesLike(E))
  params.forEach((p, k) => {
    const g = grads[k]
    if (g) out.set(p, g)
  })
  return out
}

// ---- losses ---------------------------------------------------------------------------------

export function lossFunction(loss: ExplainLoss): (input: Tensor, target: Tensor) => Tensor {
  if (loss === 'bce') return (a, t) => binaryCrossEntropy(a, t)
  if (loss === 'mse') return (a, t) => mseLoss(a, t)
  if (loss instanceof Module) return (a, t) => loss.forward(a, t)
  if (typeof loss === 'function') return loss
  throw new TypeError(`explain: loss must be 'bce', 'mse', a loss module (e.g. new nn.BCELoss()) or a function (input, target) => scalar, got ${describeValue(loss)}`)
}

export function describeLoss(loss: ExplainLoss, out: Named): Omit<ExplainedLoss, 'value'> {
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

export function maxAbsDifference(a: Tensor, b: Tensor): number {
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
export function agrees(product: Tensor, autograd: Tensor): boolean {
  const tol = product.dtype === 'float64' ? 1e-10 : 1e-5
  return maxAbsDifference(product, autograd) <= tol * (1 + maxAbs(autograd))
}

export function maxAbs(a: Tensor): number {
  let m = 0
  for (const v of a.data) m = Math.max(m, Math.abs(v))
  return m
}

export function tolerance(dtype: string): number {
  return dtype === 'float64' ? 1e-12 : 1e-6
}

export function oneLine(m: AnyModule): string {
  return String(m).replace(/\s*\n\s*/g, ' ')
}

export function describeValue(v: unknown): string {
  if (v === null) return 'null'
  if (v instanceof Tensor) return `a tensor of shape ${formatShape(v.shape)}`
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'an object'
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`
  return typeof v === 'number' || typeof v === 'boolean' ? `${typeof v} ${String(v)}` : typeof v
}
