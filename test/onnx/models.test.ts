import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createCnn } from '../../examples/mnist-cnn.js'
import { manualSeed, nn, randn, Tensor } from '../../src/index.js'
import { GPT } from '../../src/models/gpt.js'
import { exportOnnx } from '../../src/onnx.js'
import { decode, type FloatDType, type RawTensor } from '../oracle/ops2.js'
import { opTypes } from './decode.js'
import { expectClose, forwardEval, runOrt } from './ort.js'

/**
 * The models of pytorch-models2.json exported and run in ONNX Runtime: every CNN (eval mode,
 * BatchNorm with its running statistics) against PyTorch's eval output, and every GPT against
 * PyTorch's logits, with batch and sequence length dynamic; plus the MNIST CNN example.
 */

type Layer = { type: string; [k: string]: any }
interface ModelCase {
  name: string
  arch: string
  dtype: FloatDType
  layers: Layer[]
  config: { vocab_size: number; block_size: number; n_embd: number; n_head: number; n_layer: number; gelu_approximate: 'none' | 'tanh'; layer_norm_eps: number }
  state_init: Record<string, RawTensor>
  steps: { input: RawTensor; output: RawTensor; state_after: Record<string, RawTensor> }[]
  eval: { input: RawTensor; output: RawTensor }
}

const cases = (JSON.parse(readFileSync(new URL('../fixtures/pytorch-models2.json', import.meta.url), 'utf8')) as { cases: ModelCase[] }).cases

class Flatten extends nn.Module {
  forward(x: Tensor): Tensor {
    return x.reshape([x.shape[0], -1])
  }
}

function cnn(layers: Layer[], dtype: FloatDType): nn.Sequential {
  const build: Record<string, (l: Layer) => nn.Module> = {
    conv2d: (l) => new nn.Conv2d(l.in, l.out, l.kernel, { stride: l.stride, padding: l.padding, bias: l.bias, dtype }),
    batchnorm2d: (l) => new nn.BatchNorm2d(l.features, { dtype }),
    relu: () => new nn.ReLU(),
    maxpool2d: (l) => new nn.MaxPool2d(l.kernel),
    avgpool2d: (l) => new nn.AvgPool2d(l.kernel),
    adaptiveavgpool2d: (l) => new nn.AdaptiveAvgPool2d(l.output),
    flatten: () => new Flatten(),
    dropout: (l) => new nn.Dropout(l.p),
    linear: (l) => new nn.Linear(l.in, l.out, { bias: l.bias, dtype }),
  }
  return new nn.Sequential(...layers.map((l) => build[l.type](l) as nn.Module<[Tensor], Tensor>))
}

const toFloat32 = (t: Tensor): Tensor => (t.dtype === 'float64' ? t.to('float32') : t)

describe('pytorch-models2 CNNs in ONNX Runtime', () => {
  const cnns = cases.filter((c) => c.arch === 'sequential')
  it('the fixture has 8 CNNs', () => expect(cnns).toHaveLength(8))

  // ONNX Runtime's CPU provider has no float64 Conv: float64 CNNs run there as float32 copies.
  it.each(cnns.map((c) => [`${c.name}: ${c.layers.map((l) => l.type).join(' ')}`, c] as const))('%s', async (_, c) => {
    const model = cnn(c.layers, c.dtype)
    const final = c.steps[c.steps.length - 1].state_after
    model.loadStateDict(Object.fromEntries(Object.entries(final).map(([k, v]) => [k, decode(v, c.dtype)])))
    if (c.dtype === 'float64') model.to('float32')
    model.train() // export traces in eval mode whatever the model's mode
    const x = toFloat32(decode(c.eval.input, c.dtype))
    const bytes = exportOnnx(model, [x], { dynamicAxes: { input: { 0: 'batch' } } })
    expect(model.training).toBe(true)
    const [y] = await runOrt(bytes, { input: x })
    expectClose(y, toFloat32(decode(c.eval.output, c.dtype))) // PyTorch's eval output
    const x3 = randn([3, ...x.shape.slice(1)])
    const [y3] = await runOrt(bytes, { input: x3 })
    expectClose(y3, forwardEval(model, x3))
  })
})

describe('pytorch-models2 GPTs in ONNX Runtime, batch and sequence length dynamic', () => {
  const gpts = cases.filter((c) => c.arch === 'gpt')
  it('the fixture has 8 GPTs', () => expect(gpts).toHaveLength(8))

  it.each(gpts.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const k = c.config
    const model = new GPT({
      vocabSize: k.vocab_size, blockSize: k.block_size, nEmbd: k.n_embd, nHead: k.n_head, nLayer: k.n_layer,
      geluApproximate: k.gelu_approximate, layerNormEps: k.layer_norm_eps, dtype: c.dtype,
    })
    model.loadStateDict(Object.fromEntries(Object.entries(c.state_init).map(([name, raw]) => [name, decode(raw, c.dtype)])))
    const idx = decode(c.steps[0].input, c.dtype)
    const bytes = exportOnnx(model, [idx], { inputNames: ['idx'], outputNames: ['logits'], dynamicAxes: { idx: { 0: 'batch', 1: 'sequence' } } })
    const tolerance = c.dtype === 'float64' ? [1e-7, 1e-6] : [1e-5, 1e-4]
    const [logits] = await runOrt(bytes, { idx })
    expectClose(logits, decode(c.steps[0].output, c.dtype), tolerance[0], tolerance[1]) // PyTorch's logits
    manualSeed(7)
    for (const [b, t] of [[1, 3], [2, k.block_size - 2]]) {
      const tokens = new Tensor(Int32Array.from({ length: b * t }, (_, i) => (i * 5 + 3) % k.vocab_size), [b, t])
      const [out] = await runOrt(bytes, { idx: tokens })
      expectClose(out, forwardEval(model, tokens), tolerance[0], tolerance[1])
    }
  })
})

describe('the MNIST CNN (examples/mnist-cnn.ts)', () => {
  it('in training mode with Dropout(0.2): exports the eval-mode graph (no dropout), dynamic batch, runs like yann at batch 1 and 4', async () => {
    manualSeed(2)
    const model = createCnn()
    expect(model.training).toBe(true)
    const bytes = exportOnnx(model, [randn([2, 1, 28, 28])], { dynamicAxes: { input: { 0: 'batch' } } })
    expect(model.training).toBe(true)
    expect(opTypes(bytes).filter((t) => t !== 'Identity')).toEqual(['Conv', 'Relu', 'MaxPool', 'Conv', 'Relu', 'MaxPool', 'Reshape', 'Gemm', 'Relu', 'Gemm'])
    for (const n of [1, 4]) {
      const x = randn([n, 1, 28, 28])
      const [y] = await runOrt(bytes, { input: x })
      expectClose(y, forwardEval(model, x))
    }
  })
})
