import { describe, expect, it } from 'vitest'
import { gradcheck, nn, tensor, Tensor } from '../../src/index.js'
import * as F from '../../src/functional.js'
import { ops2Suite } from '../oracle/ops2.js'

ops2Suite('embedding', {
  embedding: (args, [weight]) => F.embedding(args.indices, weight, { paddingIdx: args.padding_idx }),
})

const i32 = (data: any) => tensor(data, { dtype: 'int32' })

describe('embedding', () => {
  it('gradcheck in float64: repeated indices sum, the padding row gets nothing', () => {
    const w = new Tensor(Float64Array.from({ length: 15 }, (_, i) => Math.sin(i + 1)), [5, 3])
    w.requiresGrad = true
    const idx = i32([[0, 2, 2], [4, 1, 0]])
    expect(gradcheck((x) => F.embedding(idx, x).mul(F.embedding(idx, x)), [w])).toBe(true)
    F.embedding(idx, w, { paddingIdx: 2 }).sum().backward()
    expect(Array.from(w.grad!.data)).toEqual([2, 2, 2, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1])
  })

  it('takes int32 indices of any shape, a 0-d index too', () => {
    const w = tensor([[1, 2], [3, 4], [5, 6]])
    expect(F.embedding(i32([[[2]], [[0]]]), w).shape).toEqual([2, 1, 1, 2])
    expect(Array.from(F.embedding(i32(1), w).data)).toEqual([3, 4])
  })

  it('nn.Embedding: N(0, 1) weights, the padding row zero, a state dict key "weight"', () => {
    const m = new nn.Embedding(10, 4, { paddingIdx: -1 })
    expect(m.paddingIdx).toBe(9)
    expect(Array.from(m.weight.data.slice(36))).toEqual([0, 0, 0, 0])
    expect(Object.keys(m.stateDict())).toEqual(['weight'])
    expect(m.forward(i32([[1, 9]])).shape).toEqual([1, 2, 4])
    expect(m.toString()).toBe('Embedding(10, 4, padding_idx=9)')
  })

  it('rejects out-of-range, negative and float indices, naming the op and the shapes', () => {
    const w = tensor([[1, 2], [3, 4], [5, 6]])
    expect(() => F.embedding(i32([0, 3]), w)).toThrow(/embedding: index 3 .*indices \[2\].*weight \[3, 2\].*\[0, 2\]/)
    expect(() => F.embedding(i32([-1]), w)).toThrow(/embedding: index -1/)
    expect(() => F.embedding(tensor([0, 1]), w)).toThrow(/embedding: indices must be int32, got float32 \[2\]/)
    expect(() => new nn.Embedding(3, 2, { paddingIdx: 3 })).toThrow(/Embedding: paddingIdx must be an integer in \[-3, 2\]/)
    expect(() => F.embedding(i32([0]), w, { padding: 1 } as never)).toThrow(/padding/)
  })
})
