import { describe, expect, it } from 'vitest'
import { tsBackend } from '../../src/backend/ts/index.js'
import { wasmOnlyBackend } from '../../src/backend/wasm/backend.js'
import { F, nn, ones, randn, tensor, zeros } from '../../src/index.js'

/** Issue 11 §2.8: tensors with a zero-size dim through every op, with PyTorch's results. */
describe('zero-size tensors', () => {
  it('F.linear with inFeatures = 0 gives the bias in every row, and bias.grad is the batch size', () => {
    const w = zeros([3, 0], { requiresGrad: true })
    const bias = tensor([1, 2, 3], { requiresGrad: true })
    const y = F.linear(zeros([4, 0]), w, bias)
    expect(y.shape).toEqual([4, 3])
    expect(Array.from(y.data)).toEqual([1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3])
    y.sum().backward()
    expect(Array.from(bias.grad!.data)).toEqual([4, 4, 4])
    expect(w.grad!.shape).toEqual([3, 0])
  })

  it('nn.Linear(0, 2) and a batch of 0 rows', () => {
    const m = new nn.Linear(0, 2)
    expect(Array.from(m.forward(zeros([5, 0])).data)).toEqual(Array.from({ length: 5 }, () => Array.from(m.bias!.data)).flat())
    const n = new nn.Linear(3, 2)
    const y = n.forward(zeros([0, 3]))
    expect(y.shape).toEqual([0, 2])
    y.sum().backward()
    expect(Array.from(n.weight.grad!.data)).toEqual([0, 0, 0, 0, 0, 0])
    expect(Array.from(n.bias!.grad!.data)).toEqual([0, 0])
  })

  it('matmul with an empty inner, outer or batch dim', () => {
    expect(Array.from(randn([2, 0]).matmul(randn([0, 3])).data)).toEqual([0, 0, 0, 0, 0, 0])
    const a = randn([0, 4], { requiresGrad: true })
    const b = randn([4, 3], { requiresGrad: true })
    const c = a.matmul(b)
    expect(c.shape).toEqual([0, 3])
    c.sum().backward()
    expect(Array.from(b.grad!.data)).toEqual(new Array(12).fill(0))
    expect(randn([0, 2, 3]).matmul(randn([3, 5])).shape).toEqual([0, 2, 5])
  })

  it('elementwise ops, broadcasting, reductions, softmax and shape ops keep the empty shape', () => {
    const a = zeros([0, 3], { requiresGrad: true })
    const c = a.add(ones([3])).mul(2).exp().relu().sigmoid().tanh().abs().sqrt().pow(2).clamp(0, 1).neg().maximum(zeros([0, 3]))
    expect(c.shape).toEqual([0, 3])
    c.sum().backward()
    expect(a.grad!.shape).toEqual([0, 3])
    expect(ones([0, 1]).add(ones([1, 4])).shape).toEqual([0, 4])
    expect(zeros([0, 3]).sum().item()).toBe(0)
    expect(zeros([0, 3]).mean().item()).toBeNaN() // PyTorch: nan
    expect(Array.from(zeros([0, 3]).sum(0).data)).toEqual([0, 0, 0])
    expect(zeros([0, 3]).sum(1).shape).toEqual([0])
    expect(zeros([0, 3]).softmax(1).shape).toEqual([0, 3])
    expect(zeros([2, 0]).logSoftmax(1).shape).toEqual([2, 0])
    expect(zeros([0, 3]).transpose(0, 1).shape).toEqual([3, 0])
    expect(zeros([0, 3]).reshape(-1, 3).shape).toEqual([0, 3])
    expect(zeros([0, 3]).unsqueeze(0).squeeze(0).shape).toEqual([0, 3])
    expect(F.mseLoss(zeros([0]), zeros([0])).item()).toBeNaN() // PyTorch: nan (mean of nothing)
    expect(String(zeros([0, 3]))).toBe('tensor([], size=(0, 3))')
    expect(zeros([2, 0]).toArray()).toEqual([[], []])
  })

  it('the GEMM and sum kernels of both backends (wasm: every size through wasm) write the bias or zeros over stale output when k or rows is 0', () => {
    for (const be of [tsBackend, wasmOnlyBackend]) {
      for (const bias of [Float32Array.from([1, 2, 3]), null]) {
        const out = new Float32Array(12).fill(7.5)
        be.gemm(new Float32Array(0), new Float32Array(0), out, { m: 4, n: 3, k: 0, transB: true, bias })
        expect(Array.from(out), `${be.name} gemm k=0 bias ${bias !== null}`).toEqual(new Array(4).fill(bias ? [1, 2, 3] : [0, 0, 0]).flat())
      }
      const sums = new Float32Array(3).fill(7.5)
      be.sumAxis(new Float32Array(0), sums, 1, 0, 3, 1)
      expect(Array.from(sums), `${be.name} sumAxis over 0 rows`).toEqual([0, 0, 0])
    }
  })
})
