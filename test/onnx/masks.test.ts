import { describe, expect, it } from 'vitest'
import { argmax, argmin, logicalAnd, logicalOr, randn, tensor, where, type Tensor } from '../../src/index.js'
import { opTypes } from './decode.js'
import { check } from './fn-model.js'

/**
 * Masks and predictions in ONNX Runtime: comparisons, logical ops, isnan/isinf/isfinite, where
 * and maskedFill on a mask made from the input, argmax/argmin and max(dim)'s indices. bool and
 * int32 outputs keep their dtype (check() compares each output's type).
 */


describe('masks and predictions exported to ONNX Runtime', () => {
  it('a classifier returning its predictions: argmax(-1), max(-1).indices, argmin with keepdim, argmax of everything (ArgMax/ArgMin, int32), dynamic batch at two sizes', async () => {
    const bytes = await check(
      (m, x) => {
        const logits = m.lin.forward(x).relu() // ties at 0: the first index wins, as in PyTorch
        return [logits.argmax(-1), logits.max(-1).indices, argmin(logits, 0, { keepdim: true }), argmax(logits), argmax(logits, null, { keepdim: true })]
      },
      [randn([3, 4]), randn([6, 4])],
      true,
    )
    const ops = opTypes(bytes)
    expect(ops.filter((op) => op === 'ArgMax')).toHaveLength(4)
    expect(ops).toContain('ArgMin')
  })

  it('a padding mask from the input: scores.maskedFill(x.eq(0), −∞).softmax(−1) (Equal, Where); exported on an input with no zeros, the mask is still computed, not frozen', async () => {
    const bytes = await check(
      (m, x) => {
        const mask = x.eq(0)
        const attention = m.lin.forward(x).maskedFill(mask, -Infinity).softmax(-1)
        return [attention, mask, attention.mul(x.ne(0))]
      },
      [randn([2, 4]), tensor([[0, 1, 0, 2], [3, 0, 0, 0], [0, 0, 5, 0]])],
      true,
    )
    expect(opTypes(bytes)).toEqual(expect.arrayContaining(['Equal', 'Where', 'Not', 'Softmax']))
  })

  it('where(x.isnan(), 0, x) and isinf, isfinite (IsNaN, IsInf), on inputs with NaN and ±∞ in other places', async () => {
    const bytes = await check(
      (_, x) => [where(x.isnan(), 0, x).clip(-1e30, 1e30), x.isinf(), x.isfinite(), x.isnan(), where(x.isfinite(), x, -1)],
      [tensor([[NaN, 1, Infinity], [2, -Infinity, 3]]), tensor([[1, NaN, 2], [-Infinity, 3, NaN]])],
    )
    expect(opTypes(bytes)).toEqual(expect.arrayContaining(['IsNaN', 'IsInf', 'Where']))
  })

  it('logicalAnd/Or/Not of comparisons with numbers and tensors (Greater, Less, GreaterOrEqual, LessOrEqual, And, Or, Not); casts to bool and int32 (Cast)', async () => {
    await check(
      (m, x) => {
        const y = m.lin.forward(x)
        const inBand = logicalAnd(x.gt(-0.5), x.lt(0.5))
        return [inBand, logicalOr(x.ge(y), y.le(0)), inBand.logicalNot(), x.gt(y).logicalNot().logicalAnd(x.ne(y)), x.round().logicalNot(), inBand.int(), x.mul(3).int()]
      },
      [randn([3, 4]), randn([5, 4])],
      true,
    )
  })

  it('max(1) and min(1, keepdim) returning values and indices; comparisons, where and maskedFill on int32 and bool keep their dtype', async () => {
    await check(
      (_, x) => {
        const top = x.max(1)
        const low = x.min(1, { keepdim: true })
        const labels = x.argmax(1)
        return [top.values, top.indices, low.values, low.indices, labels.eq(2), where(labels.gt(0), labels, 7), labels.maskedFill(labels.eq(0), -1), labels.eq(1).maskedFill(top.values.gt(2), 1)]
      },
      [tensor([[1, 3, 3, 0], [2, 2, -1, 5]]), randn([4, 4])],
      true,
    )
  })

  it('any()/all() over everything, along dims and with keepdim (Cast, ReduceSum/ReduceMin, Cast), used in arithmetic: computed, not frozen, on inputs where the answer flips from export', async () => {
    const bytes = await check(
      (_, x) => {
        const pos = x.gt(0)
        return [pos.any(), pos.all(), x.any(), pos.any(1), pos.all(-1, { keepdim: true }), pos.any([0, 1]), x.sum().mul(pos.all().float()), x.mul(pos.logicalNot().any(0).float())]
      },
      [tensor([[1, 2, 3], [4, 5, 6]]), tensor([[-1, -2, -3], [-4, -5, -6]]), tensor([[0, 2, -3], [4, 0, 6]])],
    )
    expect(opTypes(bytes)).toEqual(expect.arrayContaining(['ReduceSum', 'ReduceMin', 'Cast']))
  })

  it('max(dim), amax, min, amin, max() of int32 and bool tensors keep their dtype (the values narrowed back as a Cast)', async () => {
    await check(
      (_, x) => {
        const i = x.int()
        const b = x.gt(0)
        return [i.max(1).values, i.amax(0), i.min(1, { keepdim: true }).values, i.amin(), i.max(), b.amax(1), b.min(0).values, b.amin(-1, { keepdim: true })]
      },
      [tensor([[1, 3, -2], [5, 0, 4]]), tensor([[-7, 2, 9], [0, -1, 3]])],
    )
  })

  it('int32 arithmetic (add, sub, mul of ints and bools, a number, floor division) exports as float64 ops between Casts, and stays int32', async () => {
    await check(
      (_, x) => {
        const i = x.int()
        const votes = x.gt(0).int().add(x.lt(-2).int())
        return [i.add(votes), i.sub(3).mul(i), votes.mul(2), i.div(2, { roundingMode: 'floor' }), i.sum(1)]
      },
      [tensor([[1, 3, -2], [5, 0, 4]]), tensor([[-7, 2, 9], [0, -1, 3]])],
    )
  })
})
