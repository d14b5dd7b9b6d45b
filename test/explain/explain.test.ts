import { describe, expect, it } from 'vitest'
import { manualSeed, nn, optim, randn, tensor, type Tensor } from '../../src/index.js'
import { explain, formatExplanation } from '../../src/explain.js'
import { networkFromJson, seedExample } from '../../src/explain/seed.js'
import { mulberry32 } from '../rng.js'

/**
 * The seed's numbers, as its PyTorch run printed them (§2 and §4), to 4 decimals; the Sage run
 * of §3.1 printed the forward pass to 15 digits.
 */
const SEED = {
  a1: [0.574, 0.748, 0.6495],
  a2: [0.772977357985251, 0.772986132033595],
  loss: 0.870124846460152,
  gradW2: [
    [-0.0652, -0.0849, -0.0737],
    [0.2218, 0.2891, 0.251],
  ],
  gradB2: [-0.1135, 0.3865],
  gradW1: [
    [0.0032, 0.0113, 0.0065],
    [0.0555, 0.1977, 0.1133],
    [0.0518, 0.1846, 0.1058],
  ],
  gradB1: [0.0138, 0.2411, 0.2251],
  W1: [
    [0.1, 0.4999, 0.2999],
    [0.6994, 0.198, 0.8989],
    [0.3995, 0.2482, 0.7489],
  ],
  b1: [-0.0001, -0.0024, -0.0023],
  W2: [
    [0.9007, 0.6008, 0.4007],
    [0.2978, 0.7971, 0.6975],
  ],
  b2: [0.0011, -0.0039],
}

/** |a − b| ≤ tol entry by entry, for nested arrays or tensors. */
function expectClose(actual: Tensor | number[] | number[][], expected: number[] | number[][], tol: number): void {
  const a = (Array.isArray(actual) ? actual : (actual.toArray() as number[] | number[][])).flat()
  const b = expected.flat()
  expect(a).toHaveLength(b.length)
  a.forEach((v, i) => {
    if (!(Math.abs(v - b[i]) <= tol)) throw new Error(`entry ${i}: ${v} differs from ${b[i]} by more than ${tol} (${JSON.stringify(actual)})`)
  })
}

/** PyTorch prints 4 decimals: a value printed as v lies within 5e-5 of it. */
const PRINTED = 5.0001e-5

