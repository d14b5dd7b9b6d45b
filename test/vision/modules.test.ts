import { describe, expect, it } from 'vitest'
import { F, manualSeed, nn, ones, optim, randn, tensor, zeros } from '../../src/index.js'
import { Generator } from '../../src/random.js'

describe('vision ops: bad input is a clear error naming the op and the shapes', () => {
  const x = zeros([2, 3, 5, 5])
  it('channel mismatch between input and weight', () => {
    expect(() => F.conv2d(x, zeros([4, 2, 3, 3]))).toThrow('conv2d: input [2, 3, 5, 5] has 3 channels but weight [4, 2, 3, 3] expects 2')
  })
  it('kernel larger than the padded input', () => {
    expect(() => F.conv2d(x, zeros([4, 3, 7, 7]))).toThrow(/conv2d: the kernel \[7, 7\].* is larger than the padded input \[5, 5\]/)
    expect(() => F.maxPool2d(zeros([1, 1, 2, 2]), 3)).toThrow(/maxPool2d: the kernel 3 is larger than the padded input \[2, 2\]/)
  })
  it('groups not dividing the channels', () => {
    expect(() => F.conv2d(x, zeros([4, 1, 3, 3]), null, { groups: 2 })).toThrow('conv2d: groups = 2 must divide both the input channels (3, input [2, 3, 5, 5])')
    expect(() => new nn.Conv2d(3, 4, 3, { groups: 2 })).toThrow('Conv2d: groups = 2 must divide both inChannels (3) and outChannels (4)')
    expect(() => F.groupNorm(x, 2)).toThrow('groupNorm: numGroups = 2 must divide the 3 channels of input [2, 3, 5, 5]')
  })
  it('a 2-d input to conv2d, a bad bias, an unknown option', () => {
    // A 3-d input is PyTorch's unbatched [C, H, W] (see below); 2 dims are neither.
    expect(() => F.conv2d(zeros([5, 5]), zeros([4, 3, 3, 3]))).toThrow('conv2d: expected an input of 4 dims ([N, C, H, W]), got shape [5, 5]')
    expect(() => F.conv2d(x, zeros([4, 3, 3, 3]), zeros([3]))).toThrow('conv2d: bias must have shape [4] (one per output channel), got [3]')
    expect(() => F.conv2d(x, zeros([4, 3, 3, 3]), null, { padding_mode: 'zeros' } as never)).toThrow("conv2d: unknown option 'padding_mode'")
    expect(() => F.layerNorm(x, [4, 5])).toThrow('layerNorm: input [2, 3, 5, 5] does not end with normalizedShape [4, 5]')
  })
})

describe('unbatched conv input', () => {
  it('conv1d [C, L], conv2d [C, H, W] and convTranspose2d [C, H, W] run as a batch of one, as in PyTorch (they were refused)', () => {
    const x = randn([3, 5, 5])
    const w = randn([4, 3, 3, 3])
    expect(F.conv2d(x, w, null, { padding: 1 }).toArray()).toEqual(F.conv2d(x.unsqueeze(0), w, null, { padding: 1 }).squeeze(0).toArray())
    expect(F.conv2d(x, w).shape).toEqual([4, 3, 3])
    expect(F.conv1d(randn([3, 6]), randn([2, 3, 2])).shape).toEqual([2, 5])
    expect(F.convTranspose2d(randn([3, 2, 2]), randn([3, 2, 2, 2]), null, { stride: 2 }).shape).toEqual([2, 4, 4])
    // and the gradient reaches the unbatched input: Σ conv(x, ones) has d/dx = the count of windows over each pixel
    const xi = ones([1, 1, 3], { requiresGrad: true })
    F.conv1d(xi.squeeze(0), ones([1, 1, 2])).sum().backward()
    expect(xi.grad!.toArray()).toEqual([[[1, 2, 1]]])
  })
})

