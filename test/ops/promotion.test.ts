import { describe, expect, test } from 'vitest'
import { cat, F, gradcheck, matmul, maximum, minimum, ones, stack, Tensor, tensor, where, type DType } from '../../src/index.js'

/**
 * PyTorch's type promotion (torch.result_type) for int32 and bool: the dtype and the values
 * of each op. Expected values are integer arithmetic written by hand; several lie past 2²⁴,
 * where float32 would round them (2³⁰ + 1 is 1073741825). yann's int32 stands for int64.
 */

const int = (v: Parameters<typeof tensor>[0]): Tensor => tensor(v, { dtype: 'int32' })
const f64 = (v: number[] | number): Tensor => tensor(v, { dtype: 'float64' })
const BIG = 2 ** 30 + 1 // 1073741825: float32 holds 1073741824

function expectTensor(t: Tensor, dtype: DType, values: unknown): void {
  expect(t.dtype).toBe(dtype)
  expect(t.toArray()).toEqual(values)
}

describe('promotion: the result dtype (torch.result_type)', () => {
  test.each<[string, () => Tensor, DType]>([
    ['int32 + int32', () => int([1]).add(int([2])), 'int32'],
    ['int32 + integral number', () => int([1]).add(2), 'int32'],
    ['int32 · non-integral number', () => int([1]).mul(2.5), 'float32'],
    ['int32 + float32', () => int([1]).add(tensor([2])), 'float32'],
    ['int32 + float64', () => int([1]).add(f64([2])), 'float64'],
    ['bool + integral number', () => tensor([true]).add(1), 'int32'],
    ['bool + int32', () => tensor([true]).add(int([1])), 'int32'],
    ['bool + bool', () => tensor([true]).add(tensor([true])), 'bool'],
    ['float32 + 0-d float64: a 0-d tensor does not widen its category', () => ones([2]).add(f64(1)), 'float32'],
    ['float32 + 0-d int32', () => ones([2]).add(int(1)), 'float32'],
    ['int32 + 0-d float32: a higher category counts', () => int([1, 2]).add(tensor(1)), 'float32'],
    ['int32 + 0-d float64: sized to hold the 0-d operand', () => int([1, 2]).add(f64(1)), 'float64'],
    ['0-d float32 + 0-d float64: both 0-d, the wider', () => tensor(1).add(f64(1)), 'float64'],
    ['float64 + non-integral number', () => f64([1]).add(0.5), 'float64'],
  ])('%s', (_name, run, dtype) => {
    expect(run().dtype).toBe(dtype)
  })

  test('float32 + 0-d float64 computes in float32 (values) and the 0-d operand still gets its gradient', () => {
    const s = f64(0.5)
    s.requiresGrad = true
    const y = ones([3]).add(s)
    expectTensor(y, 'float32', [1.5, 1.5, 1.5])
    y.sum().backward()
    expect(s.grad!.dtype).toBe('float64')
    expect(s.grad!.item()).toBe(3)
  })
})

