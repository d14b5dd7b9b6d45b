/**
 * Suite 2: one training step of the 784-256-10 MLP (ReLU, Sigmoid, BCE mean, SGD lr 0.01) at
 * batch 1, 32 and 256. Suite 3: one step of the seed's 3-3-2 network, steps/s, with a plain-JS
 * step as the physical limit. yann runs through nn/optim (the autograd API), TF.js through
 * variables and optimizer.minimize, each library on each of its backends.
 */
import * as yann from '../src/index.js'
import type { Case } from './lib/measure.js'
import type { Suite } from './lib/suite.js'
import { loadTf, useTf, type TfBackend } from './lib/tfjs.js'
import { plainSeedStep, SEED_NET, tfStep, yannStep, type Net } from './models.js'

export async function trainingCases(net: Net, withPlain: boolean): Promise<Case[]> {
  const tf = await loadTf()
  const yannCase = (backend: 'wasm' | 'ts'): Case => {
    yann.setBackend(backend)
    const { step } = yannStep(net)
    return { name: `yann-${backend}`, before: () => yann.setBackend(backend), fn: step }
  }
  const tfCase = (backend: TfBackend): Case => {
    useTf(tf, backend)
    const step = tfStep(tf, net)
    return { name: `tfjs-${backend}`, before: () => useTf(tf, backend), fn: step }
  }
  const cases = [yannCase('wasm'), yannCase('ts'), tfCase('wasm'), tfCase('cpu')]
  if (withPlain) cases.push({ name: 'plain JS', fn: plainSeedStep() })
  return cases
}

export const mlpSuite: Suite = {
  name: 'mlp',
  title: 'MLP 784-256-10 training step',
  async groups(quick) {
    const batches = quick ? [32] : [1, 32, 256]
    return batches.map((batch) => ({
      key: `batch ${batch}`,
      params: { batch },
      cases: () => trainingCases({ inF: 784, hidden: 256, outF: 10, batch }, false),
    }))
  },
}

export const seedSuite: Suite = {
  name: 'seed',
  title: 'Seed 3-3-2 training step',
  async groups() {
    return [{ key: '3-3-2', params: {}, cases: () => trainingCases(SEED_NET, true) }]
  },
}