describe('explain: the seed network', () => {
  const { model, input, target, loss } = seedExample()
  const e = explain(model, input, target, loss)

  it('walks the layers from the loss backwards with the seed titles', () => {
    expect(e.steps.map((s) => s.title)).toEqual(['Hidden Layer 2 Weight Gradient', 'Layer 1 Weight Gradient'])
    expect(e.layers.map((l) => l.name)).toEqual(['L₁', 'relu₁', 'L₂', 'σ₂'])
    expect(e.forward.map((v) => v.name)).toEqual(['x', 'z₁', 'a₁', 'z₂', 'a₂'])
  })

  it('names and shapes every Jacobian factor as the seed does', () => {
    const factors = e.steps.map((s) => s.factors.map((f) => `${f.name} ${f.shape.join('×')}`))
    expect(factors).toEqual([
      ['J_a₂(E) 1×2', 'J_z₂(σ₂) 2×2', 'J_W₂(L₂) 2×6', 'J_b₂(L₂) 2×2'],
      ['J_a₁(L₂) 2×3', 'J_z₁(relu₁) 3×3', 'J_W₁(L₁) 3×9', 'J_b₁(L₁) 3×3'],
    ])
    expect(e.steps[0].factors[2].latex).toBe('J_{W_{2}}(\\mathcal{L}_{2})')
    expect(e.gradients.find((g) => g.key === '0.weight')!.factors).toEqual(['J_a₂(E)', 'J_z₂(σ₂)', 'J_a₁(L₂)', 'J_z₁(relu₁)', 'J_W₁(L₁)'])
    expect(e.gradients.find((g) => g.key === '2.bias')!.factors).toEqual(['J_a₂(E)', 'J_z₂(σ₂)', 'J_b₂(L₂)'])
  })

  it('computes each factor as the formula the seed derives (written out here, not by yann)', () => {
    const [a1, a2] = [e.forward[2].value.toArray() as number[], e.forward[4].value.toArray() as number[]]
    const l = [1, 0]
    const f = new Map(e.steps.flatMap((s) => s.factors).map((x) => [x.name, x.value]))
    // E = −(1/2)Σ l·log a + (1 − l)·log(1 − a): ∂E/∂a_i = −(l_i/a_i − (1 − l_i)/(1 − a_i))/2
    expectClose(f.get('J_a₂(E)')!, [a2.map((a, i) => -(l[i] / a - (1 - l[i]) / (1 - a)) / 2)], 1e-6)
    // σ' = σ(1 − σ) on the diagonal
    expectClose(f.get('J_z₂(σ₂)')!, [[a2[0] * (1 - a2[0]), 0], [0, a2[1] * (1 - a2[1])]], 1e-7)
    // ∂(W·a + b)_i/∂W_jk = δ_ij·a_k: a₁ in row i's block of W's row-major entries
    expectClose(f.get('J_W₂(L₂)')!, [[...a1, 0, 0, 0], [0, 0, 0, ...a1]], 1e-7)
    expectClose(f.get('J_b₂(L₂)')!, [[1, 0], [0, 1]], 0)
    expectClose(f.get('J_a₁(L₂)')!, [[0.9, 0.6, 0.4], [0.3, 0.8, 0.7]], 1e-7)
    // Every z₁ is positive: relu' = 1
    expectClose(f.get('J_z₁(relu₁)')!, [[1, 0, 0], [0, 1, 0], [0, 0, 1]], 0)
    const x = [0.23, 0.82, 0.47]
    expectClose(f.get('J_W₁(L₁)')!, [[...x, 0, 0, 0, 0, 0, 0], [0, 0, 0, ...x, 0, 0, 0], [0, 0, 0, 0, 0, 0, ...x]], 1e-7)
  })

  it('reproduces the forward pass', () => {
    expectClose(e.forward[2].value, SEED.a1, 1e-6)
    expectClose(e.forward[4].value, SEED.a2, 1e-6)
    expect(e.loss.value).toBeCloseTo(SEED.loss, 6)
    expect(e.loss.description).toBe('binary cross-entropy')
  })

  it("gives PyTorch's gradients, reshaped to each parameter's shape", () => {
    const g = new Map(e.gradients.map((x) => [x.key, x]))
    expect([...g.keys()]).toEqual(['0.weight', '0.bias', '2.weight', '2.bias'])
    expect(g.get('2.weight')!.product.shape).toEqual([1, 6])
    expect(g.get('2.weight')!.grad.shape).toEqual([2, 3])
    expect(g.get('0.weight')!.product.shape).toEqual([1, 9])
    expect(g.get('0.bias')!.grad.shape).toEqual([3])
    expectClose(g.get('2.weight')!.grad, SEED.gradW2, PRINTED)
    expectClose(g.get('2.bias')!.grad, SEED.gradB2, PRINTED)
    expectClose(g.get('0.weight')!.grad, SEED.gradW1, PRINTED)
    expectClose(g.get('0.bias')!.grad, SEED.gradB1, PRINTED)
  })

  it("agrees with autograd's .grad for every product", () => {
    expect(e.agrees).toBe(true)
    expect(e.maxDifference).toBeLessThan(1e-7)
    for (const g of e.gradients) {
      expect(g.maxDifference).toBeLessThan(1e-7)
      expectClose(g.grad, g.autograd.toArray() as number[][], 1e-7)
    }
    const products = e.steps.flatMap((s) => s.products)
    expect(products.map((p) => p.name)).toEqual(['∂E/∂z₂', '∂E/∂a₁', '∂E/∂z₁'])
    // ∂E/∂z₂ is grad b₂, ∂E/∂z₁ is grad b₁ (J_b is the identity)
    expectClose(products[0].value, [SEED.gradB2], PRINTED)
    expectClose(products[2].value, [SEED.gradB1], PRINTED)
    for (const p of products) expect(p.agrees).toBe(true)
  })

  it("applies the SGD step (lr 0.01) to the seed's updated weights, as optim.SGD does", () => {
    const g = new Map(e.gradients.map((x) => [x.key, x.updated]))
    expectClose(g.get('0.weight')!, SEED.W1, PRINTED)
    expectClose(g.get('0.bias')!, SEED.b1, PRINTED)
    expectClose(g.get('2.weight')!, SEED.W2, PRINTED)
    expectClose(g.get('2.bias')!, SEED.b2, PRINTED)

    const fresh = seedExample()
    const sgd = new optim.SGD(fresh.model.parameters(), { lr: 0.01 })
    fresh.loss.forward(fresh.model.forward(fresh.input), fresh.target).backward()
    sgd.step()
    for (const [key, p] of fresh.model.namedParameters()) expectClose(g.get(key)!, p.toArray() as number[], 1e-7)
  })

  it('leaves the model as it was: weights and .grad', () => {
    const m = seedExample()
    const sentinel = tensor([[1, 2, 3], [4, 5, 6]])
    const w2 = m.model.getParameter('2.weight')
    w2.grad = sentinel
    const before = m.model.parameters().map((p) => [...p.data])
    explain(m.model, m.input, m.target, m.loss, { lr: 0.5 })
    expect(w2.grad).toBe(sentinel)
    expect(m.model.getParameter('0.weight').grad).toBeNull()
    expect(m.model.parameters().map((p) => [...p.data])).toEqual(before)
  })

  it('in float64 matches the seed\'s Sage forward pass to 1e-12', () => {
    const s = seedExample('float64')
    const e64 = explain(s.model, s.input, s.target, s.loss)
    expectClose(e64.forward[4].value, SEED.a2, 1e-12)
    expect(Math.abs(e64.loss.value - SEED.loss)).toBeLessThan(1e-12)
    expect(e64.maxDifference).toBeLessThan(1e-15)
    expect(e64.dtype).toBe('float64')
  })

  it('takes the loss as a module, a name or a function, with the same gradients', () => {
    const byName = explain(model, input, target, 'bce')
    const byFn = explain(model, input, target, (a, t) => a.log().mul(t).add(a.neg().add(1).log().mul(t.neg().add(1))).mean().neg())
    for (const other of [byName, byFn]) {
      other.gradients.forEach((g, i) => expectClose(g.grad, e.gradients[i].grad.toArray() as number[], 1e-6))
    }
    expect(byFn.loss.description).toBe('the loss function')
  })

  it('uses the lr it is given', () => {
    const e2 = explain(model, input, target, loss, { lr: 0.5 })
    expect(e2.lr).toBe(0.5)
    const g = e2.gradients[0]
    expectClose(g.updated, (g.value.toArray() as number[][]).map((row, i) => row.map((v, j) => v - 0.5 * (g.grad.toArray() as number[][])[i][j])), 1e-6)
  })
})