describe('promotion: binary ops on integers', () => {
  test('add sub mul maximum minimum: int32, exact past 2^24', () => {
    expectTensor(int([BIG, -5]).add(1), 'int32', [1073741826, -4])
    expectTensor(int([BIG, 7]).add(int([3, -7]), { alpha: 2 }), 'int32', [1073741831, -7])
    expectTensor(int([BIG, 7]).sub(int([1, 9])), 'int32', [1073741824, -2])
    expectTensor(int([BIG, 3]).sub(2), 'int32', [1073741823, 1])
    expect(() => int([1]).add(int([1]), { alpha: 0.5 })).toThrow(/^add: alpha 0.5 is not an integer, and integral operands must have an integral alpha/)
    expectTensor(int([1]).add(tensor([1]), { alpha: 0.5 }), 'float32', [1.5])
    expectTensor(int([2 ** 15 + 1, -3]).mul(int([2 ** 15 - 1, 5])), 'int32', [1073741823, -15])
    expectTensor(maximum(int([BIG, -2]), int([2 ** 30, -1])), 'int32', [BIG, -1])
    expectTensor(minimum(int([BIG, -2]), int([2 ** 30, -1])), 'int32', [2 ** 30, -2])
    expectTensor(minimum(int([-(2 ** 31), 5]), int([0, 2 ** 31 - 1])), 'int32', [-(2 ** 31), 5])
  })

  test('bool + bool is logical or, bool · bool logical and; maximum/minimum of bools or/and', () => {
    const a = tensor([true, true, false, false])
    const b = tensor([true, false, true, false])
    expectTensor(a.add(b), 'bool', [1, 1, 1, 0])
    expectTensor(a.mul(b), 'bool', [1, 0, 0, 0])
    expectTensor(maximum(a, b), 'bool', [1, 1, 1, 0])
    expectTensor(minimum(a, b), 'bool', [1, 0, 0, 0])
    expectTensor(a.add(1), 'int32', [2, 2, 1, 1])
    expectTensor(a.mul(int([5, 6, 7, 8])), 'int32', [5, 6, 0, 0])
  })

  test('bool − anything and −bool are errors, as in PyTorch', () => {
    const m = tensor([true, false])
    expect(() => m.sub(m)).toThrow(/sub: subtracting two bool tensors .* a\.ne\(b\)/)
    expect(() => m.sub(1)).toThrow(/sub: subtraction with a bool tensor \(shape \[2\]\) is not supported.*logicalNot\(\)/)
    expect(() => int([1, 2]).sub(m)).toThrow(/sub: subtraction with a bool tensor/)
    expect(() => m.neg()).toThrow(/neg: negating a bool tensor/)
  })

  test('div: true division of integers is float32; floor and trunc rounding stay int32', () => {
    expectTensor(int([1, 7, -7]).div(int([2, 2, 2])), 'float32', [0.5, 3.5, -3.5])
    expectTensor(int([3]).div(2), 'float32', [1.5])
    expectTensor(int([7, -7, BIG]).div(2, { roundingMode: 'floor' }), 'int32', [3, -4, 536870912])
    expectTensor(int([7, -7, -BIG]).div(int([2, 2, 2]), { roundingMode: 'trunc' }), 'int32', [3, -3, -536870912])
    expectTensor(int([7]).div(2.5, { roundingMode: 'floor' }), 'float32', [2])
    expect(() => int([1, 2]).div(int([1, 0]), { roundingMode: 'floor' })).toThrow(/div: integer division by zero .*element 1 of the result of shape \[2\]/)
  })

  test('pow: int ** int ≥ 0 is int32; negative integer powers are PyTorch\'s error; int ** float is float32', () => {
    expectTensor(int([3, 7, -2, 5]).pow(int([19, 11, 3, 0])), 'int32', [1162261467, 1977326743, -8, 1])
    expectTensor(int([2, -3]).pow(2), 'int32', [4, 9])
    expectTensor(int([2 ** 15 + 1]).pow(2), 'int32', [1073807361])
    expectTensor(tensor([true, false]).pow(2), 'int32', [1, 0])
    expect(() => int([2]).pow(-1)).toThrow('pow: Integers to negative integer powers are not allowed')
    expect(() => int([2, 2]).pow(int([1, -1]))).toThrow(/pow: Integers to negative integer powers are not allowed.*element 1/)
    expectTensor(int([4]).pow(0.5), 'float32', [2])
    expectTensor(int([2]).pow(tensor([-1])), 'float32', [0.5])
  })

  test('comparisons of integers are exact (float32 would make 2^30 + 1 equal 2^30)', () => {
    expectTensor(int([BIG, BIG]).eq(int([2 ** 30, BIG])), 'bool', [0, 1])
    expectTensor(int([BIG]).gt(2 ** 30), 'bool', [1])
  })
})

