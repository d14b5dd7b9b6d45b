import { describe, expect, it } from 'vitest'
import { compile, grad, manualSeed, nn, noGrad, ones, optim, randn, tensor, type CompiledFunction, type Tensor } from '../../src/index.js'
import { versionOf } from '../../src/autograd/version.js'
import { expectError } from '../expect-error.js'

/**
 * Version counters (src/autograd/version.ts): a tensor an op saved for its backward and then
 * modified in place makes backward() throw, as PyTorch does, instead of computing a gradient
 * from the new values. No fixture covers these: each case gives the PyTorch snippet and what
 * it does (PyTorch 2.x: raise, or not and the gradient it gives). PyTorch saves only what the
 * gradients of the inputs that require grad read: x·w with a constant x saves x, not w.
 */

const close = (t: Tensor | null, expected: number[]): void => {
  expect(t).not.toBeNull()
  const got = Array.from(t!.data)
  expect(got.length).toBe(expected.length)
  got.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5))
}

/** PyTorch's message names the op; ours adds the shape, dtype, versions and the fix. */
const modified = (op: string, shape: string, now: number, then: number): (string | RegExp)[] => [
  'modified by an in-place operation',
  `saved by ${op}`,
  `float32 tensor of shape ${shape}`,
  `is at version ${now}; expected version ${then}`,
  'clone() it before modifying it in place, or modify it after backward()',
]

