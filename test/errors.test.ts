import { describe, expect, it } from 'vitest'
import { F, matmul, nn, ones, permute, tensor, zeros } from '../src/index.js'
import { expectError } from './expect-error.js'

/**
 * Bad input throws a clear error naming the op and the shapes (DESIGN.md): never a wrong
 * number. Each test asserts the op's name and every shape involved appear in the message.
 */

const i32 = (data: any) => tensor(data, { dtype: 'int32' })

describe('errors name the op and the shapes', () => {
  it('matmul inner-dimension mismatch', () =>
    expectError(() => zeros([2, 3]).matmul(zeros([4, 2])), /^matmul:/, '[2, 3]', '[4, 2]', '(3)', '(4)'))
  it('matmul matrix · vector mismatch', () => expectError(() => zeros([2, 3]).matmul(zeros([4])), /^matmul:/, '[2, 3]', '[4]'))
  it('matmul batch dims that do not broadcast', () =>
    expectError(() => zeros([2, 2, 3]).matmul(zeros([3, 3, 2])), /^matmul:/, '[2, 2, 3]', '[3, 3, 2]', 'batch'))
  it('matmul of a 0-d tensor', () => expectError(() => zeros([]).matmul(zeros([3])), /^matmul:/, '[]', '[3]', 'mul'))
  it('linear input that does not fit the weight', () => expectError(() => F.linear(zeros([2, 3]), zeros([4, 5])), /^linear:/, '[2, 3]', '[4, 5]'))

  it('broadcast-incompatible shapes (add)', () => expectError(() => zeros([2, 3]).add(zeros([4])), /^add:/, '[2, 3]', '[4]', 'broadcast'))
  it('broadcast-incompatible shapes (mul, 2-D)', () => expectError(() => zeros([2, 3]).mul(zeros([3, 2])), /^mul:/, '[2, 3]', '[3, 2]'))

  it('loss target shape mismatch: binaryCrossEntropy [2] vs [2, 1]', () =>
    expectError(() => F.binaryCrossEntropy(zeros([2, 1]), zeros([2])), /^binaryCrossEntropy:/, 'target shape [2]', 'input shape [2, 1]', 'do not broadcast'))
  it('loss target shape mismatch: mseLoss', () => expectError(() => F.mseLoss(zeros([3]), zeros([3, 1])), /^mseLoss:/, '[3, 1]', '[3]'))
  it('loss target shape mismatch: binaryCrossEntropyWithLogits', () =>
    expectError(() => F.binaryCrossEntropyWithLogits(zeros([2, 1]), zeros([1, 2])), /^binaryCrossEntropyWithLogits:/, '[1, 2]', '[2, 1]'))
  it('crossEntropy index target of the wrong shape', () =>
    expectError(() => F.crossEntropy(zeros([4, 3]), i32([0, 1])), /^crossEntropy:/, '[2]', '[4, 3]', '[4]'))
  it('crossEntropy probability target of the wrong shape', () => expectError(() => F.crossEntropy(zeros([4, 3]), zeros([4, 2])), /^crossEntropy:/, '[4, 2]', '[4, 3]'))
  it('crossEntropy class weight of the wrong size', () =>
    expectError(() => F.crossEntropy(zeros([4, 3]), i32([0, 1, 2, 0]), { weight: zeros([4]) }), /^crossEntropy:/, '[3]', '[4]'))
  it('binaryCrossEntropy weight that does not broadcast', () =>
    expectError(() => F.binaryCrossEntropy(zeros([2, 3]), zeros([2, 3]), { weight: zeros([2]) }), /^binaryCrossEntropy weight:/, '[2]', '[2, 3]'))

  it('binaryCrossEntropy input outside [0, 1]', () =>
    expectError(() => F.binaryCrossEntropy(tensor([0.5, 1.5]), zeros([2])), /^binaryCrossEntropy:/, 'between 0 and 1', 'element 1 is 1.5', '[2]', 'sigmoid'))
  it('binaryCrossEntropy negative input', () => expectError(() => F.binaryCrossEntropy(tensor([[-0.1]]), zeros([1, 1])), /^binaryCrossEntropy:/, '-0.1', '[1, 1]'))

  it('backward() on a non-scalar without a gradient', () =>
    expectError(() => zeros([2, 3], { requiresGrad: true }).mul(2).backward(), /^backward:/, 'scalar', '[2, 3]'))
  it('backward() on a tensor that does not require grad', () => expectError(() => zeros([2]).sum().backward(), /^backward:/, 'requiresGrad'))

  it('item() on a tensor with more than one element', () => expectError(() => zeros([2, 2]).item(), /^item:/, '[2, 2]', '4 elements'))
  it('item() on an empty tensor', () => expectError(() => zeros([0]).item(), /^item:/, '[0]', '0 elements'))

  it('unknown dtype', () => {
    expectError(() => tensor([1], { dtype: 'int64' as any }), /^tensor:/, 'unknown dtype "int64"', "'float32', 'float64', 'int32' or 'bool'")
    expectError(() => zeros([2], { dtype: 'float16' as any }), /^zeros:/, 'unknown dtype "float16"')
    expectError(() => zeros([2]).to('bfloat16' as any), /^to:/, 'unknown dtype "bfloat16"')
  })

  it('ragged nested arrays', () => {
    expectError(() => tensor([[1, 2], [3]]), /^tensor:/, 'ragged', 'length 2', 'index [1]', 'length 1')
    expectError(() => tensor([[1, 2], 3] as any), /^tensor:/, 'ragged', 'index [1]')
    expectError(() => tensor([1, [2]] as any), /^tensor:/, 'ragged', 'index [1]')
    expectError(() => tensor([[[1], [2]], [[3], [4, 5]]]), /^tensor:/, 'ragged', 'index [1][1]')
  })
  it('non-numbers in nested arrays', () => expectError(() => tensor([1, 'a'] as any), /^tensor:/, 'string', 'index [1]'))
  it('a result past 4 GiB from an outer product or a broadcast is refused before the engine is asked for 10 GB', () => {
    expectError(() => matmul(ones([50000, 1]), ones([1, 50000])), /^a result of shape \[50000, 50000\]/, '(10000000000 bytes as float32)', 'more than one tensor holds (4294967296 bytes')
    expectError(() => ones([50000, 1]).add(ones([1, 50000])), /^a result of shape \[50000, 50000\]/, 'too large a result')
  })
  it('nested arrays deeper than PyTorch allows (128), rather than a stack overflow', () => {
    let deep: any = [1]
    for (let i = 0; i < 20_000; i++) deep = [deep]
    expectError(() => tensor(deep), /^tensor:/, 'deeper than 128', 'at most 128 dimensions')
    let ok: any = [7]
    for (let i = 0; i < 127; i++) ok = [ok]
    expect(tensor(ok).shape.length).toBe(128)
  })

  it('mixing dtypes where PyTorch refuses: matmul float32 · float64', () =>
    expectError(() => zeros([2, 3]).matmul(zeros([3, 2], { dtype: 'float64' })), /^matmul:/, 'float32 [2, 3]', 'float64 [3, 2]', 'same dtype'))
  it('mixing dtypes: linear', () =>
    expectError(() => F.linear(zeros([2, 3]), zeros([4, 3], { dtype: 'float64' })), /^linear:/, 'float32 [2, 3]', 'float64 [4, 3]'))
  it('mixing dtypes: binaryCrossEntropy', () =>
    expectError(() => F.binaryCrossEntropy(zeros([2]), zeros([2], { dtype: 'float64' })), /^binaryCrossEntropy:/, 'float32 [2]', 'float64 [2]'))
  it('mixing dtypes: mseLoss', () => expectError(() => F.mseLoss(zeros([2], { dtype: 'float64' }), zeros([2])), /^mseLoss:/, 'float64 [2]', 'float32 [2]'))
  it('mixing dtypes: binaryCrossEntropyWithLogits', () =>
    expectError(() => F.binaryCrossEntropyWithLogits(zeros([2]), zeros([2], { dtype: 'float64' })), /^binaryCrossEntropyWithLogits:/, 'float32 [2]', 'float64 [2]'))
  it('mixing dtypes: crossEntropy probabilities', () =>
    expectError(() => F.crossEntropy(zeros([2, 3]), zeros([2, 3], { dtype: 'float64' })), /^crossEntropy:/, 'float32 [2, 3]', 'float64 [2, 3]'))
  it('mixing dtypes: crossEntropy class weight', () =>
    expectError(() => F.crossEntropy(zeros([2, 3]), i32([0, 1]), { weight: zeros([3], { dtype: 'float64' }) }), /^crossEntropy:/, 'float32 [2, 3]', 'float64 [3]'))

  it('int32 into conv (the wasm kernel read int bits as floats: ts gave 1, wasm 0) and linear; PyTorch refuses both', () => {
    expectError(() => F.conv1d(i32([[[1]]]), i32([[[1]]])), /^conv1d:/, 'int32', '[1, 1, 1]', '.float()')
    expectError(() => F.conv2d(i32([[[[1]]]]), zeros([1, 1, 1, 1])), /^conv2d:/, 'int32', '[1, 1, 1, 1]')
    expectError(() => F.linear(zeros([1, 2]), i32([[1, 2]])), /^linear:/, 'weight', 'int32', '[1, 2]')
  })
  it('a missing tensor argument (a raw "Cannot read properties of undefined" before)', () => {
    expectError(() => (F.conv2d as any)(zeros([1, 1, 2, 2])), /^conv2d:/, 'weight', 'undefined')
    expectError(() => (F.linear as any)(zeros([1, 2])), /^linear:/, 'weight', 'undefined')
    expectError(() => new nn.Linear(2, 2).forward(undefined as any), /^linear:/, 'input', 'undefined')
    expectError(() => (new nn.MultiheadAttention(4, 2) as any).forward(zeros([3, 2, 4])), /^MultiheadAttention:/, 'forward(x, x, x)', 'key')
  })

  it('crossEntropy class index out of range', () => {
    expectError(() => F.crossEntropy(zeros([2, 3]), i32([0, 3])), /^crossEntropy:/, 'class 3', 'position 1', '3 classes', '0 to 2', '[2, 3]', '[2]')
    expectError(() => F.crossEntropy(zeros([2, 3]), i32([-1, 0])), /^crossEntropy:/, 'class -1', '[2, 3]')
  })

  it('reshape to an incompatible size', () => {
    expectError(() => zeros([2, 3]).reshape(4, 2), /^reshape:/, '[4, 2]', '[2, 3]', '6 elements')
    expectError(() => zeros([2, 3]).reshape(4, -1), /^reshape:/, '[4, -1]', '[2, 3]')
    expectError(() => zeros([2, 3]).reshape(-1, -1), /^reshape:/, '[-1, -1]')
  })

  it('dim out of range', () => {
    expectError(() => zeros([2, 3]).sum(2), /^sum:/, 'dim 2', '[2, 3]', '-2 to 1')
    expectError(() => zeros([2, 3]).mean(-3), /^mean:/, 'dim -3', '[2, 3]')
    expectError(() => zeros([2, 3]).softmax(2), /^softmax:/, 'dim 2', '[2, 3]')
    expectError(() => zeros([2, 3]).logSoftmax(5), /^logSoftmax:/, 'dim 5', '[2, 3]')
    expectError(() => zeros([2, 3]).transpose(0, 2), /^transpose:/, 'dim 2', '[2, 3]')
    expectError(() => zeros([2, 3]).unsqueeze(3), /^unsqueeze:/, 'dim 3', '[2, 3]', '-3 to 2')
    expectError(() => zeros([2, 3]).squeeze(2), /^squeeze:/, 'dim 2', '[2, 3]')
    expectError(() => permute(zeros([2, 3]), [0, 2]), /^permute:/, 'dim 2', '[2, 3]')
    expectError(() => permute(zeros([2, 3]), [0, 0]), /^permute:/, '[0, 0]', '[2, 3]')
  })

  it('a non-integer dim', () => expectError(() => zeros([2, 3]).sum(0.5), /^sum:/, 'dim 0.5'))
  it('softmax without a dim', () => expectError(() => (zeros([2]) as any).softmax(), /^softmax:/, 'dim is required'))
  it('bad shapes for creation', () => expectError(() => zeros([2, -1]), /^zeros:/, '[2, -1]'))

  // Found by test/errors-fuzz.test.ts: these named another op (sum) or were silently accepted.
  it('any/all with a bad dim name any/all, not the sum they run', () => {
    expectError(() => zeros([2, 3]).any(2), /^any:/, 'dim 2', '[2, 3]')
    expectError(() => zeros([2, 3]).all([0, 0]), /^all:/, '[0, 0]', 'more than once')
  })
  it('an option of the wrong type (a string read as true, or as NaN)', () => {
    expectError(() => zeros([2, 3]).amax(0, { keepdim: 'no' } as never), /^amax:/, 'keepdim must be a boolean', '"no"')
    expectError(() => F.layerNorm(zeros([2, 3]), [3], null, null, { eps: '1e-5' } as never), /^layerNorm:/, 'eps must be a number', '"1e-5"')
    expectError(() => F.dropout(zeros([2]), { training: 'false' } as never), /^dropout:/, 'training must be a boolean')
    expectError(() => new nn.Conv2d(1, 1, 3, { stride: 1.5 }), /^Conv2d:/, 'stride must be an integer', '1.5')
    expectError(() => F.crossEntropy(zeros([2, 3]), i32([0, 1]), { ignoreIndex: 0.5 }), /^crossEntropy:/, 'ignoreIndex must be an integer')
  })
  it('minimum, in-place arithmetic and view name themselves, not the op they run (maximum, add, reshape)', () => {
    expectError(() => zeros([2, 3]).minimum(zeros([4])), /^minimum:/, '[2, 3]', '[4]', 'broadcast')
    expectError(() => zeros([2, 3]).add_(zeros([4])), /^add_:/, '[2, 3]', '[4]')
    expectError(() => zeros([2, 3]).mul_(zeros([3, 3])), /^mul_:/, '[3, 3]', '[2, 3]')
    expectError(() => zeros([2, 3]).view([4, 2]), /^view:/, '[4, 2]', '6 elements')
  })
  it("BatchNorm1d names itself for the wrong channel count, and a refused input leaves numBatchesTracked as it was", () => {
    const bn = new nn.BatchNorm1d(3)
    expectError(() => bn.forward(zeros([2, 4])), /^BatchNorm1d:/, '3 channels', '[2, 4]')
    expectError(() => bn.forward(zeros([1, 3])), /^batchNorm:/, 'more than 1 value per channel')
    expect(bn.numBatchesTracked!.item()).toBe(0) // was 2: counted before the call checked the input
  })
  it('expand, repeat and pad past what one tensor holds: an error naming the op, before allocating', () => {
    expectError(() => zeros([1, 1]).expand([100000, 100000]), /^expand:/, '[100000, 100000]', '4 GiB') // was "Invalid typed array length"
    expectError(() => zeros([2]).repeat([1e9]), /^repeat:/, '[2000000000]', '4 GiB') // was 8 GB allocated, a wasm trap copying it
    expectError(() => F.pad(zeros([1]), [1e9, 1e9]), /^pad:/, '[2000000001]', '4 GiB')
  })
  it("index: a slice string with step 0 names index, not slice", () => expectError(() => zeros([4]).index('::0'), /^index:/, '"::0"', 'step 0'))
  it('batchNorm and groupNorm of int32: PyTorch refuses them; int32 running statistics were truncated in place', () => {
    const mean = i32([0, 0])
    expectError(() => F.batchNorm(zeros([4, 2]), mean, zeros([2]), null, null, { training: true }), /^batchNorm:/, 'runningMean', 'int32 [2]', 'same dtype')
    expectError(() => F.batchNorm(i32([[1, 2], [3, 4]]), null, null), /^batchNorm:/, 'int32', '[2, 2]', '.float()')
    expectError(() => F.groupNorm(i32([[1, 2], [3, 4]]), 1), /^groupNorm:/, 'int32', '.float()')
    expectError(() => F.groupNorm(zeros([2, 2]).gt(0), 1), /^groupNorm:/, 'bool')
  })
})
