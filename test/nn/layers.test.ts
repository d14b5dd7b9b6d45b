import { describe, expect, it } from 'vitest'
import { F, nn, tensor, type Tensor } from '../../src/index.js'

const f64 = (x: number[] | number[][]): Tensor => tensor(x, { dtype: 'float64' })
const values = (t: Tensor): number[] => Array.from(t.data)

describe('activation modules', () => {
  const x = f64([-2, 0, 0.5, 3])

  it('ReLU, Sigmoid and Tanh apply their function with PyTorch\'s grad_fn', () => {
    const r = new nn.ReLU().forward(x)
    expect(values(r)).toEqual([0, 0, 0.5, 3])
    expect(values(new nn.Sigmoid().forward(x))).toEqual([-2, 0, 0.5, 3].map((v) => 1 / (1 + Math.exp(-v))))
    expect(values(new nn.Tanh().forward(x))).toEqual([-2, 0, 0.5, 3].map(Math.tanh))
    const leaf = f64([-1, 2])
    leaf.requiresGrad = true
    expect(new nn.ReLU().forward(leaf).gradFn?.name).toBe('ReluBackward0')
    expect(new nn.Sigmoid().forward(leaf).gradFn?.name).toBe('SigmoidBackward0')
    expect(new nn.Tanh().forward(leaf).gradFn?.name).toBe('TanhBackward0')
  })

  it('Softmax and LogSoftmax work along their dim', () => {
    const m = f64([
      [1, 2, 3],
      [0, 0, 0],
    ])
    const s = new nn.Softmax(1).forward(m)
    const e = [1, 2, 3].map(Math.exp)
    const z = e[0] + e[1] + e[2]
    expect(values(s).slice(0, 3).map((v, i) => v - e[i] / z).every((d) => Math.abs(d) < 1e-15)).toBe(true)
    expect(values(s).slice(3)).toEqual([1 / 3, 1 / 3, 1 / 3])
    const cols = new nn.Softmax(0).forward(m)
    expect(Math.abs(values(cols)[0] + values(cols)[3] - 1)).toBeLessThan(1e-15)
    const ls = new nn.LogSoftmax(-1).forward(m)
    values(ls).forEach((v, i) => expect(Math.abs(v - Math.log(values(s)[i]))).toBeLessThan(1e-14))
    expect(() => new nn.Softmax(undefined as unknown as number)).toThrow('Softmax: dim must be an integer')
  })
})

describe('nn.Sequential', () => {
  it('chains forward through its modules', () => {
    const a = new nn.Linear(2, 2, { dtype: 'float64' })
    a.weight.data.set([1, -1, 2, 0])
    a.bias!.data.set([0, -5])
    const seq = new nn.Sequential(a, new nn.ReLU())
    // [1·3 − 1·1 + 0, 2·3 + 0 − 5] = [2, 1] → ReLU → [2, 1]; [−2, −11] → [0, 0]
    expect(values(seq.forward(f64([3, 1])))).toEqual([2, 1])
    expect(values(seq.forward(f64([-1, 1])))).toEqual([0, 0])
  })

  it('indexes, counts, iterates and appends like PyTorch\'s', () => {
    const relu = new nn.ReLU()
    const seq = new nn.Sequential(new nn.Linear(2, 3), relu)
    expect(seq.length).toBe(2)
    expect(seq.at(1)).toBe(relu)
    expect(seq.at(-1)).toBe(relu)
    expect(() => seq.at(2)).toThrow('Sequential.at: index 2 is out of range for a Sequential of 2 modules')
    seq.append(new nn.Linear(3, 1))
    expect([...seq].map((m) => m.constructor.name)).toEqual(['Linear', 'ReLU', 'Linear'])
    expect(Object.keys(seq.stateDict())).toEqual(['0.weight', '0.bias', '2.weight', '2.bias'])
    expect(seq.forward(tensor([1, 2])).shape).toEqual([1])
  })

  it('takes named modules like PyTorch\'s OrderedDict form', () => {
    const seq = new nn.Sequential({ hidden: new nn.Linear(3, 2), act: new nn.Sigmoid() })
    expect(Object.keys(seq.stateDict())).toEqual(['hidden.weight', 'hidden.bias'])
    expect(String(seq)).toBe('Sequential(\n  (hidden): Linear(in_features=3, out_features=2, bias=True)\n  (act): Sigmoid()\n)')
  })

  it('runs a module replaced through registerModule', () => {
    const seq = new nn.Sequential(new nn.ReLU())
    expect(values(seq.forward(f64([-1])))).toEqual([0])
    seq.registerModule('0', new nn.Tanh()) // after a forward: the list of modules it read is made anew
    expect(values(seq.forward(f64([-1])))).toEqual([Math.tanh(-1)])
    seq.append(new nn.ReLU())
    expect(seq.length).toBe(2)
    expect(values(seq.forward(f64([-1])))).toEqual([0])
  })

  it('says when given a class instead of an instance', () => {
    expect(() => new nn.Sequential(nn.ReLU as unknown as nn.Layer)).toThrow(
      'Sequential: argument 0 is function, not an nn.Module (did you pass the class instead of an instance, e.g. nn.ReLU instead of new nn.ReLU()?)',
    )
  })
})