describe('backward refuses a saved tensor modified in place (PyTorch version counters)', () => {
  it('mul saves the operand the other one\'s gradient reads', () => {
    // x = torch.tensor([1., 2.]); w = torch.tensor([1., 1.], requires_grad=True)
    // y = x * w; x.mul_(10); y.sum().backward()
    // RuntimeError: ... [torch.FloatTensor [2]] is at version 1; expected version 0 instead.
    const x = tensor([1, 2])
    const w = tensor([1, 1], { requiresGrad: true })
    const y = x.mul(w)
    x.mul_(10) // x does not require grad: allowed outside noGrad too
    expectError(() => y.sum().backward(), ...modified('MulBackward0', '[2]', 1, 0))
    expect(w.grad).toBeNull()

    // The same under no_grad: with torch.no_grad(): x.mul_(10) -> the same RuntimeError.
    const y2 = x.mul(w)
    noGrad(() => x.mul_(10))
    expectError(() => y2.sum().backward(), ...modified('MulBackward0', '[2]', 2, 1))
  })

  it('where saves its condition: modifying it throws', () => {
    // c = torch.tensor([True, False]); w = torch.tensor([1., 2.], requires_grad=True)
    // y = torch.where(c, w, 0.); c.fill_(False); y.sum().backward()
    // RuntimeError: ... [torch.BoolTensor [2]] is at version 1; expected version 0 instead.
    const c = tensor([true, false])
    const w = tensor([1, 2], { requiresGrad: true })
    const y = w.where(c, 0)
    c.fill_(0)
    expectError(() => y.sum().backward(), 'modified by an in-place operation', 'saved by WhereBackward0', 'bool tensor of shape [2]', 'is at version 1; expected version 0')
  })

  it('mul does not save an operand no gradient reads: x constant, w modified, backward works', () => {
    // x = torch.tensor([1., 2.]); w = torch.tensor([1., 1.], requires_grad=True); y = x * w
    // with torch.no_grad(): w.mul_(10)
    // y.sum().backward()  # no error: mul saved x only; w.grad = x = tensor([1., 2.])
    const x = tensor([1, 2])
    const w = tensor([1, 1], { requiresGrad: true })
    const y = x.mul(w)
    noGrad(() => w.mul_(10))
    y.sum().backward()
    close(w.grad, [1, 2])
  })

  it('mul with both operands requiring grad saves both', () => {
    // a = torch.tensor([1., 2.], requires_grad=True); b = torch.tensor([3., 4.], requires_grad=True)
    // y = a * b; with torch.no_grad(): b.add_(1)
    // y.sum().backward()  # RuntimeError: ... is at version 1; expected version 0 instead.
    const a = tensor([1, 2], { requiresGrad: true })
    const b = tensor([3, 4], { requiresGrad: true })
    const y = a.mul(b)
    noGrad(() => b.add_(1))
    expectError(() => y.sum().backward(), ...modified('MulBackward0', '[2]', 1, 0))
  })

  it('a backward that throws midway leaves no gradient behind for the next one', () => {
    // h = x * 3; z = h.exp(); z.mul_(2); (h.sum() + z.sum()).backward() throws at ExpBackward0,
    // after h.sum()'s gradient reached h; h.sum().backward() then gives x.grad = [3, 3] (as in PyTorch).
    const x = tensor([1, 2], { requiresGrad: true })
    const h = x.mul(3)
    const z = h.exp()
    noGrad(() => z.mul_(2))
    expect(() => h.sum().add(z.sum()).backward()).toThrow('modified by an in-place operation')
    expect(x.grad).toBeNull()
    h.sum().backward()
    close(x.grad, [3, 3])
  })

  it('add saves nothing: modifying an operand in place leaves backward working', () => {
    // x = torch.tensor([1., 2.]); w = torch.tensor([1., 1.], requires_grad=True)
    // y = x + w; x.mul_(10); y.sum().backward()  # no error; w.grad = tensor([1., 1.])
    const x = tensor([1, 2])
    const w = tensor([1, 1], { requiresGrad: true })
    const y = x.add(w)
    x.mul_(10)
    y.sum().backward()
    close(w.grad, [1, 1])
  })

  it('sigmoid and exp save their output: modifying it throws', () => {
    // x = torch.tensor([0., 1.], requires_grad=True); y = x.sigmoid()
    // with torch.no_grad(): y.mul_(2)
    // y.sum().backward()  # RuntimeError: ... output 0 of SigmoidBackward0, is at version 1; expected version 0
    for (const [op, f] of [['SigmoidBackward0', (t: Tensor) => t.sigmoid()], ['ExpBackward0', (t: Tensor) => t.exp()]] as const) {
      const x = tensor([0, 1], { requiresGrad: true })
      const y = f(x)
      noGrad(() => y.mul_(2))
      expectError(() => y.sum().backward(), ...modified(op, '[2]', 1, 0))
    }
  })

  it('sigmoid does not save its input: modifying x after the op leaves its gradient as it was', () => {
    // x = torch.tensor([0., 1.], requires_grad=True); y = x.sigmoid()
    // with torch.no_grad(): x.mul_(2)
    // y.sum().backward()  # no error; x.grad = σ(x)(1 − σ(x)) at the old x = tensor([0.2500, 0.1966])
    const x = tensor([0, 1], { requiresGrad: true })
    const y = x.sigmoid()
    noGrad(() => x.mul_(2))
    y.sum().backward()
    close(x.grad, [0.25, 0.19661193])
  })

  it('matmul saves each operand for the other\'s gradient', () => {
    // a = torch.tensor([[1., 2.], [3., 4.]]); b = torch.tensor([[1., 0.], [0., 1.]], requires_grad=True)
    // y = a @ b; a.zero_(); y.sum().backward()  # RuntimeError: ... [torch.FloatTensor [2, 2]] is at version 1
    const a = tensor([[1, 2], [3, 4]])
    const b = tensor([[1, 0], [0, 1]], { requiresGrad: true })
    const y = a.matmul(b)
    a.zero_()
    expectError(() => y.sum().backward(), ...modified('MmBackward0', '[2, 2]', 1, 0))

    // y = a @ b; with torch.no_grad(): b.mul_(3)
    // y.sum().backward()  # no error (b is not saved: a does not require grad); b.grad = aᵀ·1 = [[4, 4], [6, 6]]
    const a2 = tensor([[1, 2], [3, 4]])
    const y2 = a2.matmul(b)
    noGrad(() => b.mul_(3))
    y2.sum().backward()
    close(b.grad, [4, 4, 6, 6])
  })

  it('a view shares its base\'s counter: modifying either after the other was saved throws', () => {
    // t = torch.tensor([[1., 2.], [3., 4.]]); w = torch.ones(4, requires_grad=True)
    // v = t.view(4); y = v * w; t.add_(1); y.sum().backward()  # RuntimeError: ... [torch.FloatTensor [4]] is at version 1
    const w = tensor([1, 1, 1, 1], { requiresGrad: true })
    const t = tensor([[1, 2], [3, 4]])
    const y = t.view(4).mul(w)
    t.add_(1)
    expectError(() => y.sum().backward(), ...modified('MulBackward0', '[4]', 1, 0))

    // The other way: y = t * w2 saves t; t.reshape(4).mul_(2) -> RuntimeError (a view of a saved tensor).
    const t2 = tensor([[1, 2], [3, 4]])
    const w2 = tensor([[1, 1], [1, 1]], { requiresGrad: true })
    const y2 = t2.mul(w2)
    t2.reshape(4).mul_(2)
    expectError(() => y2.sum().backward(), ...modified('MulBackward0', '[2, 2]', 1, 0))

    // detach() shares the counter too: x.detach().zero_() after sigmoid saved x's output.
    // x = torch.tensor([0., 1.], requires_grad=True); y = x.sigmoid(); y.detach().zero_()
    // y.sum().backward()  # RuntimeError: ... is at version 1; expected version 0
    const x = tensor([0, 1], { requiresGrad: true })
    const s = x.sigmoid()
    s.detach().zero_()
    expectError(() => s.sum().backward(), ...modified('SigmoidBackward0', '[2]', 1, 0))
  })

  it('grad() checks as backward() does', () => {
    // torch.autograd.grad(y.sum(), [w]) after x.mul_(10) raises the same RuntimeError.
    const x = tensor([1, 2])
    const w = tensor([1, 1], { requiresGrad: true })
    const y = x.mul(w).sum()
    x.fill_(0)
    expectError(() => grad(y, [w], tensor(1)), ...modified('MulBackward0', '[2]', 1, 0))
  })

  it('an optimiser step bumps the parameters it updates: a retained graph that saved one throws', () => {
    // w = torch.nn.Parameter(torch.tensor([1., 2.])); opt = torch.optim.SGD([w], lr=0.1)
    // loss = (w * w).sum(); loss.backward(retain_graph=True); opt.step()
    // loss.backward()  # RuntimeError: ... [torch.FloatTensor [2]] is at version 1; expected version 0
    const w = new nn.Parameter(tensor([1, 2]))
    const opt = new optim.SGD([w], { lr: 0.1 })
    const loss = w.mul(w).sum()
    loss.backward({ retainGraph: true })
    close(w.grad, [2, 4])
    opt.step()
    expectError(() => loss.backward(), ...modified('MulBackward0', '[2]', 1, 0))

    // Two linear layers: the second saves its weight (the hidden activations require grad).
    // model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)); loss = model(x).sum()
    // loss.backward(retain_graph=True); opt.step(); loss.backward()
    // RuntimeError: ... [torch.FloatTensor [2, 4]] ... is at version 2; expected version 1 (init's uniform_ was version 1)
    const model = new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.Linear(4, 2))
    const opt2 = new optim.SGD(model.parameters(), { lr: 0.1 })
    const out = (model.forward(tensor([[1, 2, 3]])) as Tensor).sum()
    out.backward({ retainGraph: true })
    opt2.step()
    expectError(() => out.backward(), 'saved by AddmmBackward0', 'of shape [2, 4]', 'is at version 2; expected version 1')
  })

  it('one linear layer on a constant input saves no weight: backward again after a step works', () => {
    // lin = nn.Linear(2, 1); x = torch.tensor([[1., 2.]]); loss = lin(x).sum()
    // loss.backward(retain_graph=True); opt.step(); loss.backward()  # no error: addmm saved x only
    // lin.weight.grad = 2·x = tensor([[2., 4.]]) (accumulated), lin.bias.grad = tensor([2.])
    const lin = new nn.Linear(2, 1)
    const opt = new optim.SGD(lin.parameters(), { lr: 0.1 })
    const loss = lin.forward(tensor([[1, 2]])).sum()
    loss.backward({ retainGraph: true })
    opt.step()
    loss.backward()
    close(lin.weight.grad, [2, 4])
    close(lin.bias!.grad, [2])
  })

  it('ordinary training loops never throw, with every optimiser', () => {
    // for _ in range(5): opt.zero_grad(); loss_fn(model(x), y).backward(); opt.step()  # no error
    const x = tensor([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]])
    const target = tensor([[1, 0], [0, 1]])
    const makers = [
      (p: Tensor[]) => new optim.SGD(p, { lr: 0.1, momentum: 0.9 }),
      (p: Tensor[]) => new optim.Adam(p, { lr: 0.01 }),
      (p: Tensor[]) => new optim.AdamW(p, { lr: 0.01 }),
      (p: Tensor[]) => new optim.RMSprop(p, { lr: 0.01 }),
      (p: Tensor[]) => new optim.Adagrad(p, { lr: 0.1 }),
    ]
    for (const make of makers) {
      const model = new nn.Sequential(new nn.Linear(3, 4), new nn.Tanh(), new nn.Linear(4, 2), new nn.Sigmoid())
      const opt = make([...model.parameters()])
      const lossFn = new nn.BCELoss()
      const losses: number[] = []
      for (let i = 0; i < 5; i++) {
        opt.zeroGrad()
        const loss = lossFn.forward(model.forward(x) as Tensor, target)
        loss.backward()
        opt.step()
        losses.push(loss.item())
      }
      expect(losses[4]).toBeLessThan(losses[0])
    }
  })

  it('writes through t.data are not counted, as PyTorch\'s .data', () => {
    // x = torch.tensor([1., 2.]); w = torch.ones(2, requires_grad=True); y = x * w
    // x.data[0] = 5.; y.sum().backward()  # no error (.data bypasses the counter); w.grad = tensor([5., 2.])
    const x = tensor([1, 2])
    const w = tensor([1, 1], { requiresGrad: true })
    const y = x.mul(w)
    x.data[0] = 5
    y.sum().backward()
    close(w.grad, [5, 2])
    expect(versionOf(x)).toBe(0)
  })
})

