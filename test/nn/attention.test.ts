import { describe, expect, it } from 'vitest'
import { nn, Tensor, tensor } from '../../src/index.js'
import { mulberry32 } from '../rng.js'

/** A hand-computed reference: softmax(q·kᵀ/√d)·v for one head, in plain JS. */
function attend(q: number[][], k: number[][], v: number[][], masked: (i: number, j: number) => boolean): number[][] {
  const d = q[0].length
  return q.map((qi, i) => {
    const s = k.map((kj, j) => (masked(i, j) ? -Infinity : qi.reduce((a, x, e) => a + x * kj[e], 0) / Math.sqrt(d)))
    const m = Math.max(...s)
    const e = s.map((x) => Math.exp(x - m))
    const z = e.reduce((a, b) => a + b, 0)
    return v[0].map((_, c) => e.reduce((a, p, j) => a + (p / z) * v[j][c], 0))
  })
}

function identityMha(batchFirst: boolean): nn.MultiheadAttention {
  const m = new nn.MultiheadAttention(2, 1, { batchFirst, dtype: 'float64' })
  // q = k = v = x, out_proj = identity, zero biases: the output is attention of x on itself.
  m.inProjWeight.data.set([1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1])
  m.outProj.weight.data.set([1, 0, 0, 1])
  return m
}

describe('nn.MultiheadAttention', () => {
  const x = [[0.5, -1], [2, 0.25], [-0.75, 1.5]]

  it('has PyTorch parameter names and init (zero biases)', () => {
    const m = new nn.MultiheadAttention(8, 2)
    expect(m.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ['in_proj_weight', [24, 8]], ['in_proj_bias', [24]], ['out_proj.weight', [8, 8]], ['out_proj.bias', [8]],
    ])
    expect(Array.from(m.inProjBias!.data).every((b) => b === 0)).toBe(true)
    expect(new nn.MultiheadAttention(4, 2, { bias: false }).namedParameters().map(([n]) => n)).toEqual(['in_proj_weight', 'out_proj.weight'])
  })

  it('computes attention (fused without weights, explicit with them), batchFirst or not, causal', () => {
    const want = attend(x, x, x, () => false).flat()
    const wantCausal = attend(x, x, x, (i, j) => j > i).flat()
    for (const batchFirst of [true, false]) {
      const m = identityMha(batchFirst)
      const input = tensor([x], { dtype: 'float64' })
      const xb = batchFirst ? input : input.transpose(0, 1)
      for (const needWeights of [true, false]) {
        const [out, weights] = m.forward(xb, xb, xb, { needWeights })
        expect(out.shape).toEqual(batchFirst ? [1, 3, 2] : [3, 1, 2])
        const flat = Array.from((batchFirst ? out : out.transpose(0, 1)).data)
        flat.forEach((g, i) => expect(g).toBeCloseTo(want[i], 12))
        expect(weights === null).toBe(!needWeights)
        const [causal] = m.forward(xb, xb, xb, { needWeights, isCausal: true, attnMask: null })
        Array.from((batchFirst ? causal : causal.transpose(0, 1)).data).forEach((g, i) => expect(g).toBeCloseTo(wantCausal[i], 12))
      }
    }
  })

  it('attention weights average over heads; bool attnMask true = not allowed; keyPaddingMask', () => {
    const m = identityMha(true)
    const input = tensor([x], { dtype: 'float64' })
    const [, w] = m.forward(input, input, input)
    expect(w!.shape).toEqual([1, 3, 3])
    const rowSums = [0, 1, 2].map((i) => w!.data[i * 3] + w!.data[i * 3 + 1] + w!.data[i * 3 + 2])
    rowSums.forEach((s) => expect(s).toBeCloseTo(1, 12))
    const padded = new Tensor(Float64Array.of(0, 0, -Infinity), [1, 3])
    const [out] = m.forward(input, input, input, { keyPaddingMask: padded, needWeights: false })
    const want = attend(x, x, x, (_, j) => j === 2).flat()
    Array.from(out.data).forEach((g, i) => expect(g).toBeCloseTo(want[i], 12))
  })

  it('backward reaches every parameter', () => {
    const m = new nn.MultiheadAttention(8, 4, { batchFirst: true })
    const r = mulberry32(3)
    const input = new Tensor(Float32Array.from({ length: 2 * 5 * 8 }, () => r() - 0.5), [2, 5, 8])
    const [out] = m.forward(input, input, input, { needWeights: false, isCausal: true })
    out.sum().backward()
    for (const [name, p] of m.namedParameters()) expect(p.grad, name).not.toBeNull()
  })

  it('bad input: embedDim not divisible by numHeads, wrong feature size, bad mask shapes', () => {
    expect(() => new nn.MultiheadAttention(10, 3)).toThrow(/MultiheadAttention: embedDim \(10\) must be divisible by numHeads \(3\)/)
    const m = new nn.MultiheadAttention(4, 2, { batchFirst: true })
    const input = tensor([[[1, 2, 3, 4]]])
    expect(() => m.forward(tensor([[[1, 2, 3]]]), input, input)).toThrow(/query must be .*\[1, 1, 3\]/)
    expect(() => m.forward(input, input, input, { attnMask: tensor([[0, 0]]) })).toThrow(/attnMask must be \[1, 1\] or \[2, 1, 1\], got \[1, 2\]/)
    expect(() => m.forward(input, input, input, { needWeight: false } as never)).toThrow(/needWeight/)
  })
})
