import { describe, expect, it } from 'vitest'
import { nn, tensor, zeros } from '../../src/index.js'
import { expectError } from '../expect-error.js'

/**
 * `.grad` assignments are checked as PyTorch checks them: backward() adds into `.grad` in place,
 * so one of another size or dtype gave silently wrong gradients (x of shape [3] with
 * `x.grad = zeros([2])` got [2, 2] from 2·x's backward; a float32 `.grad` on a float64 leaf stayed float32).
 * PyTorch: x.grad = torch.zeros(2) -> RuntimeError: assigned grad has data of a different size.
 */
describe('.grad and .requiresGrad assignments', () => {
  it('refuses a gradient of another shape or dtype, on tensors and parameters', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true })
    expectError(() => (x.grad = zeros([2])), 'grad: assigned a float32 gradient of shape [2] to a float32 tensor of shape [3]', ".to('float32')")
    expectError(() => (x.grad = zeros([3], { dtype: 'float64' })), 'float64 gradient of shape [3] to a float32 tensor of shape [3]')
    expectError(() => (x.grad = [0, 0, 0] as never), 'grad: .grad must be a Tensor or null, got an array')
    const p = new nn.Parameter(tensor([1, 2, 3]))
    expectError(() => (p.grad = zeros([3, 1])), 'gradient of shape [3, 1] to a float32 tensor of shape [3]')
    expect(x.grad).toBeNull()
    expect(p.grad).toBeNull()
  })

  it('requiresGrad takes a boolean only: a string would read as true', () => {
    // PyTorch: x.requires_grad = 'yes' -> TypeError; torch.tensor([1.], requires_grad=1) -> TypeError (must be bool).
    const x = tensor([1, 2])
    expectError(() => ((x as { requiresGrad: unknown }).requiresGrad = 'yes'), 'requiresGrad: must be true or false, got the string "yes" (tensor of shape [2])')
    expect(x.requiresGrad).toBe(false)
    expectError(() => tensor([1], { requiresGrad: 1 as never }), 'tensor: option requiresGrad must be a boolean, got 1')
    expectError(() => (tensor([1], { requiresGrad: true }).mul(2).requiresGrad = false), 'requiresGrad: can only be set on leaf tensors')
  })

  it('a valid .grad is accumulated into: d(2x)/dx = 2 added to 1', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true })
    x.grad = tensor([1, 1, 1])
    x.mul(2).sum().backward()
    expect(Array.from(x.grad.data)).toEqual([3, 3, 3])
    x.grad = null
    x.mul(2).sum().backward()
    expect(Array.from(x.grad!.data)).toEqual([2, 2, 2])
  })
})
