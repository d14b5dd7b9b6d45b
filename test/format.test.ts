import { describe, expect, it } from 'vitest'
import type { DType } from '../src/dtype.js'
import { formatExponential, formatFixed, formatTensor, type Printable, type PrintOptions } from '../src/format.js'

/** A Printable as the Tensor class hands it over: typed-array data, flat row-major. */
function p(
  dtype: DType,
  shape: number[],
  values: ArrayLike<number>,
  extra: Partial<Pick<Printable, 'requiresGrad' | 'gradFnName'>> = {},
): Printable {
  const Ctor = dtype === 'float32' ? Float32Array : dtype === 'float64' ? Float64Array : Int32Array
  const gradFnName = extra.gradFnName ?? null
  return {
    shape,
    dtype,
    data: Ctor.from(values),
    requiresGrad: extra.requiresGrad ?? gradFnName !== null,
    isLeaf: gradFnName === null,
    gradFnName,
  }
}

const f32 = (shape: number[], v: ArrayLike<number>, extra = {}) => formatTensor(p('float32', shape, v, extra))
const f64 = (shape: number[], v: ArrayLike<number>, extra = {}) => formatTensor(p('float64', shape, v, extra))
const i32 = (shape: number[], v: ArrayLike<number>, extra = {}) => formatTensor(p('int32', shape, v, extra))
const range = (n: number) => Array.from({ length: n }, (_, i) => i)

// The seed example (section 2 of /work/shared/seed/yann-backprop-example.txt), with
// the float32 values PyTorch 2.11 computed for it (shared/fixtures/pytorch-oracle.json,
// case seed_example_float32). Expected strings are the printout in the seed, with
// modern grad_fn names (SigmoidBackward0, BinaryCrossEntropyBackward0).
describe('the seed printout (PyTorch float32 values)', () => {
  it('prints activations with grad_fn and a zero leaf with requires_grad', () => {
    expect(f32([3], [0.5740000009536743, 0.7480000257492065, 0.6495000123977661], { gradFnName: 'ReluBackward0' })).toBe(
      'tensor([0.5740, 0.7480, 0.6495], grad_fn=<ReluBackward0>)',
    )
    expect(f32([2], [0, 0], { requiresGrad: true })).toBe('tensor([0., 0.], requires_grad=True)')
    expect(f32([2], [0.7729774117469788, 0.7729861736297607], { gradFnName: 'SigmoidBackward0' })).toBe(
      'tensor([0.7730, 0.7730], grad_fn=<SigmoidBackward0>)',
    )
  })

  it('prints a 0-dim loss', () => {
    expect(f32([], [0.870124876499176], { gradFnName: 'BinaryCrossEntropyBackward0' })).toBe(
      'tensor(0.8701, grad_fn=<BinaryCrossEntropyBackward0>)',
    )
  })

  it('prints gradients, aligning columns when some are negative', () => {
    const w2 = [-0.06515548378229141, -0.08490645885467529, -0.07372558861970901, 0.22184701263904572, 0.28909680247306824, 0.25102725625038147]
    expect(f32([2, 3], w2)).toBe('tensor([[-0.0652, -0.0849, -0.0737],\n        [ 0.2218,  0.2891,  0.2510]])')
    expect(f32([2], [-0.11351130157709122, 0.386493057012558])).toBe('tensor([-0.1135,  0.3865])')
    const w1 = [
      0.0031711827032268047, 0.011305956169962883, 0.006480243057012558, 0.055450163781642914, 0.19769187271595,
      0.11331120133399963, 0.05178234353661537, 0.18461529910564423, 0.10581608861684799,
    ]
    expect(f32([3, 3], w1)).toBe(
      'tensor([[0.0032, 0.0113, 0.0065],\n' + '        [0.0555, 0.1977, 0.1133],\n' + '        [0.0518, 0.1846, 0.1058]])',
    )
    expect(f32([3], [0.013787751086056232, 0.2410876601934433, 0.22514061629772186])).toBe('tensor([0.0138, 0.2411, 0.2251])')
  })

  it('prints the updated parameters', () => {
    const w1 = [
      0.09996829181909561, 0.4998869299888611, 0.2999352216720581, 0.6994454860687256, 0.19802308082580566,
      0.8988668918609619, 0.39948219060897827, 0.24815385043621063, 0.7489418387413025,
    ]
    expect(f32([3, 3], w1)).toBe(
      'tensor([[0.1000, 0.4999, 0.2999],\n' + '        [0.6994, 0.1980, 0.8989],\n' + '        [0.3995, 0.2482, 0.7489]])',
    )
    // min |x| is 1.38e-4: just above the 1e-4 switch to scientific notation.
    expect(f32([3], [-0.00013787750503979623, -0.00241087656468153, -0.0022514062002301216])).toBe(
      'tensor([-0.0001, -0.0024, -0.0023])',
    )
    const w2 = [0.9006515145301819, 0.6008490920066833, 0.4007372558116913, 0.2977815270423889, 0.797109067440033, 0.6974897384643555]
    expect(f32([2, 3], w2)).toBe('tensor([[0.9007, 0.6008, 0.4007],\n        [0.2978, 0.7971, 0.6975]])')
    expect(f32([2], [0.001135112950578332, -0.0038649304769933224])).toBe('tensor([ 0.0011, -0.0039])')
  })
})

