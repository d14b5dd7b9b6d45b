import { describe, expect, it } from 'vitest'
import { cat, F, stack, tensor, where, zeros } from '../../src/index.js'
import { expectError } from '../expect-error.js'

/** Bad input to the tensor surface: a clear error naming the op, the shapes and the offending value. */

const i32 = (data: any) => tensor(data, { dtype: 'int32' })

describe('surface errors: wrong dims', () => {
  it('max', () => expectError(() => zeros([2, 3]).max(2), /^max:/, 'dim 2', '[2, 3]'))
  it('argmax', () => expectError(() => zeros([2, 3]).argmax(-3), /^argmax:/, 'dim -3', '[2, 3]'))
  it('cat', () => expectError(() => cat([zeros([2]), zeros([2])], 1), /^cat:/, 'dim 1', '[2]'))
  it('select', () => expectError(() => zeros([2, 3]).select(5, 0), /^select:/, 'dim 5', '[2, 3]'))
  it('flatten', () => expectError(() => zeros([2, 3]).flatten(1, 0), /^flatten:/, 'startDim 1', 'endDim 0'))
  it('permute repeats a dim', () => expectError(() => zeros([2, 3]).permute(0, 0), /^permute:/, '[0, 0]', '[2, 3]'))
  it('expand a non-1 dim', () => expectError(() => zeros([2, 3]).expand(4, 3), /^expand:/, '[2, 3]', '[4, 3]'))
  it('a dim that is not a number says so (it read "dim 1 is out of range" for the string "1")', () => {
    expectError(() => zeros([2, 3]).sum('1' as any), /^sum:/, 'dim must be an integer', 'string "1"', '[2, 3]')
    expectError(() => zeros([2, 3]).transpose(0, undefined as any), /^transpose:/, 'got undefined')
  })
  it('keepdim that is not a boolean (a truthy string kept the dim)', () => expectError(() => zeros([2, 3]).mean(1, 'yes' as any), /^mean:/, 'keepdim', 'string'))
  it('sum over a repeated dim list', () => expectError(() => zeros([2, 3]).sum([1, -1]), /^sum:/, '[1, -1]'))
})

describe('surface errors: 0-d tensors where a sized dim is needed', () => {
  // PyTorch: "narrow() cannot be applied to a 0-dim tensor", and likewise slice, split, chunk, size(0).
  const s = tensor(5)
  it('narrow (it returned 0)', () => expectError(() => s.narrow(0, 0, 1), /^narrow:/, '0-d', 'reshape(1)'))
  it('size(0) (it returned undefined)', () => expectError(() => s.size(0), /^size:/, '0-d'))
  it('slice', () => expectError(() => s.slice(0, 0, 1), /^slice:/, '0-d'))
  it('split and chunk (their messages spoke of NaN)', () => {
    expectError(() => s.split(1), /^split:/, '0-d')
    expectError(() => s.chunk(1), /^chunk:/, '0-d')
  })
})

describe('surface errors: out-of-range indices', () => {
  it('indexSelect', () => expectError(() => zeros([2, 3]).indexSelect(1, i32([0, 3])), /^indexSelect:/, 'index 3', 'size 3', '[2, 3]'))
  it('gather', () => expectError(() => zeros([2, 3]).gather(1, i32([[0], [-4]])), /^gather:/, 'index -4', 'size 3', '[2, 3]'))
  it('negative indices in gather, indexSelect and scatterAdd are refused, as PyTorch (-1 read the last element)', () => {
    expectError(() => zeros([2, 3]).gather(1, i32([[0], [-1]])), /^gather:/, 'index -1', 'valid indices are 0 to 2', 'index() takes negative')
    expectError(() => zeros([2, 3]).indexSelect(0, i32([-1])), /^indexSelect:/, 'index -1', 'valid indices are 0 to 1')
    expectError(() => zeros([3]).scatterAdd(0, i32([-2]), zeros([1])), /^scatterAdd:/, 'index -2', 'valid indices are 0 to 2')
  })
  it('index() takes negative indices, as Python does', () => expect(tensor([1, 2, 3]).index(i32([-1, 0])).toArray()).toEqual([3, 1]))
  it('select', () => expectError(() => zeros([2, 3]).select(0, 2), /^select:/, 'index 2', 'size 2', '[2, 3]'))
  it('narrow', () => expectError(() => zeros([2, 3]).narrow(1, 2, 2), /^narrow:/, 'start 2', 'length 2', 'size 3', '[2, 3]'))
  it('index with a non-integer number names index (the error said select)', () => expectError(() => zeros([2, 3]).index(0.5), /^index:/, '0.5', '[2, 3]'))
  it('index with a tensor', () => expectError(() => zeros([2, 3]).index(null, i32([5])), /^index:/, 'index 5', 'size 3', '[2, 3]'))
  it('scatterAdd', () => expectError(() => zeros([2]).scatterAdd(0, i32([2]), zeros([1])), /^scatterAdd:/, 'index 2', 'size 2'))
})

