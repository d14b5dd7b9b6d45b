import { describe, expect, it } from 'vitest'
import { nn, optim, tensor, Tensor, zeros } from '../../src/index.js'

describe('ModuleList and ModuleDict', () => {
  class Net extends nn.Module {
    readonly layers = this.registerModule('layers', new nn.ModuleList([new nn.Linear(4, 3), new nn.Linear(3, 2)]))
    readonly heads = this.registerModule('heads', new nn.ModuleDict({ a: new nn.Linear(2, 1), b: new nn.Identity() }))
    forward(x: Tensor): Tensor {
      for (const layer of this.layers) x = layer.forward(x)
      return this.heads.get('a').forward(x)
    }
  }
  it('register their modules under PyTorch names, so parameters and state dicts see them', () => {
    const net = new Net()
    expect(Object.keys(net.stateDict())).toEqual(['layers.0.weight', 'layers.0.bias', 'layers.1.weight', 'layers.1.bias', 'heads.a.weight', 'heads.a.bias'])
    expect(net.forward(zeros([5, 4])).shape).toEqual([5, 1])
    expect(net.parameters().length).toBe(6)
  })
  it('ModuleList: append, extend, insert renames the later ones, at with negative index, set', () => {
    const a = new nn.ReLU()
    const b = new nn.Tanh()
    const c = new nn.Sigmoid()
    const list = new nn.ModuleList([a]).append(b)
    list.insert(1, c)
    expect([...list]).toEqual([a, c, b])
    expect(list.namedChildren().map(([n]) => n)).toEqual(['0', '1', '2'])
    expect(list.at(-1)).toBe(b)
    list.extend([new nn.Identity()])
    expect(list.length).toBe(4)
    list.set(0, b)
    expect(list.at(0)).toBe(b)
    expect(() => list.at(4)).toThrow(/ModuleList.at: index 4 is out of range for a ModuleList of 4 modules/)
    expect(() => list.append(nn.ReLU as never)).toThrow(/did you pass the class instead of an instance/)
    expect(() => (list as any).forward()).toThrow(/ModuleList has no forward/)
  })
  it('ModuleDict: keys in insertion order, pop, has, unknown key named', () => {
    const d = new nn.ModuleDict([['x', new nn.ReLU()], ['y', new nn.Tanh()]])
    expect(d.keys()).toEqual(['x', 'y'])
    expect(d.pop('x')).toBeInstanceOf(nn.ReLU)
    expect(d.has('x')).toBe(false)
    expect(d.size).toBe(1)
    expect(() => d.get('z')).toThrow("ModuleDict: no module under 'z'; the keys are y")
  })
})

describe('Identity, Flatten, Unflatten', () => {
  const x = tensor(Array.from({ length: 24 }, (_, i) => i)).reshape([2, 3, 4])
  it('Identity returns its input', () => expect(new nn.Identity().forward(x)).toBe(x))
  it('Flatten keeps the batch dim by default; start/end dims positional or in options', () => {
    expect(new nn.Flatten().forward(x).shape).toEqual([2, 12])
    expect(new nn.Flatten(0).forward(x).shape).toEqual([24])
    expect(new nn.Flatten(0, 1).forward(x).shape).toEqual([6, 4])
    expect(new nn.Flatten({ startDim: -2 }).forward(x.reshape([1, 2, 3, 4])).shape).toEqual([1, 2, 12])
    expect(Array.from(new nn.Flatten().forward(x).data)).toEqual(Array.from(x.data))
    expect(String(new nn.Flatten())).toBe('Flatten(start_dim=1, end_dim=-1)')
    expect(() => new nn.Flatten({ start_dim: 0 } as never)).toThrow(/did you mean startDim/)
  })
  it('Unflatten splits one dim, with a -1 size, and gradients flow through both', () => {
    const flat = tensor(Array.from({ length: 24 }, (_, i) => i), { requiresGrad: true }).reshape([2, 12])
    const y = new nn.Unflatten(1, [3, -1]).forward(flat)
    expect(y.shape).toEqual([2, 3, 4])
    new nn.Flatten().forward(y).mul(2).sum().backward()
    expect(() => new nn.Unflatten(1, [5, 2]).forward(flat)).toThrow(/sizes \[5,2\] do not multiply to 12, the size of dim 1 of input \[2, 12\]/)
  })
})

