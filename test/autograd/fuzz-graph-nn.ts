import { F, Tensor, tensor } from '../../src/index.js'

/**
 * The nn-level ops of the autograd fuzz (fuzz-graph.ts): linear and embedding (whose backward may
 * write a Parameter's gradient straight into its buffer), convolution, pooling, normalisation,
 * attention, losses, masks. Each takes pool entries that fit (or returns null); random choices
 * are drawn here, never inside `run` (the program must rerun identically).
 */

type Rng = () => number
/** An op on pool entries; `frozen`: its value at the first run (a constant branch); `consts`: the tensors it captured (indices, masks, targets). */
export type Step = { name: string; run: (pool: Tensor[]) => Tensor[]; frozen?: Tensor[]; consts?: Tensor[] }

export const int = (r: Rng, n: number): number => Math.floor(r() * n)
/** `b` in `a`'s dtype: cat, stack, matmul refuse mixed dtypes (cat promotes in PyTorch); gradients flow through the cast. */
export const like = (b: Tensor, a: Tensor): Tensor => (b.dtype === a.dtype ? b : b.to(a.dtype))
const indicesOf = (pool: Tensor[], fits: (t: Tensor) => boolean): number[] => pool.map((_, j) => j).filter((j) => fits(pool[j]))

export function nnStep(r: Rng, pool: Tensor[], i: number): Step | null {
  const x = pool[i]
  const nd = x.ndim
  const last = nd === 0 ? 0 : x.shape[nd - 1]
  const n = x.numel()
  switch (int(r, 10)) {
    case 0: {
      // linear: a 2-d weight [out, last] and maybe a bias [out] from the pool.
      if (nd === 0) return null
      const ws = indicesOf(pool, (t) => t.ndim === 2 && t.shape[1] === last)
      if (ws.length === 0) return null
      const w = ws[int(r, ws.length)]
      const bs = indicesOf(pool, (t) => t.ndim === 1 && t.shape[0] === pool[w].shape[0])
      const b = bs.length > 0 && r() < 0.7 ? bs[int(r, bs.length)] : -1
      return { name: 'linear', run: (p) => [F.linear(p[i], like(p[w], p[i]), b < 0 ? null : like(p[b], p[i]))] }
    }
    case 1: {
      // embedding: x as the table [rows, dim], repeated indices (their gradients add up).
      if (nd !== 2) return null
      const idx = tensor(Array.from({ length: 1 + int(r, 5) }, () => int(r, x.shape[0])), { dtype: 'int32' })
      return { name: 'embedding', run: (p) => [F.embedding(idx, p[i])], consts: [idx] }
    }
    case 2: {
      // conv1d of x as one signal with another pool entry as the kernel.
      const ks = indicesOf(pool, (t) => t.numel() <= n && t.numel() <= 3)
      if (ks.length === 0) return null
      const k = ks[int(r, ks.length)]
      const padding = int(r, 2)
      return { name: 'conv1d', run: (p) => [F.conv1d(p[i].reshape([1, 1, n]), like(p[k], p[i]).reshape([1, 1, p[k].numel()]), null, { padding })] }
    }
    case 3:
      return n < 2 ? null : { name: 'avgPool1d', run: (p) => [F.avgPool1d(p[i].reshape([1, 1, n]), 2)] }
    case 4: {
      if (nd === 0) return null
      const eps = 1e-5
      return { name: 'layerNorm', run: (p) => [F.layerNorm(p[i], [last], null, null, { eps })] }
    }
    case 5: {
      if (nd < 2 || nd > 3) return null
      return { name: 'attention', run: (p) => [F.scaledDotProductAttention(p[i], p[i].sin(), p[i].cos())] }
    }
    case 6: {
      const target = randomFloats(r, x.shape, 0, 1)
      const loss = [
        ['mseLoss', (t: Tensor) => F.mseLoss(t, like(target, t))],
        ['bceWithLogits', (t: Tensor) => F.binaryCrossEntropyWithLogits(t, like(target, t))],
        ['softplus', (t: Tensor) => F.softplus(t)],
        ['silu', (t: Tensor) => F.silu(t)],
        ['gelu', (t: Tensor) => F.gelu(t)],
        ['logSigmoid', (t: Tensor) => F.logSigmoid(t)],
      ] as const
      const [name, f] = loss[int(r, loss.length)]
      return { name, run: (p) => [f(p[i])], consts: [target] }
    }
    case 7: {
      if (nd !== 2) return null
      const target = tensor(Array.from({ length: x.shape[0] }, () => int(r, x.shape[1])), { dtype: 'int32' })
      return { name: 'crossEntropy', run: (p) => [F.crossEntropy(p[i], target)], consts: [target] }
    }
    case 8: {
      const mask = randomFloats(r, x.shape, -1, 1).gt(0)
      return { name: 'maskedFill', run: (p) => [p[i].maskedFill(mask, 0.5)], consts: [mask] }
    }
    case 9: {
      if (nd === 0) return null
      const before = int(r, 3)
      return { name: 'pad', run: (p) => [F.pad(p[i], [before, 1], { value: 0.25 })] }
    }
  }
  return null
}

function randomFloats(r: Rng, shape: readonly number[], lo: number, hi: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1)
  return tensor(Array.from({ length: n }, () => lo + (hi - lo) * r()), { dtype: 'float64' }).reshape([...shape])
}