describe('version counters and compile()', () => {
  it('a compiled step whose body modifies a saved tensor throws at its recording, as eager does', () => {
    const x = tensor([0, 1], { requiresGrad: true })
    const step = compile(() => {
      const y = x.sigmoid()
      noGrad(() => y.mul_(2))
      y.sum().backward()
    })
    expectError(() => step(), ...modified('SigmoidBackward0', '[2]', 1, 0))
    expectError(() => step(), ...modified('SigmoidBackward0', '[2]', 1, 0))
  })

  it('every compiled step counts its parameter updates (also a replay that skips a repeated SGD step)', () => {
    // PyTorch: out = model(x); train_step(x, y) (opt.step() inside); out.sum().backward() raises.
    const model = new nn.Sequential(new nn.Linear(4, 3), new nn.ReLU(), new nn.Linear(3, 2))
    const opt = new optim.SGD(model.parameters(), { lr: 0.1 })
    const lossFn = new nn.MSELoss()
    const x = tensor([[0.1, -0.2, 0.3, 0.4], [0.5, 0.6, -0.7, 0.8]])
    const y = tensor([[1, 0], [0, 1]])
    const step = compile((a: Tensor, b: Tensor) => {
      opt.zeroGrad()
      const loss = lossFn.forward(model.forward(a) as Tensor, b)
      loss.backward()
      opt.step()
      return loss
    })
    const out = (model.forward(x) as Tensor).sum() // eager: its second Linear saves that layer's weight
    const weight = [...model.parameters()][2]
    const before = versionOf(weight)
    for (let i = 1; i <= 6; i++) {
      step(x, y)
      expect(versionOf(weight)).toBe(before + i)
    }
    expectError(() => out.backward(), 'saved by AddmmBackward0', `is at version ${before + 6}; expected version ${before}`)
  })
  /**
   * A step updating persistent tensors in place after the optimiser: WGAN-style weight clipping
   * (parameters: wasm memory), and with `buf` a momentum-like buffer made before the call (a JS
   * array, copied into wasm before each call and back after it): on wasm the interpreter replays it.
   */
  function clippingStep(compiled: boolean, withBuf: boolean): { step: (x: Tensor) => Tensor; buf: Tensor; params: Tensor[]; x: Tensor } {
    manualSeed(4)
    const model = new nn.Sequential(new nn.Linear(64, 32), new nn.ReLU(), new nn.Linear(32, 8))
    const params = [...model.parameters()]
    const opt = new optim.SGD(params, { lr: 0.1 })
    const buf = ones([32, 64])
    const f = (x: Tensor): Tensor => {
      opt.zeroGrad()
      const loss = (model.forward(x) as Tensor).square().mean()
      loss.backward()
      opt.step()
      noGrad(() => {
        if (withBuf) buf.mul_(0.9)
        for (const p of params) p.clamp_(-0.05, 0.05)
      })
      return loss
    }
    return { step: compiled ? compile(f) : f, buf, params, x: randn([16, 64]) }
  }

  for (const withBuf of [false, true]) {
    const path = process.env.YANN_BACKEND === 'wasm' ? 'wasm' : 'js'
    it(`a replay (${path}) bumps the versions of the tensors its in-place ops write (${withBuf ? 'buf.mul_(0.9), ' : ''}p.clamp_(-c, c)) once per op per call, as eager`, () => {
      const runs = [false, true].map((compiled) => {
        const { step, buf, params, x } = clippingStep(compiled, withBuf)
        const seen: number[][] = []
        for (let i = 0; i < 5; i++) {
          step(x)
          seen.push([versionOf(buf), ...params.map(versionOf), buf.data[0], params[0].data[0]])
        }
        if (compiled) {
          const c = step as CompiledFunction<[Tensor], Tensor>
          expect([c.lastRun, c.replayPath]).toEqual(['replay', path])
        }
        return seen
      })
      expect(runs[1]).toEqual(runs[0])
      // buf: one mul_ per call; each parameter: init's write, then one SGD update and one clamp_ per call.
      expect(runs[1][4].slice(0, 2)).toEqual([withBuf ? 5 : 0, 1 + 2 * 5])
    })
  }

  it('a graph built outside that saved a tensor a replay then modified refuses backward (PyTorch: is at version 3; expected version 2)', () => {
    const { step, buf, x } = clippingStep(true, true)
    step(x) // the recording (.grad null)
    step(x) // the recording with .grad set
    const w = randn([32, 64], { requiresGrad: true })
    const out = w.mul(buf).sum() // saves buf at version 2 for w's gradient
    step(x)
    expect((step as CompiledFunction<[Tensor], Tensor>).lastRun).toBe('replay')
    expectError(() => out.backward(), ...modified('MulBackward0', '[32, 64]', 3, 2))
  })
  it("a tensor the step makes and writes in place is new at every call: a replay leaves its version at eager's (1)", () => {
    const step = compile((x: Tensor) => noGrad(() => x.mul(2).clamp_(0, 1)))
    for (let i = 0; i < 4; i++) expect(versionOf(step(tensor([0.2, -1, 3])))).toBe(1)
    expect(step.lastRun).toBe('replay')
  })
})

