import { Tensor } from '../../src/index.js'
import { mulberry32 } from '../rng.js'

/** A tensor of seeded values in [-1, 1) that requires grad: an input to differentiate. */
export function randomLeaf(shape: number[], seed: number, dtype: 'float32' | 'float64' = 'float64'): Tensor {
  const r = mulberry32(seed)
  const n = shape.reduce((a, b) => a * b, 1)
  const data = dtype === 'float64' ? new Float64Array(n) : new Float32Array(n)
  for (let i = 0; i < n; i++) data[i] = 2 * r() - 1
  const t = new Tensor(data, shape)
  t.requiresGrad = true
  return t
}
