import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { loadSafetensors, nn, tensor, zeros, type Tensor } from '../../src/index.js'

/** The seed's model (section 4), registered the yann way. */
class SimplisticNN extends nn.Module {
  readonly hidden1 = this.registerModule('hidden1', new nn.Linear(3, 3))
  readonly activation1 = this.registerModule('activation1', new nn.ReLU())
  readonly hidden2 = this.registerModule('hidden2', new nn.Linear(3, 2))
  readonly activation2 = this.registerModule('activation2', new nn.Sigmoid())
  readonly loss = this.registerModule('loss', new nn.BCELoss({ reduction: 'mean' }))

  forward(x: Tensor): Tensor {
    return this.activation2.forward(this.hidden2.forward(this.activation1.forward(this.hidden1.forward(x))))
  }
}

/** PyTorch's fixture architecture: Sequential(Linear(5,8), ReLU(), Linear(8,4), Tanh(), Linear(4,2,bias=False), Sigmoid()). */
function torchMlp(dtype: 'float32' | 'float64' = 'float32'): nn.Sequential {
  return new nn.Sequential(
    new nn.Linear(5, 8, { dtype }),
    new nn.ReLU(),
    new nn.Linear(8, 4, { dtype }),
    new nn.Tanh(),
    new nn.Linear(4, 2, { bias: false, dtype }),
    new nn.Sigmoid(),
  )
}

const keysOf = (pairs: [string, unknown][]): string[] => pairs.map(([k]) => k)

describe('Module names (PyTorch state-dict keys)', () => {
  it('names Sequential children by position and skips absent biases', () => {
    const m = torchMlp()
    expect(keysOf(m.namedParameters())).toEqual(['0.weight', '0.bias', '2.weight', '2.bias', '4.weight'])
    expect(Object.keys(m.stateDict())).toEqual(['0.weight', '0.bias', '2.weight', '2.bias', '4.weight'])
    expect(keysOf(m.namedChildren())).toEqual(['0', '1', '2', '3', '4', '5'])
    expect(m.parameters().map((p) => p.shape)).toEqual([[8, 5], [8], [4, 8], [4], [2, 4]])
  })

  it('names registered children by their names, nested with dots', () => {
    const m = new SimplisticNN()
    expect(keysOf(m.namedParameters())).toEqual(['hidden1.weight', 'hidden1.bias', 'hidden2.weight', 'hidden2.bias'])
    expect(keysOf(m.namedChildren())).toEqual(['hidden1', 'activation1', 'hidden2', 'activation2', 'loss'])
    expect(m.children()[0]).toBe(m.hidden1)
    expect(keysOf(m.namedModules())).toEqual(['', 'hidden1', 'activation1', 'hidden2', 'activation2', 'loss'])

    const outer = new nn.Sequential(new nn.Sequential(new nn.Linear(2, 2)), new nn.Tanh())
    expect(keysOf(outer.namedParameters())).toEqual(['0.0.weight', '0.0.bias'])
    expect(keysOf(outer.namedParameters('', false))).toEqual([])
    expect(keysOf(outer.namedModules())).toEqual(['', '0', '0.0', '1'])
    expect(outer.getSubmodule('0.0')).toBeInstanceOf(nn.Linear)
    expect(outer.getParameter('0.0.bias').shape).toEqual([2])
    expect(() => outer.getSubmodule('0.3')).toThrow('getSubmodule: Sequential has no submodule "3" (looking up "0.3")')
  })

  it('lists a shared parameter once, and under each name in the state dict (as PyTorch)', () => {
    const shared = new nn.Linear(2, 2)
    const m = new nn.Sequential(shared, new nn.ReLU(), shared)
    expect(keysOf(m.namedParameters())).toEqual(['0.weight', '0.bias'])
    expect(Object.keys(m.stateDict())).toEqual(['0.weight', '0.bias', '2.weight', '2.bias'])
  })

  it('registers buffers: in the state dict, not among the parameters', () => {
    const loss = new nn.BCELoss({ weight: tensor([1, 2]) })
    expect(loss.parameters()).toEqual([])
    expect(keysOf(loss.namedBuffers())).toEqual(['weight'])
    expect(Object.keys(loss.stateDict())).toEqual(['weight'])
    // A loss without weight has no buffer, as PyTorch's None buffer.
    expect(Object.keys(new nn.BCELoss().stateDict())).toEqual([])
  })

  it('checks what is registered', () => {
    const m = new nn.Sequential()
    expect(() => m.registerParameter('w', zeros([2]) as nn.Parameter)).toThrow(
      "registerParameter: cannot register a plain Tensor of shape [2] as parameter 'w': an nn.Parameter or null is required; wrap it: new nn.Parameter(t)",
    )
    expect(() => m.registerParameter('a.b', new nn.Parameter(zeros([2])))).toThrow('cannot contain "."')
    expect(() => m.registerParameter('', new nn.Parameter(zeros([2])))).toThrow('cannot be empty')
    m.registerModule('head', new nn.ReLU())
    expect(() => m.registerParameter('head', new nn.Parameter(zeros([2])))).toThrow('"head" is already registered as a module of this Sequential')
    expect(() => m.registerModule('x', zeros([1]) as unknown as nn.Module)).toThrow('an nn.Module or null is required')
  })
})

