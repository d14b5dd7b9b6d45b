import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { Tensor } from '../../src/index.js'

/**
 * Every op case of test/fixtures/pytorch-oracle.json (PyTorch 2.11, CPU): yann's output must
 * match PyTorch's, and so must the gradient of sum(output * R) with respect to every input.
 * Tolerances (those the cases were published with; their README is not in this repository):
 * float64 |got − want| ≤ 1e-9 + 1e-7·|want|, float32 ≤ 1e-5 + 1e-4·|want| (`tolerance` below).
 */

interface Fixed {
  shape: number[]
  data: number[]
}
interface OpCase {
  name: string
  kind: 'op'
  op: string
  dtype: 'float32' | 'float64'
  args: Record<string, any>
  inputs: Fixed[]
  output: Fixed
  R: Fixed
  grads: (Fixed | null)[]
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/pytorch-oracle.json', import.meta.url), 'utf8'))
const cases: OpCase[] = fixture.cases.filter((c: { kind: string }) => c.kind === 'op')

const tolerance = { float32: { atol: 1e-5, rtol: 1e-4 }, float64: { atol: 1e-9, rtol: 1e-7 } }

/** The op named as in the fixture (PyTorch's name), applied with yann. */
const ops: Record<string, (args: Record<string, any>, ...t: Tensor[]) => Tensor> = {
  add: (_, a, b) => a.add(b),
  sub: (_, a, b) => a.sub(b),
  mul: (_, a, b) => a.mul(b),
  div: (_, a, b) => a.div(b),
  maximum: (_, a, b) => a.maximum(b),
  matmul: (_, a, b) => a.matmul(b),
  relu: (_, x) => x.relu(),
  sigmoid: (_, x) => x.sigmoid(),
  tanh: (_, x) => x.tanh(),
  exp: (_, x) => x.exp(),
  log: (_, x) => x.log(),
  neg: (_, x) => x.neg(),
  abs: (_, x) => x.abs(),
  sqrt: (_, x) => x.sqrt(),
  pow: ({ exponent }, x) => x.pow(exponent),
  clamp: ({ min, max }, x) => x.clamp(min, max),
  sum: ({ dim, keepdim }, x) => (dim === null ? x.sum() : x.sum(dim, keepdim)),
  mean: ({ dim, keepdim }, x) => (dim === null ? x.mean() : x.mean(dim, keepdim)),
  transpose: ({ dim0, dim1 }, x) => x.transpose(dim0, dim1),
  reshape: ({ shape }, x) => x.reshape(shape),
  softmax: ({ dim }, x) => x.softmax(dim),
  log_softmax: ({ dim }, x) => x.logSoftmax(dim),
}

function fromFixture(t: Fixed, dtype: 'float32' | 'float64', requiresGrad = false): Tensor {
  const data = dtype === 'float32' ? Float32Array.from(t.data) : Float64Array.from(t.data)
  const x = new Tensor(data, t.shape)
  x.requiresGrad = requiresGrad
  return x
}

/** Every element outside the tolerance, as readable strings (empty when all match). */
function mismatches(got: Tensor, want: Fixed, dtype: 'float32' | 'float64'): string[] {
  const { atol, rtol } = tolerance[dtype]
  if (got.shape.join() !== want.shape.join()) return [`shape [${got.shape}] vs [${want.shape}]`]
  const bad: string[] = []
  want.data.forEach((w, i) => {
    const g = got.data[i]
    if (!(Math.abs(g - w) <= atol + rtol * Math.abs(w))) bad.push(`[${i}] got ${g} want ${w}`)
  })
  return bad
}

describe('PyTorch oracle: op cases', () => {
  it('has the 60 op cases the fixture README lists', () => {
    expect(cases).toHaveLength(60)
  })

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const inputs = c.inputs.map((t) => fromFixture(t, c.dtype, true))
    const out = ops[c.op](c.args, ...inputs)
    expect(out.dtype).toBe(c.dtype)
    expect(mismatches(out, c.output, c.dtype)).toEqual([])
    out.mul(fromFixture(c.R, c.dtype)).sum().backward()
    c.grads.forEach((want, k) => {
      if (want === null) return expect(inputs[k].grad).toBeNull()
      expect(inputs[k].grad, `grad of input ${k}`).not.toBeNull()
      expect(mismatches(inputs[k].grad!, want, c.dtype), `grad of input ${k}`).toEqual([])
    })
  })
})
