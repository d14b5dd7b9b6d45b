import { describe, expect, it } from 'vitest'
import { main, type CliIo } from '../src/cli.js'
import { F, nn, noGrad, optim, tensor } from '../src/index.js'
import { explain, seedExample } from '../src/explain.js'

/** Issue 11 §2.11 and §4: errors where yann was silent, and messages that misled. */
describe('errors that were missing or misleading', () => {
  it('a loss target that does not broadcast gets no TensorFlow remark; one that does keeps it', () => {
    expect(() => F.mseLoss(tensor([[1, 2], [3, 4], [5, 6], [7, 8]]), tensor([1, 2, 3, 4]))).toThrow(
      'mseLoss: target shape [4] differs from input shape [4, 2]; losses do not broadcast: reshape the target to [4, 2]',
    )
    expect(() => F.mseLoss(tensor([[1], [2]]), tensor([1, 2]))).toThrow('losses do not broadcast (TensorFlow would silently broadcast them to [2, 2]): reshape the target to [2, 1]')
  })

  it('nn.Linear given int32 input advises converting the input, to the weight dtype', () => {
    expect(() => new nn.Linear(2, 1).forward(tensor([[1, 2]], { dtype: 'int32' }))).toThrow(
      "linear: expected the input and the weight to have the same dtype, got int32 [1, 2] and float32 [1, 2]; convert the input with .to('float32')",
    )
  })

  it('crossEntropy refuses int32 logits', () => {
    expect(() => F.crossEntropy(tensor([[1, 2]], { dtype: 'int32' }), tensor([0], { dtype: 'int32' }))).toThrow(
      "crossEntropy: input must hold float scores, got int32 [1, 2]; convert it with .float()",
    )
  })

  it('a param group with { parameters } instead of { params } names the key', () => {
    const m = new nn.Linear(2, 1)
    expect(() => new optim.SGD([{ parameters: m.parameters(), lr: 0.1 }] as never, { lr: 0.1 })).toThrow(
      "SGD: parameter 0 is an object with keys 'parameters', 'lr'; a param group needs a 'params' key ({ params: [...], ...options }), not a Tensor",
    )
  })

  it("explain with an unknown loss name shows the value", () => {
    const s = seedExample()
    expect(() => explain(s.model, s.input, s.target, 'ce' as never)).toThrow(/explain: loss must be 'bce', 'mse', .* got the string "ce"$/)
  })

  it('yann explain --lr -1 is refused, as optim.SGD refuses it', async () => {
    let stderr = ''
    const io: CliIo = { stdout: () => {}, stderr: (t) => void (stderr += t), readFile: () => '' }
    expect(await main(['explain', '--lr', '-1'], io)).toBe(2)
    expect(stderr).toContain('--lr must be a non-negative number (optim.SGD refuses a negative learning rate), got -1')
  })

  it('noGrad refuses an async function, saying what to do instead', () => {
    expect(() => noGrad(async () => tensor([1]))).toThrow(/^noGrad: fn returned a promise \(an async function\), but grad mode comes back on at its first await/)
    expect(noGrad(() => 3)).toBe(3)
  })

  it('optimizer.step() after module.dispose() is an error, not a silent no-op', () => {
    const m = new nn.Linear(2, 1)
    const opt = new optim.SGD(m.parameters(), { lr: 0.1 })
    F.mseLoss(m.forward(tensor([[1, 2]])), tensor([[0]])).backward()
    m.dispose()
    expect(() => opt.step()).toThrow('SGD.step: parameter 0 of param group 0 [1, 2] was disposed (module.dispose()) or replaced (module.to(dtype)); make the optimiser from the module\'s parameters as they are now')
  })
})