describe('surface errors: shapes and dtypes', () => {
  it('cat with mismatched shapes names the input', () =>
    expectError(() => cat([zeros([2, 3]), zeros([2, 3]), zeros([2, 4])], 0), /^cat:/, 'tensors[2]', '[2, 4]', '[2, 3]', 'dim 0'))
  it('cat/stack of one tensor instead of an array (a raw "forEach is not a function" before)', () => {
    expectError(() => cat(zeros([2]) as any), /^cat:/, 'array', 'one tensor of shape [2]')
    expectError(() => stack(zeros([2]) as any), /^stack:/, 'array', '[2]')
  })
  it('clamp with a bound that is not a number (it was silently ignored)', () => {
    expectError(() => zeros([2]).clamp('0' as any), /^clamp:/, 'min', 'string', '[2]')
    expectError(() => zeros([2]).clamp({ min: 0 } as any), /^clamp:/, 'min', 'object')
    expectError(() => zeros([2]).clamp(null, zeros([2]) as any), /^clamp:/, 'max', 'maximum/minimum')
  })
  it('stack with unequal shapes names the input', () => expectError(() => stack([zeros([2]), zeros([3])]), /^stack:/, 'tensors[1]', '[3]', '[2]'))
  it('a float tensor used as an index', () =>
    expectError(() => zeros([3]).indexSelect(0, tensor([0, 1])), /^indexSelect:/, 'int32', 'float32', '[2]', '.int()'))
  it('a float tensor in gather', () => expectError(() => zeros([2, 2]).gather(0, zeros([1, 2])), /^gather:/, 'float32', '[1, 2]'))
  it('a float tensor in index()', () => expectError(() => zeros([3]).index(tensor([0.5])), /^index:/, 'float32', '[1]'))
  it('a tensor inside an array in index() is named, not printed as JSON', () =>
    expectError(() => zeros([3]).index([tensor([0, 1])] as never), /^index:/, 'float32 tensor of shape [2]', 'pass the tensor itself'))
  it('a non-bool mask in maskedFill', () => expectError(() => zeros([2]).maskedFill(i32([1, 0]), 1), /^maskedFill:/, 'bool', 'int32', '[2]'))
  it('a non-bool condition in where', () => expectError(() => where(zeros([2]), zeros([2]), zeros([2])), /^where:/, 'bool', 'float32', '[2]'))
  it('a mask that does not broadcast to the tensor', () => expectError(() => zeros([2]).maskedFill(tensor([[true], [false], [true]]), 1), /^maskedFill:/, '[3, 1]', '[2]'))
  it('a bool mask of the wrong shape in index()', () => expectError(() => zeros([2, 3]).index(tensor([true, false, true])), /^index:/, '[3]', '[2, 3]'))
  it('split sizes that do not add up', () => expectError(() => zeros([5]).split([2, 2]), /^split:/, '[2, 2]', '5', '[5]'))
  it('unknown option keys', () => expectError(() => zeros([2]).max(0, { keepDim: true } as any), /^max:/, "'keepDim'", 'keepdim'))
  it('pad mode and reflect size', () => {
    expectError(() => F.pad(zeros([1, 2]), [2, 0], { mode: 'reflect' }), /^pad:/, 'reflect', 'size 2', '[1, 2]')
    expectError(() => F.pad(zeros([1, 2]), [1, 0], { mode: 'circular' as any }), /^pad:/, 'circular')
  })
  it('mean, var and std of int32 or bool (PyTorch refuses them)', () => {
    expectError(() => i32([1, 2]).mean(), /^mean:/, 'int32', '[2]', '.float()')
    expectError(() => tensor([true]).mean(0), /^mean:/, 'bool', '[1]')
    expectError(() => i32([1, 2]).var(), /^var:/, 'int32', '[2]')
    expectError(() => i32([1, 2]).std(0), /^std:/, 'int32', '[2]')
  })
  it('a dim that is not a number (a raw TypeError before)', () => {
    expectError(() => zeros([2, 3]).logsumexp('1' as any), /^logsumexp:/, 'string', '[2, 3]')
    expectError(() => zeros([2, 3]).var('1' as any), /^var:/, 'string', '[2, 3]')
    expectError(() => zeros([2, 3]).std({} as any), /^std:/, '[2, 3]')
  })
  it('layerNorm of bool or int32 (PyTorch refuses; wasm read the bool bytes as floats)', () => {
    expectError(() => F.layerNorm(tensor([true, true]), [2]), /^layerNorm:/, 'bool', '[2]', '.float()')
    expectError(() => F.layerNorm(i32([1, 3]), [2]), /^layerNorm:/, 'int32')
  })
  it('a tensor where the options go (PyTorch passes weight positionally) is named, not reported as an unknown key "shape"', () =>
    expectError(() => F.crossEntropy(zeros([2, 3]), i32([0, 1]), zeros([3]) as any), /^crossEntropy:/, 'tensor of shape [3]', '{ weight: t }'))
  it('pad with a number for the pad list (a raw "padding.join is not a function" before)', () =>
    expectError(() => F.pad(zeros([2]), 1 as any), /^pad:/, 'list', '[2]'))
  it('softmax/cumsum options are checked (an unknown key or a string after the dim was ignored)', () => {
    expectError(() => zeros([2]).softmax(0, { dtyp: 'float64' } as any), /^softmax:/, "'dtyp'", 'dtype')
    expectError(() => zeros([2]).cumsum(0, 'x' as any), /^cumsum:/, 'dtype')
  })
  it('var with an unknown option', () => expectError(() => zeros([2]).var(0, { unbiased: false } as any), /^var:/, "'unbiased'", 'correction'))
})