// ---- random networks ------------------------------------------------------------------------

type Act = 'ReLU' | 'Sigmoid' | 'Tanh'

/** A random Sequential: Linear layers of random sizes, each hidden one followed by an activation. */
function randomNetwork(rng: () => number, hidden: number, last: 'Sigmoid' | 'Softmax' | 'none'): { model: nn.Sequential; sizes: number[] } {
  const sizes = Array.from({ length: hidden + 2 }, () => 1 + Math.floor(rng() * 4))
  const acts: Act[] = ['ReLU', 'Sigmoid', 'Tanh']
  const layers: nn.Layer[] = []
  for (let k = 0; k < sizes.length - 1; k++) {
    layers.push(new nn.Linear(sizes[k], sizes[k + 1], { dtype: 'float64', bias: rng() > 0.2 }))
    if (k < sizes.length - 2) {
      const act = acts[Math.floor(rng() * acts.length)]
      layers.push(act === 'ReLU' ? new nn.ReLU() : act === 'Sigmoid' ? new nn.Sigmoid() : new nn.Tanh())
    }
  }
  if (last === 'Sigmoid') layers.push(new nn.Sigmoid())
  if (last === 'Softmax') layers.push(new nn.Softmax(-1))
  return { model: new nn.Sequential(...layers), sizes }
}

