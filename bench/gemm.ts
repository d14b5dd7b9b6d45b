/**
 * Suite 1: float32 GEMM, square n × n, variants A·B, A·Bᵀ, Aᵀ·B, in GFLOP/s (2n³ / time).
 *
 * yann through its public API, as a user writes each product on ordinary (JS-memory) tensors:
 *   A·B   matmul(a, b)
 *   A·Bᵀ  F.linear(a, b): y = x·Wᵀ, the one public op that reaches the kernel's transB path
 *   Aᵀ·B  matmul(a.T, b): there is no public transA path, so this pays a transposed copy
 * These include staging a and b into the wasm arena and the result out of it.
 * yann's raw kernel: backend.gemm with transA/transB on arrays that already live in wasm memory
 * (as parameters do), so no staging: the number to set beside TF.js's resident tensors.
 * TF.js: tf.matMul(a, b, transposeA, transposeB) on tensors resident in its backend (not read back).
 */
import * as yann from '../src/index.js'
import { allocFloat, wasmOnlyBackend } from '../src/backend/wasm/index.js'
import type { Case } from './lib/measure.js'
import { loadTf, useTf } from './lib/tfjs.js'
import type { Suite } from './lib/suite.js'

export const VARIANTS = [
  { name: 'A·B', transA: false, transB: false },
  { name: 'A·Bᵀ', transA: false, transB: true },
  { name: 'Aᵀ·B', transA: true, transB: false },
] as const

export type Variant = (typeof VARIANTS)[number]['name']

function randomFloats(len: number): Float32Array {
  const a = new Float32Array(len)
  for (let i = 0; i < len; i++) a[i] = Math.random() * 2 - 1
  return a
}

export async function gemmCases(n: number, v: (typeof VARIANTS)[number], withTs: boolean): Promise<Case[]> {
  const tf = await loadTf()
  const flops = 2 * n ** 3
  const a = yann.tensor(randomFloats(n * n)).reshape(n, n)
  const b = yann.tensor(randomFloats(n * n)).reshape(n, n)
  const publicOp = (): void => {
    if (v.transA) yann.matmul(a.T, b)
    else if (v.transB) yann.F.linear(a, b)
    else yann.matmul(a, b)
  }
  const yannCase = (backend: 'wasm' | 'ts'): Case => ({
    name: `yann-${backend}`,
    before: () => yann.setBackend(backend),
    fn: publicOp,
    work: flops,
  })
  // The raw kernel on operands resident in wasm memory.
  const wa = allocFloat('float32', n * n)
  const wb = allocFloat('float32', n * n)
  const wo = allocFloat('float32', n * n)
  wa.view().set(a.data)
  wb.view().set(b.data)
  const kernel: Case = {
    name: 'yann-wasm kernel',
    fn: () => wasmOnlyBackend.gemm(wa.view(), wb.view(), wo.view(), { m: n, n, k: n, transA: v.transA, transB: v.transB }),
    work: flops,
  }
  const tfCase = (backend: 'wasm' | 'cpu'): Case => {
    useTf(tf, backend)
    const ta = tf.tensor2d(a.data as Float32Array, [n, n])
    const tb = tf.tensor2d(b.data as Float32Array, [n, n])
    return {
      name: `tfjs-${backend}`,
      before: () => useTf(tf, backend),
      fn: () => tf.matMul(ta, tb, v.transA, v.transB).dispose(),
      work: flops,
    }
  }
  const cases = [yannCase('wasm'), kernel, tfCase('wasm'), tfCase('cpu')]
  if (withTs) cases.splice(2, 0, yannCase('ts'))
  return cases
}

export const gemmSuite: Suite = {
  name: 'gemm',
  title: 'GEMM float32',
  async groups(quick) {
    const sizes = quick ? [128, 512] : [64, 128, 256, 512, 1024]
    const groups = []
    for (const n of sizes) {
      for (const v of VARIANTS) {
        // The ts reference runs at ~1 GFLOP/s: at n = 1024 one call is seconds. Quick mode skips it past 128.
        const withTs = !quick || n <= 128
        groups.push({ key: `n=${n} ${v.name}`, params: { n, variant: v.name }, cases: () => gemmCases(n, v, withTs) })
      }
    }
    return groups
  },
}
