import { describe, expect, it } from 'vitest'
import { F, nn, tensor } from '../../src/index.js'

/** The activation modules: PyTorch's constructor forms, repr, and option errors (their math: test/ops/table.test.ts, elementwise2.test.ts). */

const x = tensor([-2, -0.5, 0, 0.5, 3])
const values = (t: { data: ArrayLike<number> }) => Array.from(t.data)

describe('activation modules', () => {
  it('compute their F function', () => {
    const cases: [nn.Module, (t: typeof x) => typeof x][] = [
      [new nn.SiLU(), F.silu],
      [new nn.Mish(), F.mish],
      [new nn.LogSigmoid(), F.logSigmoid],
      [new nn.Softsign(), F.softsign],
      [new nn.ReLU6(), F.relu6],
      [new nn.LeakyReLU(0.2), (t) => F.leakyRelu(t, { negativeSlope: 0.2 })],
      [new nn.ELU({ alpha: 0.5 }), (t) => F.elu(t, { alpha: 0.5 })],
      [new nn.GELU('tanh'), (t) => F.gelu(t, { approximate: 'tanh' })],
      [new nn.Softplus({ beta: 2, threshold: 1 }), (t) => F.softplus(t, { beta: 2, threshold: 1 })],
      [new nn.Hardtanh(-1, 2), (t) => F.hardtanh(t, { minVal: -1, maxVal: 2 })],
    ]
    for (const [m, f] of cases) expect(values(m.forward(x))).toEqual(values(f(x)))
  })

  it('take the first option positionally or in an options object, as PyTorch users write them', () => {
    expect(new nn.LeakyReLU(0.2).negativeSlope).toBe(0.2)
    expect(new nn.LeakyReLU({ negativeSlope: 0.3 }).negativeSlope).toBe(0.3)
    expect(new nn.LeakyReLU().negativeSlope).toBe(0.01)
    expect(new nn.ELU(1.0).alpha).toBe(1)
    expect(new nn.GELU('tanh').approximate).toBe('tanh')
    expect(new nn.GELU().approximate).toBe('none')
    expect(String(new nn.LeakyReLU(0.2))).toBe('LeakyReLU(negative_slope=0.2)')
    expect(String(new nn.GELU('tanh'))).toBe("GELU(approximate='tanh')")
    expect(String(new nn.Hardtanh())).toBe('Hardtanh(min_val=-1, max_val=1)')
  })

  it('hardtanh and relu6: gradient 0 at exactly minVal and maxVal (PyTorch masks x > min && x < max)', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const a = tensor([-2, -1, -0.5, 1, 2, 3], { dtype, requiresGrad: true })
      const y = F.hardtanh(a, { minVal: -1, maxVal: 2 })
      expect(y.gradFn?.name).toBe('HardtanhBackward0')
      y.sum().backward()
      expect(values(a.grad!)).toEqual([0, 0, 1, 1, 0, 0])
      const r = tensor([-1, 0, 3, 6, 7], { dtype, requiresGrad: true })
      F.relu6(r).sum().backward()
      expect(values(r.grad!)).toEqual([0, 0, 1, 0, 0])
    }
  })

  it('known values: leakyRelu, elu, relu6, hardtanh, softplus threshold', () => {
    expect(values(F.leakyRelu(x, { negativeSlope: 0.1 }))).toEqual([-0.2, -0.05, 0, 0.5, 3].map(Math.fround))
    expect(values(F.relu6(tensor([-1, 3, 7])))).toEqual([0, 3, 6])
    expect(values(F.hardtanh(tensor([-3, 0.25, 3])))).toEqual([-1, 0.25, 1])
    // βx > threshold gives x itself: 3 with beta 1, threshold 2.
    expect(values(F.softplus(tensor([3]), { threshold: 2 }))).toEqual([3])
    expect(F.elu(tensor([-1])).data[0]).toBeCloseTo(Math.expm1(-1), 6)
    expect(F.gelu(tensor([1])).data[0]).toBeCloseTo(0.8413447460685429, 6)
  })

  it('softplus at ±inf and its gradient at 0 (NaN at ±inf and a gradient of 0 at 0 before)', () => {
    // torch: F.softplus([-inf, 0, inf]) = [0, log 2, inf]; its gradient is sigmoid(βx): [0, 0.5, 1]
    for (const dtype of ['float32', 'float64'] as const) {
      const a = tensor([-Infinity, 0, Infinity], { dtype, requiresGrad: true })
      const y = F.softplus(a)
      expect(values(y)).toEqual([0, expect.closeTo(Math.LN2, 6), Infinity])
      y.sum().backward()
      expect(values(a.grad!)).toEqual([0, 0.5, 1])
    }
    // logSigmoid(x) = −softplus(−x): [−inf, −log 2, 0] at [−inf, 0, inf]
    expect(values(F.logSigmoid(tensor([-Infinity, 0, Infinity])))).toEqual([-Infinity, expect.closeTo(-Math.LN2, 6), -0])
  })
  it('Hardtanh with maxVal not above minVal (PyTorch asserts max_val > min_val)', () => {
    expect(() => new nn.Hardtanh(2, -2)).toThrow(/^Hardtanh: maxVal must be greater than minVal.*minVal 2 and maxVal -2/)
  })

  it('reject unknown options and bad values, naming them', () => {
    expect(() => new nn.LeakyReLU({ negative_slope: 0.2 } as never)).toThrow(/unknown option 'negative_slope'; did you mean negativeSlope/)
    expect(() => F.elu(x, { alfa: 1 } as never)).toThrow(/elu: unknown option 'alfa'/)
    expect(() => new nn.GELU('exact' as never)).toThrow(/GELU: .*'none' or 'tanh'|GELU: expected/)
    expect(() => F.gelu(x, { approximate: 'erf' as never })).toThrow(/gelu: approximate must be 'none' or 'tanh', got erf/)
  })
})