describe('promotion: integer overflow is an error, never a wrap-around', () => {
  test.each<[string, () => Tensor]>([
    ['add', () => int([2 ** 31 - 1]).add(1)],
    ['sub', () => int([-(2 ** 31)]).sub(1)],
    ['mul', () => int([BIG]).mul(4)],
    ['neg', () => int([-(2 ** 31)]).neg()],
    ['sum', () => int([2 ** 30, 2 ** 30]).sum()],
    ['cumsum', () => int([2 ** 30, 2 ** 30]).cumsum(0)],
    ['prod', () => int([2 ** 16, 2 ** 16]).prod()],
    ['pow', () => int([2]).pow(31)],
  ])('%s names the op, the shape and the fix', (op, run) => {
    expect(run).toThrow(new RegExp(`^${op}: integer overflow: element \\d+ of the result of shape \\[\\d*\\] is -?\\d+, outside int32 .* convert the input with \\.double\\(\\) first$`))
  })

  test('the same values in float64 give PyTorch\'s int64 numbers', () => {
    expect(int([2 ** 31 - 1]).double().add(1).item()).toBe(2147483648)
    expect(int([2 ** 16, 2 ** 16]).double().prod().item()).toBe(4294967296)
  })
})

describe('promotion: unary ops', () => {
  const x = int([-BIG, 0, 3])
  test('neg abs sign square floor round relu and clamp with integral bounds keep int32', () => {
    expectTensor(x.neg(), 'int32', [BIG, 0, -3])
    expectTensor(x.abs(), 'int32', [BIG, 0, 3])
    expectTensor(x.sign(), 'int32', [-1, 0, 1])
    expectTensor(int([-(2 ** 15 + 1), 3]).square(), 'int32', [1073807361, 9])
    expectTensor(x.floor(), 'int32', [-BIG, 0, 3])
    expectTensor(x.round(), 'int32', [-BIG, 0, 3])
    expectTensor(x.relu(), 'int32', [0, 0, 3])
    expectTensor(x.clamp(-1, 2), 'int32', [-1, 0, 2])
    expectTensor(int([BIG, 1]).clamp(2, null), 'int32', [BIG, 2])
    expectTensor(x.clamp(0.5, null), 'float32', [0.5, 0.5, 3])
  })

  test('hardtanh and relu6 on int32 clamp and keep int32 (PyTorch: a clamp into the input dtype); bool is refused', () => {
    expectTensor(F.relu6(int([-3, 4, BIG])), 'int32', [0, 4, 6])
    expectTensor(F.hardtanh(int([-BIG, 0, 7])), 'int32', [-1, 0, 1])
    expect(() => F.hardtanh(tensor([true]))).toThrow(/^hardtanh: not supported on a bool tensor \(shape \[1\]\)/)
  })

  test('on bool: sign stays bool, square is int32; abs, relu, floor, round are refused as in PyTorch', () => {
    const m = tensor([true, false])
    expectTensor(m.sign(), 'bool', [1, 0])
    expectTensor(m.square(), 'int32', [1, 0])
    for (const op of ['abs', 'relu', 'floor', 'round'] as const) {
      expect(() => m[op]()).toThrow(new RegExp(`^${op}: not supported on a bool tensor \\(shape \\[2\\]\\).*\\.int\\(\\) or \\.float\\(\\)`))
    }
  })

  test('transcendental ops give float32', () => {
    expectTensor(int([0, 4]).sqrt(), 'float32', [0, 2])
    expectTensor(int([0]).exp(), 'float32', [1])
    expectTensor(int([1, 4]).reciprocal(), 'float32', [1, 0.25])
    expectTensor(tensor([true, false]).sigmoid(), 'float32', [1 / (1 + Math.exp(-1)), 0.5].map(Math.fround))
  })
})

