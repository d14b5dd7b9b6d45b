import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createCnn } from '../../examples/mnist-cnn.js'
import { manualSeed, nn, randn, type Tensor } from '../../src/index.js'
import { exportOnnx } from '../../src/onnx.js'
import { decode, type FloatDType, type RawTensor } from '../oracle/ops2.js'
import { opTypes } from './decode.js'
import { expectClose, forwardEval, runOrt } from './ort.js'

/**
 * The CNNs of pytorch-models2.json exported and run in ONNX Runtime (eval mode, BatchNorm with
 * its running statistics) against PyTorch's eval output, and the MNIST CNN example. (The GPT
 * cases run on branch onnx-int until the sequence issue lands.)
 */

type Layer = { type: string; [k: string]: any }
interface ModelCase {
  name: string
  arch: string
  dtype: FloatDType
  layers: Layer[]
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
