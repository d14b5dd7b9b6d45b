/**
 * The seed example (shared/seed/yann-backprop-example.txt §2): a 3-3-2 network, one forward
 * pass, BCE loss, backward, one SGD step with lr 0.01. Plain JS that imports nothing: every
 * runtime's harness imports the built package its own way and passes the module in, then
 * prints the returned plain object as JSON for seed-expected.js to check.
 *
 * @param {typeof import('yann')} yann the package's module namespace (or its CommonJS exports)
 */
export function runSeed(yann) {
  const { tensor, noGrad, F, getBackend } = yann
  const input = tensor([0.23, 0.82, 0.47])
  const label = tensor([1, 0])

  const w1 = tensor([[0.1, 0.5, 0.3], [0.7, 0.2, 0.9], [0.4, 0.25, 0.75]], { requiresGrad: true })
  const b1 = tensor([0, 0, 0], { requiresGrad: true })
  const w2 = tensor([[0.9, 0.6, 0.4], [0.3, 0.8, 0.7]], { requiresGrad: true })
  const b2 = tensor([0, 0], { requiresGrad: true })

  const a1 = w1.matmul(input).add(b1).relu()
  const a2 = w2.matmul(a1).add(b2).sigmoid()
  const loss = F.binaryCrossEntropy(a2, label)
  loss.backward()

  const params = { w1, b1, w2, b2 }
  const grads = {}
  for (const [name, p] of Object.entries(params)) grads[name] = p.grad.toArray()

  // Plain SGD, p ← p − lr·∇p, outside the graph (as torch.optim.SGD does under no_grad).
  const updated = noGrad(() => {
    const out = {}
    for (const [name, p] of Object.entries(params)) out[name] = p.sub(p.grad.mul(0.01))
    return out
  })

  return {
    backend: getBackend(),
    a1: a1.toArray(),
    a2: a2.toArray(),
    loss: loss.item(),
    grad: grads,
    updated: Object.fromEntries(Object.entries(updated).map(([name, t]) => [name, t.toArray()])),
    updatedRequiresGrad: Object.values(updated).some((t) => t.requiresGrad),
  }
}
