import { tensor } from '../creation.js'
import type { FloatDType } from '../dtype.js'
import { LogSoftmax, ReLU, Sigmoid, Softmax, Tanh } from '../nn/activations.js'
import { Linear } from '../nn/linear.js'
import { BCELoss } from '../nn/loss.js'
import type { SequentialModule as Layer } from '../nn/sequential.js'
import { Sequential } from '../nn/sequential.js'
import type { Tensor } from '../tensor.js'

/**
 * A network given as plain JSON: a Sequential's state dict (`"0.weight"` → nested arrays) and,
 * optionally, its layers by name. This is the format of `yann explain --weights file.json`:
 *
 * ```json
 * {
 *   "layers": ["Linear", "ReLU", "Linear", "Sigmoid"],
 *   "0.weight": [[0.1, 0.5, 0.3], [0.7, 0.2, 0.9], [0.4, 0.25, 0.75]],
 *   "0.bias": [0, 0, 0],
 *   "2.weight": [[0.9, 0.6, 0.4], [0.3, 0.8, 0.7]],
 *   "2.bias": [0, 0]
 * }
 * ```
 *
 * Each Linear layer's weight is `[out, in]` and its bias `[out]` (omit the bias for a layer
 * without one). Without `"layers"`, the layout is the seed's: a Linear layer at every index that
 * has a weight, a ReLU at every index between them, and a Sigmoid after the last one.
 * Layer names: Linear, ReLU, Sigmoid, Tanh, Softmax (over the last dim), LogSoftmax.
 */
export interface NetworkJson {
  layers?: string[]
  [key: string]: unknown
}

/** The seed's 3-3-2 network, its input, label and loss (§2 of the seed). */
export const SEED_NETWORK: Readonly<{ input: number[]; target: number[]; weights: NetworkJson }> = Object.freeze({
  input: [0.23, 0.82, 0.47],
  target: [1, 0],
  weights: {
    layers: ['Linear', 'ReLU', 'Linear', 'Sigmoid'],
    '0.weight': [
      [0.1, 0.5, 0.3],
      [0.7, 0.2, 0.9],
      [0.4, 0.25, 0.75],
    ],
    '0.bias': [0, 0, 0],
    '2.weight': [
      [0.9, 0.6, 0.4],
      [0.3, 0.8, 0.7],
    ],
    '2.bias': [0, 0],
  },
})

export interface SeedExample {
  model: Sequential
  input: Tensor
  target: Tensor
  loss: BCELoss
}

/**
 * The seed network as yann objects: Sequential(Linear(3, 3), ReLU, Linear(3, 2), Sigmoid) with
 * the seed's weights, the input [0.23, 0.82, 0.47], the label [1, 0] and BCELoss (mean).
 * float32 by default, as PyTorch computed it in the seed.
 */
export function seedExample(dtype: FloatDType = 'float32'): SeedExample {
  return {
    model: networkFromJson(SEED_NETWORK.weights, dtype),
    input: tensor(SEED_NETWORK.input, { dtype }),
    target: tensor(SEED_NETWORK.target, { dtype }),
    loss: new BCELoss(),
  }
}

const ACTIVATIONS: Record<string, () => Layer> = {
  relu: () => new ReLU(),
  sigmoid: () => new Sigmoid(),
  tanh: () => new Tanh(),
  softmax: () => new Softmax(-1),
  logsoftmax: () => new LogSoftmax(-1),
}