describe('promotion: reductions', () => {
  const m = int([[BIG, 2, -3], [4, BIG, 6]])
  test('sum, prod and cumsum of int32 and bool are int32', () => {
    expectTensor(int([BIG, 1, -2]).sum(), 'int32', 1073741824)
    expectTensor(m.sum(0), 'int32', [1073741829, 1073741827, 3])
    expectTensor(m.sum(1, true), 'int32', [[1073741824], [1073741835]])
    expectTensor(int([[BIG, 2], [-3, 4]]).sum([0, 1]), 'int32', 1073741828)
    expectTensor(tensor([true, true, false]).sum(), 'int32', 2)
    expectTensor(int([2 ** 15 + 1, 2 ** 15 - 1, -1]).prod(), 'int32', -1073741823)
    expectTensor(int([[2, 3], [4, 5]]).prod(1), 'int32', [6, 20])
    expectTensor(tensor([true, true]).prod(), 'int32', 1)
    expectTensor(int([BIG, 1, -2]).cumsum(0), 'int32', [BIG, 1073741826, 1073741824])
    expectTensor(tensor([true, false, true]).cumsum(0), 'int32', [1, 1, 2])
    expectTensor(tensor([true, false]).cumsum(0, { dtype: 'float64' }), 'float64', [1, 1])
  })

  test('pred.eq(y).sum() counts as int32 (int64 in PyTorch)', () => {
    expectTensor(int([0, 1, 2, 1]).eq(int([0, 2, 2, 1])).sum(), 'int32', 3)
  })

  test('max min amax amin keep int32 and bool, exact past 2^24; argmax tells 2^30 + 1 from 2^30', () => {
    expectTensor(int([2 ** 30, BIG, -BIG]).max(), 'int32', BIG)
    expectTensor(int([2 ** 30, BIG, -BIG]).min(), 'int32', -BIG)
    const { values, indices } = m.max(1)
    expectTensor(values, 'int32', [BIG, BIG])
    expectTensor(indices, 'int32', [0, 1])
    expectTensor(m.min(0, { keepdim: true }).values, 'int32', [[4, 2, -3]])
    expectTensor(m.amax(0), 'int32', [BIG, BIG, 6])
    expectTensor(m.amin([0, 1]), 'int32', -3)
    expectTensor(tensor([false, true]).max(), 'bool', 1)
    expectTensor(tensor([[false, true], [false, false]]).amax(1), 'bool', [1, 0])
    expectTensor(int([2 ** 30, BIG]).argmax(), 'int32', 1)
    expectTensor(int([BIG, 2 ** 30]).argmin(), 'int32', 1)
  })

  test('mean, var and std of integers stay errors, as in PyTorch', () => {
    expect(() => int([1, 2]).mean()).toThrow(/mean: needs a float tensor, got int32/)
    expect(() => int([1, 2]).var()).toThrow(/var: needs a float tensor, got int32/)
    expect(() => tensor([true]).std()).toThrow(/std: needs a float tensor, got bool/)
  })
})

describe('promotion: where, maskedFill', () => {
  const c = tensor([true, false, true])
  test('where promotes a and b by the same rule', () => {
    expectTensor(where(c, int([BIG, 2, 3]), int([4, 5, 6])), 'int32', [BIG, 5, 3])
    expectTensor(where(c, int([BIG, 2, 3]), 0), 'int32', [BIG, 0, 3])
    expectTensor(where(c, int([1, 2, 3]), 0.5), 'float32', [1, 0.5, 3])
    expectTensor(where(c, tensor([false, false, false]), tensor([true, true, false])), 'bool', [0, 1, 0])
    expectTensor(where(c, tensor([false, true, false]), 7), 'int32', [0, 7, 0])
    expectTensor(where(c, tensor([1, 2, 3]), f64(9)), 'float32', [1, 9, 3])
    expectTensor(where(tensor([[true], [false]]), int([1, 2]), int(BIG)), 'int32', [[1, 2], [BIG, BIG]])
    expect(() => where(c, int([1, 2, 3]), 2 ** 40)).toThrow(/where: integer overflow: .* is 1099511627776/)
  })

  test('maskedFill keeps the tensor\'s dtype', () => {
    expectTensor(int([BIG, 2, 3]).maskedFill(c, 7), 'int32', [7, 2, 7])
    expectTensor(tensor([true, true, false]).maskedFill(c, 0), 'bool', [0, 1, 0])
  })
})

