import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { nn, optim, Tensor } from '../../src/index.js'
import { decode, type RawTensor } from '../oracle/ops2.js'

/**
 * The optimiser and scheduler halves of PyTorch's models2 cases, replayed without the models:
 * each step sets every parameter's recorded gradient (PyTorch's, after clipping), steps the
 * optimiser (and the scheduler), and compares every parameter with PyTorch's state after the
 * step. The CNN cases cover RMSprop (plain and centered) and Adagrad; the GPT cases AdamW under
 * OneCycleLR and CosineAnnealingLR, whose rates are checked against the recorded `lr` of each step.
 * Tolerances as the fixtures README says, with its exception for structurally zero gradients.
 */
interface Step {
  grads: Record<string, RawTensor>
  state_after: Record<string, RawTensor>
  lr?: number
}
interface ModelCase {
  name: string
  arch: 'sequential' | 'gpt'
  dtype: 'float32' | 'float64'
  optimizer: Record<string, any> & { type: string }
  scheduler?: Record<string, any> | null
  state_init: Record<string, RawTensor>
  steps: Step[]
}

const cases = (JSON.parse(readFileSync(new URL('../fixtures/pytorch-models2.json', import.meta.url), 'utf8')) as { cases: ModelCase[] }).cases
const replayed = cases.filter((c) => c.arch === 'gpt' || c.optimizer.type === 'rmsprop' || c.optimizer.type === 'adagrad')

function makeOptimizer(c: ModelCase, params: Tensor[]): optim.Optimizer<any, any> {
  const o = c.optimizer
  switch (o.type) {
    case 'rmsprop':
      return new optim.RMSprop(params, { lr: o.lr, alpha: o.alpha, eps: o.eps, momentum: o.momentum, centered: o.centered, weightDecay: o.weight_decay })
    case 'adagrad':
      return new optim.Adagrad(params, { lr: o.lr, lrDecay: o.lr_decay, eps: o.eps, weightDecay: o.weight_decay })
    case 'adamw':
      return new optim.AdamW(params, { lr: o.lr, betas: o.betas, eps: o.eps, weightDecay: o.weight_decay })
    default:
      throw new Error(`no replay for optimizer ${o.type}`)
  }
}

function makeScheduler(s: Record<string, any> | null | undefined, opt: optim.Optimizer<any, any>): { step(): void } | null {
  if (!s) return null
  if (s.type === 'OneCycleLR') return new optim.lrScheduler.OneCycleLR(opt, { maxLr: s.max_lr, totalSteps: s.total_steps, cycleMomentum: s.cycle_momentum })
  if (s.type === 'CosineAnnealingLR') return new optim.lrScheduler.CosineAnnealingLR(opt, { TMax: s.T_max })
  throw new Error(`no replay for scheduler ${s.type}`)
}

describe('PyTorch models2 cases, optimiser and scheduler steps replayed from the recorded gradients', () => {
  it('covers the RMSprop, Adagrad and GPT cases', () => {
    expect(replayed.map((c) => c.optimizer.type).sort()).toEqual(['adagrad', ...Array(8).fill('adamw'), 'rmsprop', 'rmsprop', 'rmsprop'])
  })
  it.each(replayed.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const names = Object.keys(c.steps[0].grads)
    const params = names.map((k) => new nn.Parameter(decode(c.state_init[k], c.dtype)))
    const opt = makeOptimizer(c, params)
    const scheduler = makeScheduler(c.scheduler, opt)
    let lrSum = 0
    const structuralZero = names.map((k) => new Uint8Array(params[names.indexOf(k)].numel()))
    c.steps.forEach((step, s) => {
      const lr = opt.paramGroups[0].lr
      if (step.lr !== undefined) expect(Math.abs(lr - step.lr), `lr before step ${s}`).toBeLessThanOrEqual(1e-12 + 1e-9 * step.lr)
      lrSum += lr
      names.forEach((k, i) => {
        const g = decode(step.grads[k], c.dtype)
        params[i].grad = g
        const max = Math.max(...Array.from(g.data as Float64Array, Math.abs))
        g.data.forEach((v, j) => {
          if (Math.abs(v) <= 1e-6 * max) structuralZero[i][j] = 1
        })
      })
      opt.step()
      scheduler?.step()
      const bad: string[] = []
      names.forEach((k, i) => {
        const want = step.state_after[k]
        want.data.forEach((raw, j) => {
          const w = Number(raw)
          const got = params[i].data[j]
          const tol = structuralZero[i][j]
            ? lrSum
            : c.dtype === 'float64'
              ? 1e-9 + 1e-7 * Math.abs(w)
              : s === 0
                ? 1e-5 + 1e-4 * Math.abs(w)
                : 1e-4 + 1e-3 * Math.abs(w)
          if (!(Math.abs(got - w) <= tol) && bad.length < 5) bad.push(`step ${s} ${k}[${j}] got ${got}, PyTorch ${w}`)
        })
      })
      expect(bad).toEqual([])
    })
  })
})