/** Build the Sequential a NetworkJson describes (see NetworkJson), checking every shape. */
export function networkFromJson(json: NetworkJson, dtype: FloatDType = 'float32'): Sequential {
  const where = 'network JSON'
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new TypeError(`${where}: expected an object of state-dict entries ("0.weight": [[...]], "0.bias": [...], ...), got ${Array.isArray(json) ? 'an array' : typeof json}`)
  }
  const weights = new Map<number, number[][]>()
  const biases = new Map<number, number[]>()
  for (const [key, value] of Object.entries(json)) {
    if (key === 'layers') continue
    const m = /^(\d+)\.(weight|bias)$/.exec(key)
    if (!m) throw new Error(`${where}: unexpected key "${key}"; keys are "layers" and state-dict entries like "0.weight" and "0.bias"`)
    const index = Number(m[1])
    if (m[2] === 'weight') weights.set(index, matrixOf(key, value))
    else biases.set(index, vectorOf(key, value))
  }
  if (weights.size === 0) throw new Error(`${where}: no weights; give at least one "<index>.weight": [[...]] (a Linear layer's [out, in] matrix)`)
  for (const index of biases.keys()) {
    if (!weights.has(index)) throw new Error(`${where}: "${index}.bias" has no "${index}.weight"; every bias belongs to a Linear layer`)
  }
  const linearAt = [...weights.keys()].sort((a, b) => a - b)
  const layers = json.layers === undefined ? defaultLayers(linearAt) : checkLayers(json.layers, linearAt)

  const modules: Layer[] = []
  let previousOut: number | null = null
  layers.forEach((name, index) => {
    if (name.toLowerCase() !== 'linear') {
      modules.push(ACTIVATIONS[name.toLowerCase()]())
      return
    }
    const W = weights.get(index)!
    const b = biases.get(index)
    const [out, inF] = [W.length, W[0].length]
    if (previousOut !== null && inF !== previousOut) {
      throw new Error(`${where}: "${index}.weight" takes ${inF} inputs but the Linear layer before it gives ${previousOut} outputs; its shape must be [out, ${previousOut}]`)
    }
    if (b && b.length !== out) throw new Error(`${where}: "${index}.bias" has ${b.length} entries but "${index}.weight" has ${out} rows; they must be equal`)
    const layer = new Linear(inF, out, { bias: b !== undefined, dtype })
    layer.weight.data.set(W.flat())
    if (b) layer.bias!.data.set(b)
    previousOut = out
    modules.push(layer)
  })
  return new Sequential(...modules)
}

/** The seed's layout: Linear where the weights are, ReLU in the gaps, Sigmoid at the end. */
function defaultLayers(linearAt: number[]): string[] {
  const last = linearAt[linearAt.length - 1]
  const layers = Array.from({ length: last + 1 }, (_, i) => (linearAt.includes(i) ? 'Linear' : 'ReLU'))
  return [...layers, 'Sigmoid']
}

function checkLayers(layers: unknown, linearAt: number[]): string[] {
  const where = 'network JSON'
  if (!Array.isArray(layers) || layers.some((l) => typeof l !== 'string')) {
    throw new TypeError(`${where}: "layers" must be an array of layer names like ["Linear", "ReLU", "Linear", "Sigmoid"]`)
  }
  layers.forEach((name: string, i) => {
    const lower = name.toLowerCase()
    if (lower !== 'linear' && !(lower in ACTIVATIONS)) {
      throw new Error(`${where}: layer ${i} is "${name}"; the layers are Linear, ReLU, Sigmoid, Tanh, Softmax and LogSoftmax`)
    }
    if ((lower === 'linear') !== linearAt.includes(i)) {
      throw new Error(
        lower === 'linear'
          ? `${where}: layer ${i} is Linear but there is no "${i}.weight"`
          : `${where}: there is a "${i}.weight" but layer ${i} is ${name}; only Linear layers have weights`,
      )
    }
  })
  const beyond = linearAt.find((i) => i >= layers.length)
  if (beyond !== undefined) throw new Error(`${where}: "${beyond}.weight" is beyond the ${layers.length} layers listed in "layers"`)
  return layers as string[]
}

function isNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v)
}

function vectorOf(key: string, value: unknown): number[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every(isNumber)) {
    throw new TypeError(`network JSON: "${key}" must be a non-empty array of finite numbers, e.g. [0, 0, 0]`)
  }
  return value
}

function matrixOf(key: string, value: unknown): number[][] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((row) => Array.isArray(row) && row.length > 0 && row.every(isNumber))) {
    throw new TypeError(`network JSON: "${key}" must be a matrix [out, in]: a non-empty array of non-empty arrays of finite numbers, e.g. [[0.1, 0.5], [0.7, 0.2]]`)
  }
  const cols = value[0].length
  const ragged = value.findIndex((row: number[]) => row.length !== cols)
  if (ragged >= 0) throw new Error(`network JSON: "${key}" is ragged: row 0 has ${cols} entries but row ${ragged} has ${value[ragged].length}`)
  return value
}
