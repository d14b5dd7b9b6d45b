import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { nn, optim, Tensor } from '../../src/index.js'
import * as F from '../../src/functional.js'
import { GPT } from '../../src/models/gpt.js'
import { decode, type FloatDType, type RawTensor } from '../oracle/ops2.js'

/**
 * The 8 GPT cases of pytorch-models2.json (nanoGPT's names and layout): the PyTorch initial
 * state loaded by name, then 3 steps of zero_grad / forward / cross-entropy / backward /
 * (clip_grad_norm_) / AdamW / (scheduler), each compared with PyTorch's output, loss,
 * gradients and state after the step.
 */
interface Step {
  input: RawTensor
  target: RawTensor
  output: RawTensor
  loss: number
  grad_norm_before_clip?: number
  grads: Record<string, RawTensor>
  lr: number
  state_after: Record<string, RawTensor>
}
interface GptCase {
  name: string
  arch: string
  dtype: FloatDType
  config: { vocab_size: number; block_size: number; n_embd: number; n_head: number; n_layer: number; gelu_approximate: 'none' | 'tanh'; layer_norm_eps: number }
  optimizer: { lr: number; betas: [number, number]; eps: number; weight_decay: number }
  clip_grad_norm: number | null
  scheduler: null | { type: 'OneCycleLR'; max_lr: number; total_steps: number } | { type: 'CosineAnnealingLR'; T_max: number }
  state_init: Record<string, RawTensor>
  steps: Step[]
}

const cases = (JSON.parse(readFileSync(new URL('../fixtures/pytorch-models2.json', import.meta.url), 'utf8')).cases as GptCase[]).filter((c) => c.arch === 'gpt')

/** PyTorch's scheduler of the case (stepped after each optimizer step), or null. */
function scheduler(c: GptCase, opt: optim.Optimizer<any, any>): { step(): void } | null {
  const s = c.scheduler
  if (!s) return null
  if (s.type === 'CosineAnnealingLR') return new optim.lrScheduler.CosineAnnealingLR(opt, { TMax: s.T_max })
  return new optim.lrScheduler.OneCycleLR(opt, { maxLr: s.max_lr, totalSteps: s.total_steps, cycleMomentum: false })
}

function compare(got: Tensor, want: RawTensor, dtype: FloatDType, loose: boolean, absFor?: (i: number) => number | null): string[] {
  if (got.shape.join() !== want.shape.join()) return [`shape [${got.shape}] vs [${want.shape}]`]
  const bad: string[] = []
  want.data.forEach((w0, i) => {
    const w = Number(w0)
    const g = got.data[i]
    const abs = absFor?.(i)
    const tol = abs != null ? abs : dtype === 'float64' ? 1e-9 + 1e-7 * Math.abs(w) : loose ? 1e-4 + 1e-3 * Math.abs(w) : 1e-5 + 1e-4 * Math.abs(w)
    if (!(Math.abs(g - w) <= tol) && bad.length < 4) bad.push(`[${i}] got ${g}, PyTorch ${w}`)
  })
  return bad
}

describe('GPT: PyTorch models2 cases (nanoGPT names, AdamW, clipping, schedulers)', () => {
  it('has the 8 cases', () => expect(cases.length).toBe(8))

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const k = c.config
    const model = new GPT({
      vocabSize: k.vocab_size, blockSize: k.block_size, nEmbd: k.n_embd, nHead: k.n_head, nLayer: k.n_layer,
      geluApproximate: k.gelu_approximate, layerNormEps: k.layer_norm_eps, dtype: c.dtype,
    })
    const state = Object.fromEntries(Object.entries(c.state_init).map(([name, raw]) => [name, decode(raw, c.dtype)]))
    expect(model.loadStateDict(state)).toEqual({ missingKeys: [], unexpectedKeys: [] })
    const params = model.parameters()
    const opt = new optim.AdamW(params, { lr: c.optimizer.lr, betas: c.optimizer.betas, eps: c.optimizer.eps, weightDecay: c.optimizer.weight_decay })
    const sched = scheduler(c, opt)
    const named = new Map(model.namedParameters())
    // Structurally-zero gradient elements (README): compared after the step within Σ lr so far.
    const noise = new Map<string, Set<number>>()
    let lrSum = 0
    c.steps.forEach((step, t) => {
      const lr = opt.paramGroups[0].lr
      expect(Math.abs(lr - step.lr), `lr of step ${t}`).toBeLessThanOrEqual(1e-12)
      lrSum += lr
      opt.zeroGrad()
      const logits = model.forward(decode(step.input, c.dtype))
      const [B, T] = step.input.shape
      const loss = F.crossEntropy(logits.reshape([B * T, k.vocab_size]), decode(step.target, c.dtype).reshape([B * T]))
      const loose = t > 0
      expect(compare(logits, step.output, c.dtype, loose), `output of step ${t}`).toEqual([])
      expect(compare(loss, { shape: [], data: [step.loss] }, c.dtype, loose), `loss of step ${t}`).toEqual([])
      loss.backward()
      if (c.clip_grad_norm !== null) {
        const norm = nn.utils.clipGradNorm(params, c.clip_grad_norm)
        expect(compare(new Tensor(Float64Array.of(norm), []), { shape: [], data: [step.grad_norm_before_clip!] }, c.dtype, loose), 'grad norm').toEqual([])
      }
      for (const [name, want] of Object.entries(step.grads)) {
        const p = named.get(name)!
        expect(compare(p.grad!, want, c.dtype, loose), `grad of ${name} at step ${t}`).toEqual([])
        const max = Math.max(...want.data.map((v) => Math.abs(Number(v))))
        want.data.forEach((v, i) => {
          if (Math.abs(Number(v)) <= 1e-6 * max) {
            if (!noise.has(name)) noise.set(name, new Set())
            noise.get(name)!.add(i)
          }
        })
      }
      opt.step()
      sched?.step()
      for (const [name, want] of Object.entries(step.state_after)) {
        const zero = noise.get(name)
        expect(compare(named.get(name)!, want, c.dtype, loose, (i) => (zero?.has(i) ? lrSum : null)), `${name} after step ${t}`).toEqual([])
      }
    })
  })
})