describe('loss modules', () => {
  const input = f64([
    [0.2, 0.9],
    [0.6, 0.4],
  ])
  const target = f64([
    [0, 1],
    [1, 0],
  ])

  it('BCELoss is F.binaryCrossEntropy: −mean(t·log x + (1 − t)·log(1 − x))', () => {
    const want = -(Math.log(0.8) + Math.log(0.9) + Math.log(0.6) + Math.log(0.6)) / 4
    expect(Math.abs(new nn.BCELoss().forward(input, target).item() - want)).toBeLessThan(1e-15)
    const probs = input.detach()
    probs.requiresGrad = true
    expect(new nn.BCELoss().forward(probs, target).gradFn?.name).toBe('BinaryCrossEntropyBackward0')
    const sum = new nn.BCELoss({ reduction: 'sum' }).forward(input, target).item()
    expect(Math.abs(sum - 4 * want)).toBeLessThan(1e-14)
    expect(new nn.BCELoss({ reduction: 'none' }).forward(input, target).shape).toEqual([2, 2])
  })

  it('BCELoss and BCEWithLogitsLoss apply their weight buffer', () => {
    const w = f64([2, 0.5])
    const weighted = new nn.BCELoss({ weight: w }).forward(input, target).item()
    expect(weighted).toBe(F.binaryCrossEntropy(input, target, { weight: w }).item())
    const want = -(2 * Math.log(0.8) + 0.5 * Math.log(0.9) + 2 * Math.log(0.6) + 0.5 * Math.log(0.6)) / 4
    expect(Math.abs(weighted - want)).toBeLessThan(1e-15)
    const logits = f64([
      [1, -2],
      [0.5, 3],
    ])
    const bce = new nn.BCEWithLogitsLoss({ weight: w, reduction: 'sum' })
    expect(bce.forward(logits, target).item()).toBe(F.binaryCrossEntropyWithLogits(logits, target, { weight: w, reduction: 'sum' }).item())
  })

  it('MSELoss is mean((x − t)²)', () => {
    expect(new nn.MSELoss().forward(f64([1, 2]), f64([0, 4])).item()).toBe((1 + 4) / 2)
    expect(new nn.MSELoss({ reduction: 'sum' }).forward(f64([1, 2]), f64([0, 4])).item()).toBe(5)
  })

  it('CrossEntropyLoss takes int32 class indices (or probabilities) and an optional class weight', () => {
    const scores = f64([
      [1, 2, 3],
      [1, 1, 1],
    ])
    const classes = tensor([2, 0], { dtype: 'int32' })
    const lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3))
    const want = ((lse - 3) + Math.log(3)) / 2
    expect(Math.abs(new nn.CrossEntropyLoss().forward(scores, classes).item() - want)).toBeLessThan(1e-15)
    const w = f64([1, 1, 3])
    // Weighted mean divides by the targets' summed weights (3 + 1), as in PyTorch.
    const weighted = new nn.CrossEntropyLoss({ weight: w }).forward(scores, classes).item()
    expect(Math.abs(weighted - (3 * (lse - 3) + Math.log(3)) / 4)).toBeLessThan(1e-15)
  })

  it('reject a bad reduction, an unknown option and a target of another shape', () => {
    expect(() => new nn.MSELoss({ reduction: 'avg' as 'mean' })).toThrow("MSELoss: reduction must be 'mean', 'sum' or 'none', got \"avg\"")
    expect(() => new nn.BCEWithLogitsLoss({ pos_weight: f64([1]) } as object)).toThrow("BCEWithLogitsLoss: unknown option 'pos_weight'")
    expect(() => new nn.BCELoss().forward(f64([0.5, 0.5]), f64([[1], [0]]))).toThrow(
      'binaryCrossEntropy: target shape [2, 1] differs from input shape [2]; losses do not broadcast',
    )
  })
})