describe('Parameter', () => {
  it('is a leaf that requires grad, holding a copy of the values', () => {
    const t = tensor([1, 2, 3])
    const p = new nn.Parameter(t)
    expect(p.requiresGrad).toBe(true)
    expect(p.isLeaf).toBe(true)
    expect(p.gradFn).toBeNull()
    t.data[0] = 9
    expect(Array.from(p.data)).toEqual([1, 2, 3])
    expect(new nn.Parameter(t, false).requiresGrad).toBe(false)
    expect(new nn.Parameter(tensor([1], { dtype: 'float64' })).dtype).toBe('float64')
  })

  it('prints as PyTorch prints a parameter', () => {
    expect(String(new nn.Parameter(tensor([0, 0])))).toBe('Parameter containing:\ntensor([0., 0.], requires_grad=True)')
  })

  it('refuses integer tensors and non-tensors', () => {
    expect(() => new nn.Parameter(tensor([1], { dtype: 'int32' }))).toThrow('Parameter: parameters must be float32 or float64, got int32 of shape [1]')
    expect(() => new nn.Parameter([1, 2] as unknown as Tensor)).toThrow('Parameter: expected a Tensor')
  })
})

describe('stateDict / loadStateDict', () => {
  it('stateDict shares memory with the parameters and carries no grad', () => {
    const m = new nn.Linear(2, 3)
    const sd = m.stateDict()
    expect(sd.weight.requiresGrad).toBe(false)
    expect(Array.from(sd.weight.data)).toEqual(Array.from(m.weight.data))
    m.weight.data.set([1, 2, 3, 4, 5, 6])
    expect(Array.from(sd.weight.data)).toEqual([1, 2, 3, 4, 5, 6])
  })

  it('copies values in place: the parameters stay the same objects', () => {
    const a = torchMlp()
    const b = torchMlp()
    const before = b.parameters()
    b.loadStateDict(a.stateDict())
    expect(b.parameters()).toEqual(before)
    b.parameters().forEach((p, i) => {
      expect(p).toBe(before[i])
      expect(Array.from(p.data)).toEqual(Array.from(a.parameters()[i].data))
    })
    // Later changes to a do not reach b.
    a.parameters()[0].data.fill(7)
    expect(b.parameters()[0].data[0]).not.toBe(7)
  })

  it('converts values of another float dtype', () => {
    const m = new nn.Linear(2, 1)
    m.loadStateDict({ weight: tensor([[0.1, 0.2]], { dtype: 'float64' }), bias: tensor([0.3], { dtype: 'float64' }) })
    expect(m.weight.dtype).toBe('float32')
    expect(Array.from(m.weight.data)).toEqual([Math.fround(0.1), Math.fround(0.2)])
  })

  it('loads the state dict PyTorch saved (safetensors) and computes PyTorch\'s output', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const suffix = dtype === 'float32' ? 'f32' : 'f64'
      const { tensors } = loadSafetensors(new Uint8Array(readFileSync(new URL(`../fixtures/torch-mlp-${suffix}.safetensors`, import.meta.url))))
      const ref = JSON.parse(readFileSync(new URL(`../fixtures/torch-mlp-${suffix}.json`, import.meta.url), 'utf8'))
      const m = torchMlp(dtype)
      expect(m.loadStateDict(tensors)).toEqual({ missingKeys: [], unexpectedKeys: [] })
      const out = m.forward(tensor(ref.input.data, { dtype }).reshape(ref.input.shape))
      expect(out.shape).toEqual(ref.output.shape)
      const tol = dtype === 'float32' ? 1e-5 : 1e-12
      Array.from(out.data).forEach((v, i) => expect(Math.abs(v - ref.output.data[i])).toBeLessThanOrEqual(tol))
    }
  })

  it('names a missing key', () => {
    const m = torchMlp()
    const sd = m.stateDict()
    delete sd['2.bias']
    expect(() => m.loadStateDict(sd)).toThrow(
      'loadStateDict: missing key(s) in the state dict: "2.bias" (pass strict = false to load only the matching keys); nothing was loaded into Sequential',
    )
  })

  it('names an unexpected key', () => {
    const m = new nn.Linear(2, 2)
    expect(() => m.loadStateDict({ ...m.stateDict(), 'extra.weight': zeros([1]) })).toThrow(
      'loadStateDict: unexpected key(s) in the state dict: "extra.weight"',
    )
  })

  it('names the key and both shapes on a size mismatch, and loads nothing', () => {
    const m = torchMlp()
    const other = new nn.Sequential(new nn.Linear(5, 3))
    const sd = { ...m.stateDict(), '0.weight': other.stateDict()['0.weight'], '0.bias': zeros([8]).add(5) }
    const before = Array.from(m.getParameter('0.bias').data)
    expect(() => m.loadStateDict(sd)).toThrow(
      'loadStateDict: size mismatch for 0.weight: copying a param with shape [3, 5] from the state dict, the shape in current model is [8, 5]; nothing was loaded into Sequential',
    )
    expect(Array.from(m.getParameter('0.bias').data)).toEqual(before)
  })

  it('lists every problem at once', () => {
    const m = new nn.Linear(2, 2)
    expect(() => m.loadStateDict({ weight: zeros([3, 2]), foo: zeros([1]) })).toThrow(
      'loadStateDict: missing key(s) in the state dict: "bias"; unexpected key(s) in the state dict: "foo"; ' +
        'size mismatch for weight: copying a param with shape [3, 2] from the state dict, the shape in current model is [2, 2]',
    )
  })

  it('with strict = false returns the missing and unexpected keys and loads the rest', () => {
    const m = new nn.Linear(2, 2)
    const res = m.loadStateDict({ weight: zeros([2, 2]), foo: zeros([1]) }, false)
    expect(res).toEqual({ missingKeys: ['bias'], unexpectedKeys: ['foo'] })
    expect(Array.from(m.weight.data)).toEqual([0, 0, 0, 0])
    // A size mismatch is an error even when not strict, as in PyTorch.
    expect(() => m.loadStateDict({ weight: zeros([2]) }, false)).toThrow('size mismatch for weight')
  })

  it('accepts a Map and refuses non-tensor values', () => {
    const m = new nn.Linear(1, 1, { bias: false })
    m.loadStateDict(new Map([['weight', tensor([[4]])]]))
    expect(m.weight.data[0]).toBe(4)
    expect(() => m.loadStateDict({ weight: [[4]] as unknown as Tensor })).toThrow('loadStateDict: the value for weight is object, not a Tensor')
  })
})