// Expected strings from PyTorch's own test suite (test/test_torch.py, test_print),
// with `, dtype=torch.int32` appended where PyTorch's int64 default needs none.
describe("PyTorch's test_print cases", () => {
  it('switches to scientific notation', () => {
    expect(f32([2], [1e28, 1e-28])).toBe('tensor([1.0000e+28, 1.0000e-28])')
    expect(f32([], [0.00002])).toBe('tensor(2.0000e-05)') // min < 1e-4
    expect(f32([1], [0.00002])).toBe('tensor([2.0000e-05])')
    expect(f32([1], [123456789])).toBe('tensor([1.2346e+08])') // max > 1e8
    expect(f32([2], [0.01, 11])).toBe('tensor([1.0000e-02, 1.1000e+01])') // max / min > 1000
  })

  it('honours sci_mode set in the options', () => {
    const x = p('float32', [2], [1e2, 1e-2])
    expect(formatTensor(x, { sciMode: true })).toBe('tensor([1.0000e+02, 1.0000e-02])')
    expect(formatTensor(x, { sciMode: false })).toBe('tensor([100.0000,   0.0100])')
  })

  it('prints integers, with a leading space only when there is a minus sign', () => {
    expect(i32([2], [1, 2])).toBe('tensor([1, 2], dtype=torch.int32)')
    expect(i32([2], [1, -2])).toBe('tensor([ 1, -2], dtype=torch.int32)')
    expect(i32([2], [1, 1010])).toBe('tensor([   1, 1010], dtype=torch.int32)') // no sci mode for ints
    expect(i32([1], [1000000000])).toBe('tensor([1000000000], dtype=torch.int32)')
  })

  it('prints whole-number floats in int mode', () => {
    expect(f32([2], [1, 1000])).toBe('tensor([   1., 1000.])')
    expect(f32([2], [1, 1010])).toBe('tensor([1.0000e+00, 1.0100e+03])') // ratio > 1000: sci
    expect(f32([1], [123], { requiresGrad: true })).toBe('tensor([123.], requires_grad=True)')
  })

  it('prints inf and nan, right-aligned and ignored for the width', () => {
    expect(f32([7], [4, Infinity, 1.5, -Infinity, 0, NaN, 1])).toBe(
      'tensor([4.0000,    inf, 1.5000,   -inf, 0.0000,    nan, 1.0000])',
    )
  })

  it('wraps a float64 row with subnormal and huge values', () => {
    expect(f64([6], [1e-324, 1e-323, 1e-322, 1e307, 1e308, Infinity])).toBe(
      'tensor([ 0.0000e+00, 9.8813e-324, 9.8813e-323, 1.0000e+307, 1.0000e+308,\n' +
        '                inf], dtype=torch.float64)',
    )
  })

  it('summarises more than 1000 elements', () => {
    expect(f32([10000], new Float32Array(10000))).toBe('tensor([0., 0., 0.,  ..., 0., 0., 0.])')
    const expected =
      'tensor([[[1., 1., 1.,  ..., 1., 1., 1.],\n' +
      '         [1., 1., 1.,  ..., 1., 1., 1.]],\n\n' +
      '        [[1., 1., 1.,  ..., 1., 1., 1.],\n' +
      '         [1., 1., 1.,  ..., 1., 1., 1.]],\n\n' +
      '        [[1., 1., 1.,  ..., 1., 1., 1.],\n' +
      '         [1., 1., 1.,  ..., 1., 1., 1.]],\n\n' +
      '        ...,\n\n' +
      '        [[1., 1., 1.,  ..., 1., 1., 1.],\n' +
      '         [1., 1., 1.,  ..., 1., 1., 1.]],\n\n' +
      '        [[1., 1., 1.,  ..., 1., 1., 1.],\n' +
      '         [1., 1., 1.,  ..., 1., 1., 1.]],\n\n' +
      '        [[1., 1., 1.,  ..., 1., 1., 1.],\n' +
      '         [1., 1., 1.,  ..., 1., 1., 1.]]])'
    expect(f32([100, 2, 10], new Float32Array(2000).fill(1))).toBe(expected)
  })

  it('applies precision from the options (torch.set_printoptions docstring)', () => {
    expect(f32([1], [1.12345])).toBe('tensor([1.1235])')
    expect(formatTensor(p('float32', [1], [1.12345]), { precision: 2 })).toBe('tensor([1.12])')
  })
})