describe('promotion: matmul', () => {
  test('int32 · int32 is int32, exact past 2^24', () => {
    expectTensor(matmul(int([[2 ** 20 + 1, 1], [3, -4]]), int([[2 ** 10, 0], [1, 5]])), 'int32', [[1073742849, 5], [3068, -20]])
    expectTensor(matmul(int([1, 2, 3]), int([4, 5, 6])), 'int32', 32)
  })

  test('int32 · float32, bool, and products too large for exact float64 are errors', () => {
    expect(() => matmul(int([[1]]), tensor([[1]]))).toThrow(/matmul: expected both operands to have the same dtype, got int32 \[1, 1\] and float32 \[1, 1\]; convert the first with \.to\('float32'\)/)
    expect(() => matmul(tensor([[true]]), tensor([[true]]))).toThrow(/matmul: not supported on bool tensors/)
    expect(() => matmul(int([[BIG, 1]]), int([[BIG], [1]]))).toThrow(/matmul: int32 operands \[1, 2\] and \[2, 1\] are too large for an exact product.*\.double\(\)/)
  })
})

describe('promotion: in-place ops on int32', () => {
  test('add_ and mul_ are exact past 2^24; a float operand is refused, as in PyTorch', () => {
    const t = int([BIG, 3])
    t.add_(1)
    expectTensor(t, 'int32', [1073741826, 4])
    t.mul_(int([1, 2]))
    expectTensor(t, 'int32', [1073741826, 8])
    expect(() => t.add_(tensor(0.5))).toThrow(/add_: the result of a float32 operand \[\] is float, which cannot be written into a int32 tensor/)
    expect(() => t.mul_(1.5)).toThrow(/mul_: the result of the number 1.5 is float/)
  })
})

describe('promotion: cat and stack join mixed dtypes in torch.promote_types (they refused before)', () => {
  test.each<[string, () => Tensor, DType, unknown]>([
    ['float32 with float64', () => cat([tensor([1.5, 2]), f64([0.1])]), 'float64', [1.5, 2, 0.1]],
    ['int32 with float32', () => cat([int([BIG]), tensor([0.5])]), 'float32', [1073741824, 0.5]],
    ['int32 with float64 keeps 2³⁰ + 1', () => cat([int([BIG]), f64([0.5])]), 'float64', [BIG, 0.5]],
    ['bool with int32', () => cat([tensor([true, false]), int([7])]), 'int32', [1, 0, 7]],
    ['a legacy empty [0] float64 still promotes', () => cat([tensor([1]), f64([])]), 'float64', [1]],
    ['stack, int32 with float32', () => stack([int([1, 2]), tensor([0.5, 1])]), 'float32', [[1, 2], [0.5, 1]]],
  ])('%s', (_name, run, dtype, values) => expectTensor(run(), dtype, values))

  test('each input gets its gradient in its own dtype', () => {
    const a = tensor([1.5, 2], { requiresGrad: true })
    const b = tensor([0.25], { dtype: 'float64', requiresGrad: true })
    cat([a, b]).mul(f64([1, 2, 3])).sum().backward()
    expectTensor(a.grad!, 'float32', [1, 2])
    expectTensor(b.grad!, 'float64', [3])
  })

  test('gradcheck (float64) through an int32 input joined in', () => {
    expect(gradcheck((x: Tensor) => cat([x, int([[1, 2]])]).square().sum(1), [tensor([[0.5, -1.25]], { dtype: 'float64', requiresGrad: true })])).toBe(true)
  })
})
