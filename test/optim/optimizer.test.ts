import { describe, expect, it } from 'vitest'
import { nn, optim, tensor, Tensor, zeros } from '../../src/index.js'

const leaf = (values: number[]): Tensor => tensor(values, { dtype: 'float64', requiresGrad: true })

describe('optimiser construction errors', () => {
  it('accepts frozen tensors (requiresGrad false) and skips them on step, as PyTorch (issue 11 §2.6)', () => {
    for (const make of [
      (ps: Tensor[]) => new optim.SGD(ps, { lr: 0.1, momentum: 0.9 }),
      (ps: Tensor[]) => new optim.Adam(ps),
      (ps: Tensor[]) => new optim.AdamW(ps),
      (ps: Tensor[]) => new optim.RMSprop(ps, { centered: true, momentum: 0.5 }),
      (ps: Tensor[]) => new optim.Adagrad(ps),
    ]) {
      const live = leaf([1, 2])
      const frozen = new nn.Parameter(tensor([3, 4], { dtype: 'float64' }), false)
      const opt = make([live, frozen, zeros([2, 2])])
      live.grad = tensor([1, 1], { dtype: 'float64' })
      // A gradient left over from before freezing is ignored too.
      frozen.grad = tensor([1, 1], { dtype: 'float64' })
      opt.step()
      expect(Array.from(frozen.data)).toEqual([3, 4])
      expect(Array.from(live.data).every((v, i) => v < [1, 2][i])).toBe(true)
      expect(opt.state.has(frozen)).toBe(false)
    }
  })

  it('refuses a tensor that is not a leaf', () => {
    const computed = leaf([1, 2]).mul(2)
    expect(() => new optim.SGD([computed])).toThrow(
      'SGD: parameter 0 (shape [2]) is not a leaf: it was computed by MulBackward0; optimisers update leaves with requiresGrad: true',
    )
  })

  it('refuses an empty list, a bare tensor, a non-tensor and a repeated tensor', () => {
    expect(() => new optim.SGD([], { lr: 0.1 })).toThrow('SGD: got an empty parameter list; pass the tensors to optimise, e.g. model.parameters()')
    expect(() => new optim.SGD(leaf([1]) as unknown as Tensor[])).toThrow('SGD: params must be a list of tensors (or of param groups), got a single Tensor of shape [1]; wrap it: [t]')
    expect(() => new optim.SGD([leaf([1]), 3 as unknown as Tensor])).toThrow('SGD: parameter 1 is number, not a Tensor')
    const p = leaf([1])
    expect(() => new optim.SGD([p, p])).toThrow('SGD: parameter 1 (shape [1]) appears more than once')
    expect(() => new optim.SGD([{ params: [p] }, { params: [p] }])).toThrow('SGD: parameter 0 of param group 1 (shape [1]) appears more than once')
  })

  it('gives PyTorch\'s errors for bad hyperparameters', () => {
    const p = [leaf([1])]
    expect(() => new optim.SGD(p, { lr: -0.1 })).toThrow('SGD: invalid learning rate: -0.1')
    expect(() => new optim.SGD(p, { lr: 0.1, momentum: -1 })).toThrow('SGD: invalid momentum value: -1')
    expect(() => new optim.SGD(p, { lr: 0.1, weightDecay: -1 })).toThrow('SGD: invalid weight_decay value: -1')
    expect(() => new optim.SGD(p, { lr: 0.1, nesterov: true })).toThrow('SGD: Nesterov momentum requires a momentum and zero dampening (got momentum 0, dampening 0)')
    expect(() => new optim.SGD(p, { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true })).toThrow('Nesterov momentum requires a momentum and zero dampening')
    expect(() => new optim.SGD(p, { lr: Number.NaN })).toThrow('SGD: lr must be a number, got NaN')
    expect(() => new optim.Adam(p, { lr: -1 })).toThrow('Adam: invalid learning rate: -1')
    expect(() => new optim.Adam(p, { betas: [0.9, 1] })).toThrow('Adam: invalid beta parameter at index 1: 1')
    expect(() => new optim.AdamW(p, { betas: [-0.1, 0.9] })).toThrow('AdamW: invalid beta parameter at index 0: -0.1')
    expect(() => new optim.Adam(p, { eps: -1e-8 })).toThrow('Adam: invalid epsilon value: -1e-8')
  })

  it('names an unknown option, pointing snake_case to camelCase', () => {
    expect(() => new optim.SGD([leaf([1])], { lr: 0.1, weight_decay: 0.1 } as object)).toThrow(
      "SGD: unknown option 'weight_decay'; did you mean weightDecay? (yann uses camelCase names)",
    )
    expect(() => new optim.Adam([leaf([1])], { amsgrad: true } as object)).toThrow("Adam: unknown option 'amsgrad'")
  })

  it('names the shapes when a .grad does not match its tensor (at the assignment)', () => {
    const p = leaf([1, 2, 3])
    const opt = new optim.SGD([p], { lr: 0.1 })
    // Refused where it is assigned (the .grad setter), so step() never sees it.
    expect(() => (p.grad = tensor([1, 2], { dtype: 'float64' }))).toThrow('grad: assigned a float64 gradient of shape [2] to a float64 tensor of shape [3]')
    expect(p.grad).toBeNull()
    opt.step()
  })
})