describe('surface errors: in place', () => {
  it('a leaf that requires grad', () => {
    const w = zeros([2], { requiresGrad: true })
    expectError(() => w.zero_(), /^zero_:/, 'requires grad', '[2]', 'noGrad')
  })
  it('a slice copy (narrow, select, index) refuses writes that would be lost', () => {
    const x = zeros([3, 2])
    expectError(() => x.narrow(0, 0, 1).fill_(1), /^fill_:/, 'narrow', 'copy')
    expectError(() => x.select(0, 1).copy_(tensor([1, 2])), /^copy_:/, 'select', 'copy')
    expectError(() => x.slice(0, 1).view(-1).zero_(), /^zero_:/, 'slice', 'copy')
    expectError(() => x.T.add_(1), /^add_:/, 'permute', 'copy')
    expectError(() => x.transpose(0, 1).mul_(2), /^mul_:/, 'transpose', 'copy')
    expectError(() => tensor([1]).expand(3).fill_(2), /^fill_:/, 'expand', 'copy')
    expect(Array.from(x.data)).toEqual([0, 0, 0, 0, 0, 0])
  })
  it('float results into an int32 or bool tensor (PyTorch refuses rather than truncating)', () => {
    expectError(() => i32([1, 2]).div_(2), /^div_:/, 'true division', 'int32', '[2]', '.float()')
    expectError(() => i32([1, 2]).add_(tensor([0.5, 0.5])), /^add_:/, 'float32 operand [2]', 'int32')
    expectError(() => i32([1, 2]).mul_(1.5), /^mul_:/, '1.5', 'int32')
    expectError(() => i32([1, 2]).clamp_(0.5), /^clamp_:/, '0.5', 'int32')
  })
  it('fill_ with a non-scalar, normal_ with std < 0, uniform_ with a > b', () => {
    expectError(() => zeros([2]).fill_(tensor([1, 2])), /^fill_:/, '[2]', '0-d', 'copy_')
    expectError(() => zeros([2]).fill_('1' as any), /^fill_:/, 'string')
    expectError(() => zeros([2]).normal_(0, -1), /^normal_:/, 'std', '-1')
    expectError(() => zeros([2]).uniform_(2, 1), /^uniform_:/, 'a = 2', 'b = 1')
  })
  it('copy_ of a shape that does not broadcast', () => expectError(() => zeros([2, 3]).copy_(zeros([2])), /^copy_:/, '[2]', '[2, 3]'))
})