describe('zeroGrad, train/eval, dispose', () => {
  it('zeroGrad sets every .grad to null (PyTorch 2), or zeros it in place', () => {
    const m = new SimplisticNN()
    m.forward(tensor([0.23, 0.82, 0.47])).sum().backward()
    expect(m.parameters().every((p) => p.grad !== null)).toBe(true)
    const g = m.hidden1.weight.grad!
    m.zeroGrad(false)
    expect(m.hidden1.weight.grad).toBe(g)
    expect(Array.from(g.data).every((v) => v === 0)).toBe(true)
    m.zeroGrad()
    expect(m.parameters().every((p) => p.grad === null)).toBe(true)
  })

  it('train() and eval() set the mode everywhere and return the module', () => {
    const m = new SimplisticNN()
    expect(m.training).toBe(true)
    expect(m.eval()).toBe(m)
    expect(m.modules().every((x) => x.training === false)).toBe(true)
    m.train()
    expect(m.modules().every((x) => x.training === true)).toBe(true)
  })

  it('dispose() reaches every submodule', () => {
    const reached: string[] = []
    class Probe extends nn.ReLU {
      override dispose(): void {
        reached.push('probe')
      }
    }
    const m = new nn.Sequential(new nn.Linear(1, 1), new nn.Sequential(new Probe()))
    m.dispose()
    expect(reached).toEqual(['probe'])
  })

  it('apply() visits children first, then the module', () => {
    const m = new nn.Sequential(new nn.Linear(1, 1), new nn.Tanh())
    const seen: string[] = []
    m.apply((x) => seen.push(x.constructor.name))
    expect(seen).toEqual(['Linear', 'Tanh', 'Sequential'])
  })
})

