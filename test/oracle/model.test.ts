import { describe, expect, it } from 'vitest'
import { nn, optim, type Tensor } from '../../src/index.js'
import { expectClose, fromRaw, modelCases, type FloatDType, type LayerSpec, type LossSpec, type ModelCase, type OptimizerSpec } from './oracle.js'

/**
 * Every "model" case of the PyTorch oracle: a Sequential MLP built from `layers`, its initial
 * parameters loaded by name with loadStateDict, then per step zeroGrad / forward / loss /
 * backward / step, comparing output, loss, gradients and the updated parameters with PyTorch's.
 */

function buildModel(layers: LayerSpec[], dtype: FloatDType): nn.Sequential {
  return new nn.Sequential(
    ...layers.map((l) => {
      switch (l.type) {
        case 'linear':
          return new nn.Linear(l.in, l.out, { bias: l.bias, dtype })
        case 'relu':
          return new nn.ReLU()
        case 'sigmoid':
          return new nn.Sigmoid()
        case 'tanh':
          return new nn.Tanh()
      }
    }),
  )
}

function buildLoss(spec: LossSpec, dtype: FloatDType): nn.Loss {
  const weight = spec.weight ? fromRaw(spec.weight, dtype) : null
  switch (spec.type) {
    case 'bce':
      return new nn.BCELoss({ weight, reduction: spec.reduction })
    case 'bce_with_logits':
      return new nn.BCEWithLogitsLoss({ weight, reduction: spec.reduction })
    case 'mse':
      return new nn.MSELoss({ reduction: spec.reduction })
    case 'cross_entropy':
      return new nn.CrossEntropyLoss({ reduction: spec.reduction })
  }
}

function buildOptimizer(spec: OptimizerSpec, params: Tensor[]): optim.SGD | optim.Adam {
  switch (spec.type) {
    case 'sgd':
      return new optim.SGD(params, {
        lr: spec.lr,
        momentum: spec.momentum,
        dampening: spec.dampening,
        nesterov: spec.nesterov,
        weightDecay: spec.weight_decay,
      })
    case 'adam':
      return new optim.Adam(params, { lr: spec.lr, betas: spec.betas, eps: spec.eps, weightDecay: spec.weight_decay })
    case 'adamw':
      return new optim.AdamW(params, { lr: spec.lr, betas: spec.betas, eps: spec.eps, weightDecay: spec.weight_decay })
  }
}

function describeCase(c: ModelCase): string {
  const layers = c.layers.map((l) => (l.type === 'linear' ? `${l.in}→${l.out}${l.bias ? '' : ' nobias'}` : l.type)).join(' ')
  const opt = c.optimizer
  const extra = opt.type === 'sgd' ? `${opt.momentum ? ` momentum ${opt.momentum}` : ''}${opt.nesterov ? ' nesterov' : ''}` : ''
  return `${c.name}: ${layers}, ${c.loss.type} ${c.loss.reduction}${c.loss.weight ? ' weighted' : ''}, ${opt.type}${extra}, ${c.steps.length} step(s)`
}

describe('PyTorch oracle: model cases', () => {
  it('has all 60 model cases', () => {
    expect(modelCases).toHaveLength(60)
  })

  it.each(modelCases.map((c) => [describeCase(c), c] as const))('%s', (_, c) => {
    const dtype = c.dtype
    const model = buildModel(c.layers, dtype)
    // PyTorch's Sequential state-dict names must be ours: strict loading fails on any other key.
    expect(Object.keys(model.stateDict())).toEqual(Object.keys(c.params_init))
    model.loadStateDict(Object.fromEntries(Object.entries(c.params_init).map(([k, v]) => [k, fromRaw(v, dtype)])))
    const lossFn = buildLoss(c.loss, dtype)
    const opt = buildOptimizer(c.optimizer, model.parameters())

    c.steps.forEach((step, s) => {
      opt.zeroGrad()
      const output = model.forward(fromRaw(step.input, dtype))
      expectClose(`step ${s} output`, output, step.output, dtype)
      const loss = lossFn.forward(output, fromRaw(step.target, dtype))
      expectClose(`step ${s} loss`, loss.item(), step.loss, dtype)
      loss.backward()
      const named = model.namedParameters()
      expect(named.map(([k]) => k)).toEqual(Object.keys(step.grads))
      for (const [key, p] of named) expectClose(`step ${s} grad ${key}`, p.grad, step.grads[key], dtype)
      opt.step()
      for (const [key, p] of named) expectClose(`step ${s} ${key} after the step`, p, step.params_after[key], dtype)
    })
  })
})
