import { describe, expect, it } from 'vitest'
import { main as explainSeed } from '../../examples/explain-seed.js'
import { roundingAsZero } from './rounding.js'
import { explain, formatExplanation, seedExample } from '../../src/explain.js'

/**
 * The seed network's walk-through, as `yann explain` prints it. The snapshots were read by hand
 * against the seed before they were committed: the forward pass (a₁ = [0.5740, 0.7480, 0.6495],
 * a₂ = [0.7730, 0.7730], E = 0.8701), the gradients (grad W2 [[-0.0652, -0.0849, -0.0737],
 * [0.2218, 0.2891, 0.2510]], grad b2 [-0.1135, 0.3865], grad W1 [[0.0032, 0.0113, 0.0065],
 * [0.0555, 0.1977, 0.1133], [0.0518, 0.1846, 0.1058]], grad b1 [0.0138, 0.2411, 0.2251]) and the
 * updated weights after SGD with lr 0.01 are the seed's PyTorch printout, digit for digit.
 */
describe('the seed walk-through', () => {
  const { model, input, target, loss } = seedExample()
  const e = explain(model, input, target, loss)

  it('as text', async () => {
    await expect(formatExplanation(e)).toMatchFileSnapshot('./__snapshots__/seed-walkthrough.txt')
  })

  it('as Markdown with LaTeX', async () => {
    await expect(formatExplanation(e, { format: 'markdown' })).toMatchFileSnapshot('./__snapshots__/seed-walkthrough.md')
  })

  it("prints the seed's step titles and every factor with its shape", () => {
    const text = formatExplanation(e)
    for (const line of [
      '3.1 Forward Pass',
      '3.2.1 Hidden Layer 2 Weight Gradient',
      '3.2.2 Layer 1 Weight Gradient',
      '3.3 SGD Update (lr 0.01)',
      '∂E/∂W₂ = J_a₂(E) · J_z₂(σ₂) · J_W₂(L₂)',
      '∂E/∂W₁ = J_a₂(E) · J_z₂(σ₂) · J_a₁(L₂) · J_z₁(relu₁) · J_W₁(L₁)',
      'J_W₁(L₁) (at x, 3×9) =',
      "This matches autograd's 0.weight.grad",
    ]) {
      expect(text).toContain(line)
    }
    const md = formatExplanation(e, { format: 'markdown' })
    expect(md).toContain('$$J_{W_{2}}(\\mathcal{L}_{2})\\big[\\vec{a}_{1}\\big] = \\left[\\begin{array}{rrrrrr}')
    expect(md).toContain('#### 3.2.2 Layer 1 Weight Gradient')
  })

  it('prints 4 to 6 decimals on request, and elides large matrices', () => {
    expect(formatExplanation(e, { decimals: 6 })).toContain('[[-0.065155, -0.084906, -0.073726],')
    const small = formatExplanation(e, { maxSize: 4 })
    expect(small).toContain('[[0.2300, 0.8200, ..., 0.0000, 0.0000],')
    expect(formatExplanation(e, { maxSize: 4, format: 'markdown' })).toContain('0.2300 & 0.8200 & \\cdots & 0.0000 & 0.0000')
  })

  it('examples/explain-seed.ts prints the same walk-through', async () => {
    let text = ''
    explainSeed((s) => void (text += `${s}\n`))
    await expect(roundingAsZero(text)).toMatchFileSnapshot('./__snapshots__/seed-walkthrough.txt')
  })

  it('refuses bad options', () => {
    expect(() => formatExplanation(e, { format: 'html' as never })).toThrow(/format must be 'text' or 'markdown'/)
    expect(() => formatExplanation(e, { decimals: 0 })).toThrow(/decimals must be an integer from 1 to 12/)
    expect(() => formatExplanation(e, { maxSize: 1 })).toThrow(/maxSize/)
  })
})