/** Autograd's gradients of a fresh forward/backward, computed here without explain(). */
function autogradOf(model: nn.Sequential, input: Tensor, target: Tensor, loss: nn.Loss): Map<string, number[]> {
  model.zeroGrad()
  loss.forward(model.forward(input), target).backward()
  const out = new Map(model.namedParameters().map(([k, p]) => [k, [...p.grad!.data]]))
  model.zeroGrad()
  return out
}

describe('explain: random Sequential networks in float64', () => {
  const cases = Array.from({ length: 24 }, (_, i) => i)
  it.each(cases)('network %i: the Jacobian products equal autograd to 1e-10', (i) => {
    const rng = mulberry32(1000 + i)
    manualSeed(i)
    const hidden = 1 + (i % 3)
    const kind = i % 4
    const last = kind === 0 ? 'Sigmoid' : kind === 1 ? 'Softmax' : 'none'
    const { model, sizes } = randomNetwork(rng, hidden, last)
    const input = randn([sizes[0]], { dtype: 'float64' })
    const out = sizes[sizes.length - 1]
    let target: Tensor
    let loss: nn.Loss
    if (last === 'Sigmoid') {
      target = tensor(Array.from({ length: out }, () => (rng() > 0.5 ? 1 : 0)), { dtype: 'float64' })
      loss = new nn.BCELoss({ reduction: rng() > 0.5 ? 'mean' : 'sum' })
    } else {
      target = randn([out], { dtype: 'float64' })
      loss = new nn.MSELoss({ reduction: rng() > 0.5 ? 'mean' : 'sum' })
    }
    const e = explain(model, input, target, loss)
    const reference = autogradOf(model, input, target, loss)
    expect(e.gradients.map((g) => g.key)).toEqual([...reference.keys()])
    for (const g of e.gradients) {
      expect(g.grad.shape).toEqual(model.getParameter(g.key).shape)
      expectClose([...g.grad.data], reference.get(g.key)!, 1e-10)
      expect(g.maxDifference).toBeLessThanOrEqual(1e-10)
    }
    for (const p of e.steps.flatMap((s) => s.products)) expect(p.maxDifference).toBeLessThanOrEqual(1e-10)
    expect(e.agrees).toBe(true)
    // One step per Linear layer, from the last; titles follow the seed.
    expect(e.steps.map((s) => s.layer)).toEqual(Array.from({ length: hidden + 1 }, (_, k) => hidden + 1 - k))
    expect(e.steps[0].title).toBe(`Hidden Layer ${hidden + 1} Weight Gradient`)
    expect(e.steps[e.steps.length - 1].title).toBe('Layer 1 Weight Gradient')
    // The text and Markdown render.
    expect(formatExplanation(e)).toContain('3.3 SGD Update (lr 0.01)')
    expect(formatExplanation(e, { format: 'markdown' })).toContain('#### 3.2.1 Hidden Layer')
  })

  it('a network without activations (Linear, Linear) and one with Linear only', () => {
    manualSeed(7)
    const model = new nn.Sequential(new nn.Linear(3, 4, { dtype: 'float64' }), new nn.Linear(4, 2, { dtype: 'float64' }))
    const x = randn([3], { dtype: 'float64' })
    const t = randn([2], { dtype: 'float64' })
    const e = explain(model, x, t, 'mse')
    expect(e.steps[1].factors.map((f) => f.name)).toEqual(['J_z₁(L₂)', 'J_W₁(L₁)', 'J_b₁(L₁)'])
    expect(e.maxDifference).toBeLessThan(1e-12)
    const one = explain(new nn.Sequential(new nn.Linear(3, 2, { dtype: 'float64' })), x, t, 'mse')
    expect(one.steps.map((s) => s.title)).toEqual(['Layer 1 Weight Gradient'])
    expect(one.steps[0].factors.map((f) => `${f.name} ${f.shape.join('×')}`)).toEqual(['J_z₁(E) 1×2', 'J_W₁(L₁) 2×6', 'J_b₁(L₁) 2×2'])
  })
})