// Cases worked out from _tensor_str's rules (PyTorch 2.x source).
describe('rules of _tensor_str', () => {
  it('names every dtype but float32, before grad_fn / requires_grad', () => {
    expect(f64([3], [0.574, 0.748, 0.6495])).toBe('tensor([0.5740, 0.7480, 0.6495], dtype=torch.float64)')
    expect(f64([3], [0.574, 0.748, 0.6495], { gradFnName: 'ReluBackward0' })).toBe(
      'tensor([0.5740, 0.7480, 0.6495], dtype=torch.float64, grad_fn=<ReluBackward0>)',
    )
    expect(f64([], [2], { requiresGrad: true })).toBe('tensor(2., dtype=torch.float64, requires_grad=True)')
    expect(i32([], [5])).toBe('tensor(5, dtype=torch.int32)')
  })

  it('prints empty tensors with their size unless it is (0,)', () => {
    expect(f32([0], [])).toBe('tensor([])')
    expect(f32([0, 3], [])).toBe('tensor([], size=(0, 3))')
    expect(f64([2, 0, 4], [])).toBe('tensor([], size=(2, 0, 4), dtype=torch.float64)')
    expect(i32([0], [])).toBe('tensor([], dtype=torch.int32)')
    expect(f32([0], [], { requiresGrad: true })).toBe('tensor([], requires_grad=True)')
  })

  it('separates matrices of a 3-D tensor with a blank line', () => {
    expect(i32([2, 2, 2], range(8))).toBe(
      'tensor([[[0, 1],\n' + '         [2, 3]],\n\n' + '        [[4, 5],\n' + '         [6, 7]]], dtype=torch.int32)',
    )
    // dim - 1 newlines: two blank lines between the 3-D blocks of a 4-D tensor.
    expect(f32([2, 1, 1, 2], [1, -2, 3, 4])).toBe('tensor([[[[ 1., -2.]]],\n\n\n' + '        [[[ 3.,  4.]]]])')
  })

  it('wraps a long row at 80 columns, indenting continuation lines', () => {
    // int mode, width 3 ("29."): floor((80 - 7) / (3 + 2)) = 14 per line.
    expect(f32([30], range(30))).toBe(
      'tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,\n' +
        '        14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25., 26., 27.,\n' +
        '        28., 29.])',
    )
  })

  it('moves suffixes that would pass 80 columns to a new line', () => {
    // The row is 79 characters long; _add_suffixes counts it as 81.
    expect(f64([6], [1e-5, 2e-5, 3e-5, 4e-5, 5e-5, 6e-5], { gradFnName: 'MulBackward0' })).toBe(
      'tensor([1.0000e-05, 2.0000e-05, 3.0000e-05, 4.0000e-05, 5.0000e-05, 6.0000e-05],\n' +
        '       dtype=torch.float64, grad_fn=<MulBackward0>)',
    )
  })

  it('summarises rows and columns of a matrix', () => {
    expect(i32([100, 100], range(10000))).toBe(
      'tensor([[   0,    1,    2,  ...,   97,   98,   99],\n' +
        '        [ 100,  101,  102,  ...,  197,  198,  199],\n' +
        '        [ 200,  201,  202,  ...,  297,  298,  299],\n' +
        '        ...,\n' +
        '        [9700, 9701, 9702,  ..., 9797, 9798, 9799],\n' +
        '        [9800, 9801, 9802,  ..., 9897, 9898, 9899],\n' +
        '        [9900, 9901, 9902,  ..., 9997, 9998, 9999]], dtype=torch.int32)',
    )
  })

  it('chooses mode and width from the printed elements only when summarising', () => {
    const v = new Float32Array(2000).fill(0.5)
    v[1000] = 12345.678 // hidden by the '...': neither widens the columns nor forces sci mode
    expect(f32([2000], v)).toBe('tensor([0.5000, 0.5000, 0.5000,  ..., 0.5000, 0.5000, 0.5000])')
  })

  it('keeps threshold, edgeitems and linewidth options', () => {
    const opts: Partial<PrintOptions> = { threshold: 5, edgeitems: 2 }
    expect(formatTensor(p('float32', [10], range(10)), opts)).toBe('tensor([0., 1.,  ..., 8., 9.])')
    expect(formatTensor(p('float32', [4], [1, 2, 3, 4]), { linewidth: 20 })).toBe('tensor([1., 2., 3.,\n        4.])')
  })

  it('handles nan-only, all-zero and negative-zero tensors', () => {
    expect(f32([2], [NaN, NaN])).toBe('tensor([nan, nan])')
    expect(f32([2, 2], [0, 0, 0, 0])).toBe('tensor([[0., 0.],\n        [0., 0.]])')
    // Zeros do not count towards the width, so '-0.' does not widen the column.
    expect(f32([2], [-0, 1])).toBe('tensor([-0., 1.])')
    expect(f32([2], [-1, Infinity])).toBe('tensor([-1., inf])')
  })

  it('rounds like Python: exact ties to even, computed on the float64 value', () => {
    expect(f32([2], [0.03125, 1])).toBe('tensor([0.0312, 1.0000])') // JS toFixed would give 0.0313
    expect(f64([1], [9.99996e-5])).toBe('tensor([1.0000e-04], dtype=torch.float64)')
  })
})

describe('Python float formatting', () => {
  it("matches '{:.4f}' and '{:.4e}'", () => {
    expect(formatFixed(0.125, 2)).toBe('0.12')
    expect(formatFixed(0.375, 2)).toBe('0.38')
    expect(formatFixed(2.5, 0)).toBe('2')
    expect(formatFixed(-0, 4)).toBe('-0.0000')
    expect(formatFixed(-0.00001, 4)).toBe('-0.0000')
    expect(formatFixed(99999.99995, 4)).toBe('99999.9999') // the double is just below the tie
    expect(formatExponential(0, 4)).toBe('0.0000e+00')
    expect(formatExponential(1.03125, 4)).toBe('1.0312e+00')
    expect(formatExponential(-123456, 4)).toBe('-1.2346e+05')
    expect(formatExponential(5e-324, 4)).toBe('4.9407e-324')
    expect(formatExponential(1.7976931348623157e308, 4)).toBe('1.7977e+308')
    expect(formatExponential(NaN, 4)).toBe('nan')
    expect(formatExponential(-Infinity, 4)).toBe('-inf')
  })
})
