/**
 * Reading test/fixtures/pytorch-oracle.json (a copy of shared/fixtures, see its README there)
 * and comparing yann's numbers with PyTorch's under the README's tolerances:
 * float64 |got − want| ≤ 1e-9 + 1e-7·|want|; float32 |got − want| ≤ 1e-5 + 1e-4·|want|.
 */
import { readFileSync } from 'node:fs'
import { tensor, Tensor } from '../../src/index.js'

export type FloatDType = 'float32' | 'float64'

export interface RawTensor {
  shape: number[]
  data: number[]
  dtype?: 'int64'
}

export interface OracleCase {
  name: string
  kind: 'seed' | 'model' | 'op'
  dtype: FloatDType
  [key: string]: unknown
}

export interface SeedCase extends OracleCase {
  kind: 'seed'
  a1: RawTensor
  a2: RawTensor
  loss: number
  grads: Record<'w1' | 'b1' | 'w2' | 'b2', RawTensor>
  params_after: Record<'w1' | 'b1' | 'w2' | 'b2', RawTensor>
}

export type LayerSpec = { type: 'linear'; in: number; out: number; bias: boolean } | { type: 'relu' | 'sigmoid' | 'tanh' }
export interface LossSpec {
  type: 'bce' | 'bce_with_logits' | 'mse' | 'cross_entropy'
  reduction: 'mean' | 'sum'
  weight?: RawTensor
}
export type OptimizerSpec =
  | { type: 'sgd'; lr: number; momentum: number; dampening: number; nesterov: boolean; weight_decay: number }
  | { type: 'adam' | 'adamw'; lr: number; betas: [number, number]; eps: number; weight_decay: number }

export interface ModelStep {
  input: RawTensor
  target: RawTensor
  output: RawTensor
  loss: number
  grads: Record<string, RawTensor>
  params_after: Record<string, RawTensor>
}

export interface ModelCase extends OracleCase {
  kind: 'model'
  layers: LayerSpec[]
  loss: LossSpec
  optimizer: OptimizerSpec
  params_init: Record<string, RawTensor>
  steps: ModelStep[]
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/pytorch-oracle.json', import.meta.url), 'utf8')) as {
  meta: { cases: number }
  cases: OracleCase[]
}

export const allCases = fixture.cases
export const seedCases = fixture.cases.filter((c): c is SeedCase => c.kind === 'seed')
export const modelCases = fixture.cases.filter((c): c is ModelCase => c.kind === 'model')

/** A fixture tensor as a yann tensor: int64 class targets become int32, floats take `dtype`. */
export function fromRaw(raw: RawTensor, dtype: FloatDType): Tensor {
  const t = tensor(raw.data, { dtype: raw.dtype === 'int64' ? 'int32' : dtype })
  return t.reshape(raw.shape)
}

export function tolerance(dtype: FloatDType, want: number): number {
  return dtype === 'float64' ? 1e-9 + 1e-7 * Math.abs(want) : 1e-5 + 1e-4 * Math.abs(want)
}

/** Throws, naming the value, the element and both numbers, unless `got` matches `want` within tolerance. */
export function expectClose(label: string, got: Tensor | number | null | undefined, want: RawTensor | number, dtype: FloatDType): void {
  if (got === null || got === undefined) throw new Error(`${label}: got ${got}, want a value`)
  const wantShape = typeof want === 'number' ? [] : want.shape
  const wantData = typeof want === 'number' ? [want] : want.data
  const gotShape = typeof got === 'number' ? [] : [...got.shape]
  const gotData = typeof got === 'number' ? [got] : Array.from(got.data)
  if (typeof got !== 'number' && got.dtype !== dtype) throw new Error(`${label}: dtype ${got.dtype}, want ${dtype}`)
  if (gotShape.join() !== wantShape.join()) throw new Error(`${label}: shape [${gotShape}] , want [${wantShape}]`)
  let worst = -1
  let worstExcess = 0
  for (let i = 0; i < wantData.length; i++) {
    const excess = Math.abs(gotData[i] - wantData[i]) - tolerance(dtype, wantData[i])
    if (!(excess <= 0) && (worst < 0 || !(excess <= worstExcess))) {
      worst = i
      worstExcess = excess
    }
  }
  if (worst >= 0) {
    throw new Error(
      `${label}: element ${worst} is ${gotData[worst]}, PyTorch has ${wantData[worst]} ` +
        `(|diff| ${Math.abs(gotData[worst] - wantData[worst]).toExponential(3)} > tolerance ${tolerance(dtype, wantData[worst]).toExponential(3)})`,
    )
  }
}