describe('explain: batches', () => {
  it('explains [1, in] like [in]', () => {
    const s = seedExample('float64')
    const one = explain(s.model, s.input, s.target, s.loss)
    const batched = explain(s.model, s.input.reshape([1, 3]), s.target.reshape([1, 2]), s.loss)
    expect(batched.batchSize).toBe(1)
    batched.gradients.forEach((g, i) => expectClose(g.grad, one.gradients[i].grad.toArray() as number[], 1e-15))
  })

  it('explains a batch of N as one function of all N·in inputs: N× the rows, the same gradients as autograd', () => {
    const s = seedExample('float64')
    const x = tensor([[0.23, 0.82, 0.47], [0.5, -0.1, 0.3]], { dtype: 'float64' })
    const t = tensor([[1, 0], [0, 1]], { dtype: 'float64' })
    const e = explain(s.model, x, t, s.loss)
    expect(e.batchSize).toBe(2)
    expect(e.steps[0].factors.map((f) => `${f.name} ${f.shape.join('×')}`)).toEqual(['J_a₂(E) 1×4', 'J_z₂(σ₂) 4×4', 'J_W₂(L₂) 4×6', 'J_b₂(L₂) 4×2'])
    const reference = autogradOf(s.model, x, t, s.loss)
    for (const g of e.gradients) expectClose([...g.grad.data], reference.get(g.key)!, 1e-12)
    expect(formatExplanation(e)).toContain('a batch of 2 samples')
  })
})

describe('explain: errors', () => {
  const s = seedExample()

  it('refuses layers it cannot walk, naming them', () => {
    class Double extends nn.Module {
      forward(x: Tensor): Tensor {
        return x.mul(2)
      }
    }
    const model = new nn.Sequential(new nn.Linear(3, 2), new Double())
    expect(() => explain(model, s.input, s.target, 'mse')).toThrow(/layer 1 \(Double\(\)\) is not supported.*Linear, ReLU, Sigmoid, Tanh/)
  })

  it('refuses a loss that is not a scalar', () => {
    expect(() => explain(s.model, s.input, s.target, new nn.BCELoss({ reduction: 'none' }))).toThrow(/the loss must return a scalar.*got shape \[2\]/)
  })

  it('refuses mismatched dtypes, bad inputs and a bad lr', () => {
    expect(() => explain(s.model, s.input.double(), s.target.double(), s.loss)).toThrow(/input is float64 but parameter 0.weight is float32/)
    expect(() => explain(s.model, tensor([[[1, 2, 3]]]), s.target, s.loss)).toThrow(/one sample \[in_features\].*got shape \[1, 1, 3\]/)
    expect(() => explain(s.model, s.input, s.target, s.loss, { lr: Number.NaN })).toThrow(/lr must be a finite number/)
    expect(() => explain(s.model, [0.23, 0.82, 0.47] as unknown as Tensor, s.target, s.loss)).toThrow(/input and target must be tensors/)
    expect(() => explain(s.model, s.input, s.target, 'hinge' as never)).toThrow(/loss must be 'bce', 'mse'/)
  })

  it('refuses a model whose forward is not its children in order', () => {
    class Skip extends nn.Module {
      readonly a = this.registerModule('a', new nn.Linear(3, 2))
      readonly b = this.registerModule('b', new nn.ReLU())
      forward(x: Tensor): Tensor {
        return this.a.forward(x) // b is never applied
      }
    }
    const m = new Skip()
    m.a.weight.data.set([1, -1, 1, -1, 1, -1])
    m.a.bias!.data.set([0, 0]) // z = [-0.12, 0.12]: the ReLU would change it
    expect(() => explain(m, s.input, s.target, 'mse')).toThrow(/not its layers applied in order/)
  })

  it('walks a module used twice in a Sequential (a shared ReLU), refuses a Linear used twice', () => {
    const relu = new nn.ReLU()
    const l1 = new nn.Linear(3, 3, { dtype: 'float64' })
    const model = new nn.Sequential(l1, relu, new nn.Linear(3, 2, { dtype: 'float64' }), relu)
    const x = tensor([0.23, 0.82, 0.47], { dtype: 'float64' })
    const e = explain(model, x, tensor([1, 0], { dtype: 'float64' }), 'mse')
    expect(e.layers.map((l) => l.name)).toEqual(['L₁', 'relu₁', 'L₂', 'relu₂'])
    expect(e.agrees).toBe(true)
    expect(() => explain(new nn.Sequential(l1, new nn.Tanh(), l1), x, x, 'mse')).toThrow(/the same Linear layer .* appears twice/)
  })

  it('refuses a model without a Linear layer', () => {
    expect(() => explain(new nn.Sequential(new nn.ReLU()), s.input, s.input, 'mse')).toThrow(/no Linear layer/)
  })
})

