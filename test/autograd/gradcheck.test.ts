import { describe, expect, it } from 'vitest'
import { record } from '../../src/autograd/engine.js'
import { gradcheck, nn, tensor, Tensor, zeros } from '../../src/index.js'

const f64 = (data: any) => tensor(data, { dtype: 'float64', requiresGrad: true })

/** x ↦ x³ with a backward that is deliberately wrong: 2x² instead of 3x². */
const wrongCube = (x: Tensor) => record(x.detach().pow(3), 'WrongCubeBackward0', [x], (g) => [g.mul(x.detach().pow(2)).mul(2)])

describe('gradcheck', () => {
  it('returns true for a correct gradient', () => {
    expect(gradcheck((x, y) => x.mul(y).tanh(), [f64([0.3, -0.2]), f64([1.5, 0.7])])).toBe(true)
  })

  it('throws naming the op, the input and output index, analytic vs numerical', () => {
    const x = f64([1, 2, 0.5])
    // The worst entry is x = 2: analytic 2·4 = 8, numerical 3·4 = 12.
    expect(() => gradcheck(wrongCube, [x])).toThrow(
      /gradcheck: the analytic gradient of WrongCubeBackward0 differs from the numerical one for input 0 \(shape \[3\]\): worst at output index \[1\], input index \[1\]: analytic 8 vs numerical 12\.0000\d*.*3 of 9 Jacobian entries differ/,
    )
  })

  it('reports the worst entry of the second input with multi-dim indices', () => {
    const f = (a: Tensor, b: Tensor) => a.add(wrongCube(b))
    expect(() => gradcheck(f, [f64([[0.1, 0.2]]), f64([[1, -3]])])).toThrow(/input 1 \(shape \[1, 2\]\): worst at output index \[0, 1\], input index \[0, 1\]: analytic 18 vs numerical 27/)
  })

  it('leaves the inputs as they were', () => {
    const x = f64([0.1, 0.2, 0.3])
    gradcheck((x) => x.exp().sum(), x)
    expect(Array.from(x.data)).toEqual([0.1, 0.2, 0.3])
    expect(x.grad).toBeNull()
    expect(() => gradcheck(wrongCube, x)).toThrow()
    expect(Array.from(x.data)).toEqual([0.1, 0.2, 0.3])
  })

  it('perturbs a Parameter through a fresh view when f grows wasm memory (no stale view)', () => {
    // On wasm a Parameter's data is a view of wasm memory, detached when the memory grows: gradcheck
    // kept one view per input, so after f grew the memory its writes of x − eps and of x went nowhere,
    // giving numerical 0 (a false failure) and leaving the parameter at x + eps.
    const p = new nn.Parameter(tensor([0.5], { dtype: 'float64' }))
    const grow = (x: Tensor): Tensor => {
      const buffer = p.data.buffer
      const blocks: nn.Parameter[] = []
      for (let k = 0; k < 8 && p.data.buffer === buffer; k++) blocks.push(new nn.Parameter(zeros([1 << 20], { dtype: 'float64' })))
      blocks.forEach((b) => b.dispose())
      return x.sin()
    }
    expect(gradcheck(grow, p)).toBe(true)
    expect(Array.from(p.data)).toEqual([0.5])
  })

  it('passes for an f that returns a view of its input (reshape shares the data)', () => {
    // The output of f at x + eps was read after x − eps was written: through reshape's shared
    // data both were f(x − eps), so the numerical Jacobian was 0 and gradcheck failed.
    expect(gradcheck((x) => x.reshape([3, 2]), f64([[1, 2, 3], [4, 5, 6]]))).toBe(true)
    expect(gradcheck((x) => x.reshape([6]).unflatten(0, [2, 3]), f64([[1, 2, 3], [4, 5, 6]]))).toBe(true)
  })

  it('honours eps, atol and rtol', () => {
    // Relative error of wrongCube is 1/3: an rtol of 0.4 lets it through.
    expect(gradcheck(wrongCube, f64([1, 2]), { rtol: 0.4, atol: 0 })).toBe(true)
    expect(gradcheck((x) => x.pow(2), f64([1, 2]), { eps: 1e-3 })).toBe(true)
  })

  it('refuses float32 inputs, explaining why', () => {
    expect(() => gradcheck((x) => x.exp(), tensor([1, 2], { requiresGrad: true }))).toThrow(
      /gradcheck: input 0 \(shape \[2\]\) is float32, but finite differences need float64: .*rounding error.*\.double\(\)/,
    )
  })

  it('refuses inputs that do not require grad', () => {
    expect(() => gradcheck((x) => x.exp(), tensor([1, 2], { dtype: 'float64' }))).toThrow(/gradcheck: input 0 \(shape \[2\]\) does not require grad/)
  })

  it('refuses a float32 output', () => {
    expect(() => gradcheck((x) => x.float(), f64([1, 2]))).toThrow(/gradcheck: f returned a float32 tensor/)
  })
})
