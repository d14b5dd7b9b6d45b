import { checkOptionKeys } from '../options.js'
import { formatShape, normalizeDim } from '../shape.js'
import type { Tensor } from '../tensor.js'
import { requireFloatTensor } from './operands.js'

export interface CosineSimilarityOptions {
  /** The dim along which the vectors lie (default 1). */
  dim?: number
  /** Floor of each norm, against division by zero (default 1e-8). */
  eps?: number
}

export interface NormalizeOptions {
  /** The exponent of the norm (default 2); any finite p > 0. */
  p?: number
  /** The dim along which the vectors lie (default 1). */
  dim?: number
  /** Floor of the norm, against division by zero (default 1e-12). */
  eps?: number
}

function checkPositive(op: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !(v > 0)) throw new RangeError(`${op}: ${name} must be a number > 0, got ${String(v)}`)
  return v
}

/**
 * max(‖x‖_p, eps) along `dim`, kept as size 1. For p = 2 the floor also goes under the sqrt
 * (max(√s, eps) = √max(s, eps²)): a zero vector's gradient is then finite, as PyTorch's
 * norm backward gives, where √0's infinite slope times the clamp's zero was NaN.
 */
function flooredNorm(x: Tensor, p: number, dim: number, eps: number): Tensor {
  if (p === 2) return x.mul(x).sum(dim, true).clamp(eps * eps).sqrt().clamp(eps)
  if (p === 1) return x.abs().sum(dim, true).clamp(eps)
  if (p === Infinity) return x.abs().amax(dim, { keepdim: true }).clamp(eps)
  return x.abs().pow(p).sum(dim, true).pow(1 / p).clamp(eps)
}

/**
 * Cosine of the angle between a and b along `dim`, as torch.nn.functional.cosine_similarity
 * (PyTorch 2's formula): Σ (a / max(‖a‖, eps))·(b / max(‖b‖, eps)). a and b broadcast; the
 * result has their broadcast shape without `dim`.
 */
export function cosineSimilarity(a: Tensor, b: Tensor, options: CosineSimilarityOptions = {}): Tensor {
  const op = 'cosineSimilarity'
  checkOptionKeys(op, options, ['dim', 'eps'])
  requireFloatTensor(op, 'x1', a)
  requireFloatTensor(op, 'x2', b)
  const eps = checkPositive(op, 'eps', options.eps ?? 1e-8)
  const ndim = Math.max(a.ndim, b.ndim)
  const dim = normalizeDim(op, options.dim ?? 1, ndim, a.ndim >= b.ndim ? a.shape : b.shape)
  // Align ranks so that `dim` means the same axis in both.
  const lift = (t: Tensor): Tensor => (t.ndim === ndim ? t : t.reshape([...Array(ndim - t.ndim).fill(1), ...t.shape]))
  const x1 = lift(a)
  const x2 = lift(b)
  if (x1.shape[dim] !== x2.shape[dim] && x1.shape[dim] !== 1 && x2.shape[dim] !== 1) {
    throw new Error(`${op}: x1 ${formatShape(a.shape)} and x2 ${formatShape(b.shape)} differ along dim ${dim}; the vectors must have one length`)
  }
  const u1 = x1.div(flooredNorm(x1, 2, dim, eps))
  const u2 = x2.div(flooredNorm(x2, 2, dim, eps))
  return u1.mul(u2).sum(dim)
}

/** x / max(‖x‖_p, eps) along `dim`, as torch.nn.functional.normalize: unit vectors along dim. */
export function normalize(x: Tensor, options: NormalizeOptions = {}): Tensor {
  const op = 'normalize'
  checkOptionKeys(op, options, ['p', 'dim', 'eps'])
  requireFloatTensor(op, 'input', x)
  const p = checkPositive(op, 'p', options.p ?? 2)
  const eps = checkPositive(op, 'eps', options.eps ?? 1e-12)
  const dim = normalizeDim(op, options.dim ?? 1, x.ndim, x.shape)
  return x.div(flooredNorm(x, p, dim, eps))
}
