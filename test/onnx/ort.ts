import * as ort from 'onnxruntime-node'
import { expect } from 'vitest'
import { noGrad, type Tensor } from '../../src/index.js'

/** Run exported bytes in ONNX Runtime (CPU) and compare with yann's forward. */

const ORT_TYPE = { float32: 'float32', float64: 'float64', int32: 'int32', bool: 'bool' } as const

export function ortTensor(t: Tensor): ort.Tensor {
  return new ort.Tensor(ORT_TYPE[t.dtype as keyof typeof ORT_TYPE], t.data as Float32Array, [...t.shape])
}

/** Outputs of the model in ONNX Runtime, in graph output order. */
export async function runOrt(bytes: Uint8Array, inputs: Record<string, Tensor>): Promise<ort.Tensor[]> {
  const session = await ort.InferenceSession.create(bytes)
  try {
    const feeds = Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, ortTensor(t)]))
    const out = await session.run(feeds)
    return session.outputNames.map((n) => out[n])
  } finally {
    await session.release()
  }
}

/** |ort − yann| ≤ atol + rtol·|yann| elementwise (float32: 1e-5 + 1e-4·|y|), shapes equal. */
export function expectClose(got: ort.Tensor, want: Tensor, atol = 1e-5, rtol = 1e-4): void {
  expect([...got.dims]).toEqual([...want.shape])
  const g = got.data as Float32Array
  const w = want.data
  expect(g.length).toBe(w.length)
  let worst = 0
  let at = -1
  for (let i = 0; i < w.length; i++) {
    const excess = Math.abs(g[i] - w[i]) - (atol + rtol * Math.abs(w[i]))
    if (!(excess <= worst)) {
      worst = excess
      at = i
    }
  }
  if (at >= 0) expect.fail(`element ${at}: ONNX Runtime ${g[at]} vs yann ${w[at]} (beyond ${atol} + ${rtol}·|y|)`)
}

/** yann's forward in eval mode, without gradients. */
export function forwardEval(model: { eval(): unknown; forward(...x: Tensor[]): Tensor }, ...x: Tensor[]): Tensor {
  model.eval()
  return noGrad(() => model.forward(...x))
}