describe('.grad is written in place by backward: a graph that saved it refuses to run', () => {
  // x = torch.tensor([1., 2.], requires_grad=True); (x * x).sum().backward()
  // w = torch.tensor([1., 1.], requires_grad=True); y = (w * x.grad).sum()
  // (x * x).sum().backward()   # x.grad += 2x in place: version 1
  // y.backward() -> RuntimeError: ... [torch.FloatTensor [2]] is at version 1; expected version 0 instead.
  // yann summed into .grad without counting it: w.grad came out [4, 8] (from the new .grad) instead of an error.
  it('accumulation into .grad counts as an in-place write, on a tensor and on a Parameter', () => {
    for (const x of [tensor([1, 2], { requiresGrad: true }), new nn.Parameter(tensor([1, 2]))]) {
      x.mul(x).sum().backward()
      const w = tensor([1, 1], { requiresGrad: true })
      const y = w.mul(x.grad!).sum()
      x.mul(x).sum().backward()
      close(x.grad, [4, 8])
      expectError(() => y.backward(), ...modified('MulBackward0', '[2]', versionOf(x.grad!), versionOf(x.grad!) - 1))
      expect(w.grad).toBeNull()
    }
  })

  it("a Parameter's gradient buffer rewritten after .grad = null (zeroGrad) counts too: the old .grad is over it", () => {
    const p = new nn.Parameter(tensor([1, 2]))
    p.mul(p).sum().backward()
    const w = tensor([1, 1], { requiresGrad: true })
    const y = w.mul(p.grad!).sum() // saves the .grad [2, 4], whose buffer the next backward reuses
    p.grad = null
    p.mul(p).mul(5).sum().backward()
    close(p.grad, [10, 20])
    expectError(() => y.backward(), 'modified by an in-place operation', 'saved by MulBackward0') // was silently w.grad [10, 20]
  })
})
