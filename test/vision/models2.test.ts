import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { nn, optim, type Tensor } from '../../src/index.js'
import { decode, type FloatDType, type RawTensor } from '../oracle/ops2.js'

/**
 * The CNN cases of test/fixtures/pytorch-models2.json (`arch: "sequential"`): build the
 * model from `layers`, load `state_init` strictly (PyTorch's keys, buffers included), then
 * 3 × (zeroGrad, forward, cross-entropy, backward, step), comparing output, loss, gradients
 * and the whole state dict after every step, then the eval-mode output.
 */


type Layer = { type: string; [k: string]: any }
interface CnnCase {
  name: string
  arch: string
  dtype: FloatDType
  layers: Layer[]
  optimizer: { type: string; [k: string]: any }
  state_init: Record<string, RawTensor>
  steps: { input: RawTensor; target: RawTensor; output: RawTensor; loss: number; grads: Record<string, RawTensor>; state_after: Record<string, RawTensor> }[]
  eval: { input: RawTensor; output: RawTensor }
}

const cases = (JSON.parse(readFileSync(new URL('../fixtures/pytorch-models2.json', import.meta.url), 'utf8')) as { cases: CnnCase[] }).cases.filter(
  (c) => c.arch === 'sequential',
)

/** Flatten(1): the training engineer's nn.Flatten is not on this branch yet. */
class Flatten extends nn.Module {
  forward(x: Tensor): Tensor {
    return x.reshape([x.shape[0], -1])
  }
}

function build(layers: Layer[], dtype: FloatDType): nn.Sequential {
  return new nn.Sequential(
    ...layers.map((l): nn.Module => {
      switch (l.type) {
        case 'conv2d':
          return new nn.Conv2d(l.in, l.out, l.kernel, { stride: l.stride, padding: l.padding, bias: l.bias, dtype })
        case 'batchnorm2d':
          return new nn.BatchNorm2d(l.features, { dtype })
        case 'relu':
          return new nn.ReLU()
        case 'maxpool2d':
          return new nn.MaxPool2d(l.kernel)
        case 'avgpool2d':
          return new nn.AvgPool2d(l.kernel)
        case 'adaptiveavgpool2d':
          return new nn.AdaptiveAvgPool2d(l.output)
        case 'flatten':
          return new Flatten()
        case 'dropout':
          return new nn.Dropout(l.p)
        case 'linear':
          return new nn.Linear(l.in, l.out, { bias: l.bias, dtype })
        default:
          throw new Error(`unknown layer ${l.type}`)
      }
    }),
  )
}

/** The optimiser of a case, or null while its class is not in optim (RMSprop, Adagrad: the training engineer's). */
function optimizerFor(o: CnnCase['optimizer'], params: Tensor[]): optim.Optimizer<any> | null {
  const O = optim as unknown as Record<string, new (p: Tensor[], o: object) => optim.Optimizer<any>>
  switch (o.type) {
    case 'sgd':
      return new optim.SGD(params, { lr: o.lr, momentum: o.momentum, dampening: o.dampening, nesterov: o.nesterov, weightDecay: o.weight_decay })
    case 'adam':
      return new optim.Adam(params, { lr: o.lr, betas: o.betas, eps: o.eps, weightDecay: o.weight_decay })
    case 'rmsprop':
      return O.RMSprop ? new O.RMSprop(params, { lr: o.lr, alpha: o.alpha, eps: o.eps, momentum: o.momentum, centered: o.centered, weightDecay: o.weight_decay }) : null
    case 'adagrad':
      return O.Adagrad ? new O.Adagrad(params, { lr: o.lr, lrDecay: o.lr_decay, eps: o.eps, weightDecay: o.weight_decay }) : null
  }
  throw new Error(`unknown optimizer ${o.type}`)
}

/** README tolerances: float64 1e-9 + 1e-7·|w|; float32 1e-5 + 1e-4·|w| on the first step, 1e-4 + 1e-3·|w| after. */
function close(got: Tensor | number, want: RawTensor | number, dtype: FloatDType, step: number, what: string): void {
  const g = typeof got === 'number' ? [got] : Array.from(got.data, Number)
  const w = typeof want === 'number' ? [want] : (want.data as number[])
  if (typeof got !== 'number' && typeof want !== 'number') expect(got.shape, `${what} shape`).toEqual(want.shape)
  const [a, r] = dtype === 'float64' ? [1e-9, 1e-7] : step === 0 ? [1e-5, 1e-4] : [1e-4, 1e-3]
  const bad = w.map((v, i) => [i, g[i], v]).filter(([, gi, v]) => !(Math.abs(gi - v) <= a + r * Math.abs(v)))
  expect(bad.slice(0, 3), what).toEqual([])
}

const available = (type: string): boolean => type === 'sgd' || type === 'adam' || (type === 'rmsprop' ? 'RMSprop' : 'Adagrad') in optim
const runnable = cases.filter((c) => available(c.optimizer.type))

describe('PyTorch models2: the CNN cases', () => {
  it('the fixture has the 8 CNN cases; those whose optimiser exists here all run', () => {
    expect(cases).toHaveLength(8)
    expect(runnable.length).toBeGreaterThanOrEqual(4) // the SGD and Adam ones
  })

  it.each(runnable.map((c) => [`${c.name}: ${c.layers.map((l) => l.type).join(' ')}, ${c.optimizer.type}`, c] as const))('%s', (_, c) => {
    const model = build(c.layers, c.dtype)
    expect(Object.keys(model.stateDict())).toEqual(Object.keys(c.state_init))
    model.loadStateDict(Object.fromEntries(Object.entries(c.state_init).map(([k, v]) => [k, decode(v, c.dtype)])))
    const opt = optimizerFor(c.optimizer, model.parameters())!
    const lossFn = new nn.CrossEntropyLoss()
    c.steps.forEach((step, s) => {
      opt.zeroGrad()
      const out = model.forward(decode(step.input, c.dtype))
      close(out, step.output, c.dtype, s, `step ${s} output`)
      const loss = lossFn.forward(out, decode(step.target, c.dtype))
      close(loss.item(), step.loss, c.dtype, s, `step ${s} loss`)
      loss.backward()
      const params = Object.fromEntries(model.namedParameters())
      for (const [k, g] of Object.entries(step.grads)) close(params[k].grad!, g, c.dtype, s, `step ${s} grad ${k}`)
      opt.step()
      const state = model.stateDict()
      for (const [k, v] of Object.entries(step.state_after)) close(state[k], v, c.dtype, s, `step ${s} state ${k}`)
    })
    model.eval()
    close(model.forward(decode(c.eval.input, c.dtype)), c.eval.output, c.dtype, 3, 'eval output')
  })
})