describe('toString: PyTorch\'s module repr', () => {
  it('prints leaf modules on one line', () => {
    expect(String(new nn.Linear(3, 3))).toBe('Linear(in_features=3, out_features=3, bias=True)')
    expect(String(new nn.Linear(4, 2, { bias: false }))).toBe('Linear(in_features=4, out_features=2, bias=False)')
    expect(String(new nn.ReLU())).toBe('ReLU()')
    expect(String(new nn.Sigmoid())).toBe('Sigmoid()')
    expect(String(new nn.Tanh())).toBe('Tanh()')
    expect(String(new nn.Softmax(1))).toBe('Softmax(dim=1)')
    expect(String(new nn.LogSoftmax(-1))).toBe('LogSoftmax(dim=-1)')
    expect(String(new nn.BCELoss())).toBe('BCELoss()')
    expect(String(new nn.BCEWithLogitsLoss())).toBe('BCEWithLogitsLoss()')
    expect(String(new nn.MSELoss())).toBe('MSELoss()')
    expect(String(new nn.CrossEntropyLoss())).toBe('CrossEntropyLoss()')
    expect(String(new nn.Sequential())).toBe('Sequential()')
  })

  it('prints a Sequential with its children indexed', () => {
    expect(String(new nn.Sequential(new nn.Linear(3, 3), new nn.ReLU()))).toBe(
      'Sequential(\n  (0): Linear(in_features=3, out_features=3, bias=True)\n  (1): ReLU()\n)',
    )
    expect(String(torchMlp())).toBe(
      [
        'Sequential(',
        '  (0): Linear(in_features=5, out_features=8, bias=True)',
        '  (1): ReLU()',
        '  (2): Linear(in_features=8, out_features=4, bias=True)',
        '  (3): Tanh()',
        '  (4): Linear(in_features=4, out_features=2, bias=False)',
        '  (5): Sigmoid()',
        ')',
      ].join('\n'),
    )
  })

  it('prints a subclass of a built-in module under the subclass\'s name, as PyTorch does', () => {
    class MyLinear extends nn.Linear {}
    expect(String(new MyLinear(2, 1))).toBe('MyLinear(in_features=2, out_features=1, bias=True)')
    // Built-ins name themselves (displayName), so a bundler renaming a colliding class
    // (nn.Sequential vs keras.Sequential → "Sequential2") does not change what they print.
    expect(nn.Sequential.displayName).toBe('Sequential')
  })

  it('prints a custom module by its class name, nesting with indentation', () => {
    expect(String(new SimplisticNN())).toBe(
      [
        'SimplisticNN(',
        '  (hidden1): Linear(in_features=3, out_features=3, bias=True)',
        '  (activation1): ReLU()',
        '  (hidden2): Linear(in_features=3, out_features=2, bias=True)',
        '  (activation2): Sigmoid()',
        '  (loss): BCELoss()',
        ')',
      ].join('\n'),
    )
    expect(String(new nn.Sequential(new nn.Sequential(new nn.Linear(2, 2, { bias: false })), new nn.Tanh()))).toBe(
      ['Sequential(', '  (0): Sequential(', '    (0): Linear(in_features=2, out_features=2, bias=False)', '  )', '  (1): Tanh()', ')'].join('\n'),
    )
  })
})