describe('nn.utils', () => {
  const param = (values: number[], grad: number[]) => {
    const p = new nn.Parameter(tensor(values, { dtype: 'float64' }))
    p.grad = tensor(grad, { dtype: 'float64' })
    return p
  }
  it('clipGradNorm returns the total 2-norm before clipping and scales by maxNorm / (norm + 1e-6)', () => {
    const a = param([0, 0], [3, 0])
    const b = param([0], [4])
    const noGrad = new nn.Parameter(tensor([1], { dtype: 'float64' }))
    expect(nn.utils.clipGradNorm([a, b, noGrad], 1)).toBe(5)
    const c = 1 / (5 + 1e-6)
    expect(Array.from(a.grad!.data)).toEqual([3 * c, 0])
    expect(Array.from(b.grad!.data)).toEqual([4 * c])
    // Under the limit: unchanged.
    expect(nn.utils.clipGradNorm([a, b], 10)).toBeCloseTo(5 * c, 14)
    expect(b.grad!.data[0]).toBe(4 * c)
  })
  it('clipGradNorm with normType Infinity and 1', () => {
    const a = param([0, 0, 0], [-3, 2, 1])
    expect(nn.utils.clipGradNorm(a, 1.5, { normType: Infinity })).toBe(3)
    expect(Array.from(a.grad!.data)).toEqual([-3, 2, 1].map((g) => g * (1.5 / (3 + 1e-6))))
    const b = param([0, 0], [-3, 1])
    expect(nn.utils.clipGradNorm(b, 100, { normType: 1 })).toBe(4)
    expect(() => nn.utils.clipGradNorm(b, 1, { norm_type: 2 } as never)).toThrow(/did you mean normType/)
    const nan = param([0], [NaN])
    expect(() => nn.utils.clipGradNorm(nan, 1, { errorIfNonfinite: true })).toThrow(/total norm of order 2 of the gradients is NaN/)
  })
  it('clipGradValue clamps every gradient element', () => {
    const a = param([0, 0, 0], [-3, 0.5, 2])
    nn.utils.clipGradValue([a], 1)
    expect(Array.from(a.grad!.data)).toEqual([-1, 0.5, 1])
  })
  it('parametersToVector and vectorToParameters round-trip a model', () => {
    const m = new nn.Linear(3, 2)
    const v = nn.utils.parametersToVector(m.parameters())
    expect(v.shape).toEqual([8])
    expect(Array.from(v.data.subarray(0, 6))).toEqual(Array.from(m.weight.data))
    const doubled = v.mul(2)
    nn.utils.vectorToParameters(doubled, m.parameters())
    expect(Array.from(m.bias!.data)).toEqual(Array.from(doubled.data.subarray(6)))
    expect(() => nn.utils.vectorToParameters(tensor([1, 2]), m.parameters())).toThrow(/vec has 2 elements, the parameters have 8 in total/)
  })
  it('parametersToVector is recorded by autograd, as torch.cat of the flattened parameters', () => {
    const m = new nn.Linear(2, 1)
    m.weight.data.set([1, -2])
    m.bias!.data.set([3])
    // d/dp Σ v² = 2p for every parameter.
    nn.utils.parametersToVector(m.parameters()).square().sum().backward()
    expect(Array.from(m.weight.grad!.data)).toEqual([2, -4])
    expect(Array.from(m.bias!.grad!.data)).toEqual([6])
  })
  it('a frozen backbone: its parameters stay, the head trains', () => {
    const backbone = new nn.Linear(2, 2)
    const head = new nn.Linear(2, 1)
    const model = new nn.Sequential(backbone, new nn.Tanh(), head)
    for (const p of backbone.parameters()) p.requiresGrad = false
    const before = Array.from(backbone.weight.data)
    const headBefore = Array.from(head.weight.data)
    const opt = new optim.SGD(model.parameters(), { lr: 0.1 })
    model.forward(tensor([[1, 2]])).sum().backward()
    opt.step()
    expect(Array.from(backbone.weight.data)).toEqual(before)
    expect(backbone.weight.grad).toBeNull()
    expect(Array.from(head.weight.data)).not.toEqual(headBefore)
  })
})