describe('optimiser behaviour', () => {
  it('trains an nn model with model.parameters(), zeroGrad() setting .grad to null', () => {
    const model = new nn.Sequential(new nn.Linear(2, 1, { dtype: 'float64' }))
    const opt = new optim.SGD(model.parameters(), { lr: 0.1 })
    const x = tensor([[1, 2]], { dtype: 'float64' })
    const y = tensor([[1]], { dtype: 'float64' })
    const loss = () => new nn.MSELoss().forward(model.forward(x), y)
    const first = loss().item()
    for (let i = 0; i < 20; i++) {
      opt.zeroGrad()
      loss().backward()
      opt.step()
    }
    expect(loss().item()).toBeLessThan(first * 1e-3)
    opt.zeroGrad()
    expect(model.parameters().every((p) => p.grad === null)).toBe(true)
  })

  it('zeroGrad(false) zeros the gradients in place', () => {
    const p = leaf([1])
    const opt = new optim.SGD([p])
    p.grad = tensor([5], { dtype: 'float64' })
    const g = p.grad
    opt.zeroGrad(false)
    expect(p.grad).toBe(g)
    expect(g.data[0]).toBe(0)
  })

  it('step(closure) evaluates the closure and returns its loss', () => {
    const p = leaf([2])
    const opt = new optim.SGD([p], { lr: 0.25 })
    const loss = opt.step(() => {
      opt.zeroGrad()
      const l = p.mul(p).sum()
      l.backward()
      return l
    })
    expect(loss!.item()).toBe(4)
    expect(p.data[0]).toBe(2 - 0.25 * 4)
  })

  it('param groups carry their own options, and lr can be changed between steps', () => {
    const a = leaf([1])
    const b = leaf([1])
    const opt = new optim.SGD([{ params: [a] }, { params: [b], lr: 0.5 }], { lr: 0.1 })
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.1, 0.5])
    a.grad = tensor([1], { dtype: 'float64' })
    b.grad = tensor([1], { dtype: 'float64' })
    opt.step()
    expect([a.data[0], b.data[0]]).toEqual([0.9, 0.5])
    opt.paramGroups[0].lr = 0.2
    opt.step()
    expect(a.data[0]).toBeCloseTo(0.7, 15)
    expect(() => new optim.SGD([{ params: [leaf([1])], lr: -1 }])).toThrow('SGD: invalid learning rate: -1')
    expect(() => new optim.SGD([{ params: [leaf([1])], momentun: 0.9 } as { params: Tensor[] }])).toThrow("SGD param group 0: unknown option 'momentun'")
  })

  it('stateDict / loadStateDict resume training exactly', () => {
    const make = () => [leaf([1, -1]), leaf([0.5])]
    const grads = [tensor([0.3, -0.2], { dtype: 'float64' }), tensor([0.7], { dtype: 'float64' })]
    for (const build of [
      (ps: Tensor[]) => new optim.SGD(ps, { lr: 0.1, momentum: 0.9 }),
      (ps: Tensor[]) => new optim.Adam(ps, { lr: 0.1 }),
    ]) {
      const pa = make()
      const a = build(pa)
      pa.forEach((p, i) => (p.grad = grads[i]))
      a.step()
      const saved = a.stateDict()
      // b: the same parameter values, fresh optimiser, loaded state
      const pb = pa.map((p) => leaf(Array.from(p.data)))
      const b = build(pb)
      b.loadStateDict(saved)
      pa.forEach((p, i) => (p.grad = grads[i]))
      pb.forEach((p, i) => (p.grad = grads[i]))
      a.step()
      b.step()
      pb.forEach((p, i) => expect(Array.from(p.data)).toEqual(Array.from(pa[i].data)))
      // The loaded state lives in b's own memory (both may be blocks of the one wasm memory).
      const sa = [...a.state.values()][0]
      const sb = [...b.state.values()][0]
      for (const [key, v] of Object.entries(sb as Record<string, unknown>)) {
        if (!(v instanceof Tensor)) continue
        const mine = v.data
        const theirs = ((sa as Record<string, unknown>)[key] as Tensor).data
        expect(mine.buffer === theirs.buffer && mine.byteOffset === theirs.byteOffset).toBe(false)
      }
    }
  })

  it('lays the state dict out as PyTorch does, with camelCase names', () => {
    const ps = [leaf([1, 2]), leaf([3])]
    const opt = new optim.SGD(ps, { lr: 0.1, momentum: 0.9 })
    ps[0].grad = tensor([1, 1], { dtype: 'float64' })
    opt.step()
    const sd = opt.stateDict()
    expect(Object.keys(sd.state)).toEqual(['0'])
    expect(Array.from((sd.state[0].momentumBuffer as Tensor).data)).toEqual([1, 1])
    expect(sd.paramGroups).toEqual([{ lr: 0.1, momentum: 0.9, dampening: 0, nesterov: false, weightDecay: 0, params: [0, 1] }])
    const adam = new optim.Adam([leaf([1])])
    adam.paramGroups[0].params[0].grad = tensor([1], { dtype: 'float64' })
    adam.step()
    expect(Object.keys(adam.stateDict().state[0])).toEqual(['step', 'expAvg', 'expAvgSq'])
    expect(adam.stateDict().state[0].step).toBe(1)
  })

  it('loadStateDict names what does not fit', () => {
    const opt = new optim.SGD([leaf([1, 2])], { lr: 0.1, momentum: 0.9 })
    const other = new optim.SGD([leaf([1, 2, 3])], { lr: 0.1, momentum: 0.9 })
    other.paramGroups[0].params[0].grad = tensor([1, 1, 1], { dtype: 'float64' })
    other.step()
    expect(() => opt.loadStateDict(other.stateDict())).toThrow(
      "SGD.loadStateDict: state 'momentumBuffer' of parameter 0 has shape [3], but the parameter has shape [2]",
    )
    const two = new optim.SGD([{ params: [leaf([1])] }, { params: [leaf([1])] }])
    expect(() => opt.loadStateDict(two.stateDict())).toThrow('SGD.loadStateDict: the state dict has 2 parameter groups, this optimiser has 1')
  })

  it('dispose() drops the state; using the optimiser afterwards is an error', () => {
    const p = leaf([1])
    const opt = new optim.SGD([p], { lr: 0.1, momentum: 0.9 })
    p.grad = tensor([1], { dtype: 'float64' })
    opt.step()
    opt.dispose()
    expect(opt.state.size).toBe(0)
    expect(() => opt.step()).toThrow('SGD.step: this optimiser was disposed; create a new one')
  })

  it('prints its groups like PyTorch\'s repr', () => {
    expect(String(new optim.SGD([leaf([1])], { lr: 0.01 }))).toBe(
      'SGD (\nParameter Group 0\n    dampening: 0\n    lr: 0.01\n    momentum: 0\n    nesterov: false\n    weightDecay: 0\n)',
    )
  })
})