describe('networkFromJson', () => {
  it("defaults to the seed's layout: ReLU between Linear layers, Sigmoid at the end", () => {
    const m = networkFromJson({ '0.weight': [[1, 2]], '2.weight': [[3], [4]], '2.bias': [0, 1] })
    expect(String(m).replace(/\s+/g, ' ')).toBe(
      'Sequential( (0): Linear(in_features=2, out_features=1, bias=False) (1): ReLU() (2): Linear(in_features=1, out_features=2, bias=True) (3): Sigmoid() )',
    )
    expect([...m.getParameter('2.bias').data]).toEqual([0, 1])
  })

  it('takes the layers by name', () => {
    const m = networkFromJson({ layers: ['Linear', 'tanh', 'Linear'], '0.weight': [[1, 2]], '2.weight': [[3]] }, 'float64')
    expect(m.length).toBe(3)
    expect(m.at(1)).toBeInstanceOf(nn.Tanh)
    expect(m.getParameter('0.weight').dtype).toBe('float64')
  })

  it('explains what is wrong', () => {
    expect(() => networkFromJson({ '0.weight': [[1, 2]], '1.weight': [[1, 2, 3]] })).toThrow(/"1.weight" takes 3 inputs but the Linear layer before it gives 1 outputs/)
    expect(() => networkFromJson({ '0.weight': [[1, 2], [3]] })).toThrow(/ragged/)
    expect(() => networkFromJson({ '0.bias': [1] })).toThrow(/no weights/)
    expect(() => networkFromJson({ '0.weight': [[1]], '1.bias': [1] })).toThrow(/"1.bias" has no "1.weight"/)
    expect(() => networkFromJson({ '0.weight': [[1]], '0.bias': [1, 2] })).toThrow(/has 2 entries but "0.weight" has 1 rows/)
    expect(() => networkFromJson({ hidden1: [[1]] })).toThrow(/unexpected key "hidden1"/)
    expect(() => networkFromJson({ '0.weight': 'abc' })).toThrow(/must be a matrix/)
    expect(() => networkFromJson({ layers: ['Linear', 'Dropout'], '0.weight': [[1]] })).toThrow(/layer 1 is "Dropout"/)
    expect(() => networkFromJson({ layers: ['ReLU'], '0.weight': [[1]] })).toThrow(/there is a "0.weight" but layer 0 is ReLU/)
    expect(() => networkFromJson([] as never)).toThrow(/expected an object/)
  })
})