describe('vision modules', () => {
  it('Conv2d: PyTorch keys, shapes and init bound 1/√fanIn', () => {
    manualSeed(0)
    const conv = new nn.Conv2d(2, 4, 3, { padding: 1 })
    expect(Object.keys(conv.stateDict())).toEqual(['weight', 'bias'])
    expect(conv.weight.shape).toEqual([4, 2, 3, 3])
    const bound = 1 / Math.sqrt(18)
    expect(Math.max(...Array.from(conv.weight.data, Math.abs))).toBeLessThanOrEqual(bound)
    expect(conv.forward(randn([1, 2, 6, 6])).shape).toEqual([1, 4, 6, 6])
    expect(String(conv)).toBe('Conv2d(2, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))')
    expect(new nn.ConvTranspose2d(4, 2, 2, { stride: 2 }).forward(randn([1, 4, 3, 3])).shape).toEqual([1, 2, 6, 6])
    expect(new nn.Conv1d(2, 3, 3).forward(randn([2, 2, 7])).shape).toEqual([2, 3, 5])
  })

  it('BatchNorm2d: buffers in the state dict, running statistics in training, used in eval', () => {
    const bn = new nn.BatchNorm2d(2, { momentum: 0.5 })
    expect(Object.keys(bn.stateDict())).toEqual(['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked'])
    expect(bn.namedBuffers().map(([k]) => k)).toEqual(['running_mean', 'running_var', 'num_batches_tracked'])
    // channel 0 holds 1, 3 (mean 2, unbiased var 2); channel 1 holds 0, 0
    const x = tensor([[[[1]], [[0]]], [[[3]], [[0]]]])
    const y = bn.forward(x)
    expect(Array.from(y.data)).toEqual([expect.closeTo(-1, 4), 0, expect.closeTo(1, 4), 0])
    expect(Array.from(bn.runningMean!.data)).toEqual([1, 0])
    expect(Array.from(bn.runningVar!.data)).toEqual([1.5, 0.5])
    expect(bn.numBatchesTracked!.dtype).toBe('int32')
    expect(bn.numBatchesTracked!.item()).toBe(1)
    bn.eval()
    const e = bn.forward(tensor([[[[1]], [[0]]]]))
    expect(e.data[0]).toBeCloseTo(0 / Math.sqrt(1.5 + 1e-5), 6)
    expect(bn.numBatchesTracked!.item()).toBe(1)
    const copy = new nn.BatchNorm2d(2)
    copy.loadStateDict(bn.stateDict())
    expect(Array.from(copy.runningVar!.data)).toEqual([1.5, 0.5])
    expect(copy.numBatchesTracked!.item()).toBe(1)
  })

  it('Module.to(dtype), .double(), .float(): parameters and float buffers converted, int buffers kept', () => {
    const model = new nn.Sequential(new nn.Conv2d(1, 2, 3), new nn.BatchNorm2d(2), new nn.ReLU())
    const w = Array.from(model.parameters()[0].data)
    model.double()
    expect(model.parameters().map((p) => p.dtype)).toEqual(['float64', 'float64', 'float64', 'float64'])
    expect(model.buffers().map((b) => b.dtype)).toEqual(['float64', 'float64', 'int32'])
    expect(model.parameters()[0]).toBeInstanceOf(nn.Parameter)
    expect(Array.from(model.parameters()[0].data)).toEqual(w.map((v) => Math.fround(v)))
    expect(model.forward(randn([2, 1, 4, 4], { dtype: 'float64' })).dtype).toBe('float64')
    model.float()
    expect(model.forward(randn([2, 1, 4, 4])).dtype).toBe('float32')
  })

  it('Module.to(dtype) releases the parameters it replaced: an optimiser made before fails naming them instead of training nothing', () => {
    const model = new nn.Linear(3, 2)
    const before = model.weight
    const opt = new optim.SGD(model.parameters(), { lr: 0.1 })
    model.double()
    model.forward(randn([4, 3], { dtype: 'float64' })).sum().backward()
    expect(() => opt.step()).toThrow('SGD.step: parameter 0 of param group 0 [2, 3] was disposed (module.dispose()) or replaced (module.to(dtype))')
    expect(() => before.data).toThrow("Parameter weight [2, 3] was replaced by its float64 copy in module.to('float64') (make optimisers after converting)")
    const after = new optim.SGD(model.parameters(), { lr: 0.1 })
    const w = Array.from(model.weight.data)
    after.step()
    expect(Array.from(model.weight.data)).not.toEqual(w)
  })

  it('LayerNorm and GroupNorm normalise; PyTorch keys', () => {
    const ln = new nn.LayerNorm(4)
    expect(Object.keys(ln.stateDict())).toEqual(['weight', 'bias'])
    const y = ln.forward(tensor([[1, 2, 3, 4], [2, 2, 2, 6]]))
    expect(y.mean(1).toArray()).toEqual([expect.closeTo(0, 5), expect.closeTo(0, 5)])
    expect(y.pow(2).mean(1).toArray()).toEqual([expect.closeTo(1, 3), expect.closeTo(1, 3)])
    expect(new nn.GroupNorm(2, 4).forward(randn([2, 4, 3])).shape).toEqual([2, 4, 3])
  })

  it('Dropout: scaled mask in training (seeded), identity in eval; Dropout(0.1) and { p }', () => {
    const d = new nn.Dropout({ p: 0.5, generator: new Generator(1) })
    const y = d.forward(ones([1000]))
    const kept = Array.from(y.data).filter((v) => v !== 0)
    expect(kept.every((v) => v === 2)).toBe(true)
    expect(kept.length).toBeGreaterThan(430)
    expect(kept.length).toBeLessThan(570)
    expect(Array.from(new nn.Dropout({ p: 0.5, generator: new Generator(1) }).forward(ones([1000])).data)).toEqual(Array.from(y.data))
    d.eval()
    expect(Array.from(d.forward(ones([5])).data)).toEqual([1, 1, 1, 1, 1])
    expect(new nn.Dropout(0.1).p).toBe(0.1)
    const c = new nn.Dropout2d(0.5).forward(ones([4, 8, 2, 2]))
    for (let k = 0; k < 32; k++) expect(new Set(Array.from(c.data.subarray(4 * k, 4 * k + 4))).size).toBe(1)
  })

  it('maxPool2d returnIndices gives int32 positions within each plane', () => {
    const { values, indices } = F.maxPool2d(tensor([[[[1, 5], [7, 2]]]]), 2, { returnIndices: true })
    expect(values.item()).toBe(7)
    expect(indices.dtype).toBe('int32')
    expect(indices.item()).toBe(2)
  })
})
