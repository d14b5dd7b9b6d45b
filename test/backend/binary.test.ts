import { describe, expect, it } from 'vitest'
import { relaxedWasmBytes, wasmBytes } from '../../src/backend/wasm/binary-sizes.generated.js'
import { relaxedSimdSupported } from '../../src/backend/wasm/relaxed-probe.js'
import { backendInfo, getBackend, matmul, randn, manualSeed, setBackend } from '../../src/index.js'

/**
 * Which of the two binaries runs: the `wasm-relaxed` project (Node with
 * --experimental-wasm-relaxed-simd, YANN_WASM_BINARY=relaxed) must get yann-relaxed.wasm, the
 * `wasm` project on Node 20 the plain one, each as the load-time probe decides.
 */
const wantRelaxed = process.env.YANN_WASM_BINARY === 'relaxed'

describe('backendInfo() and the binary the probe picks', () => {
  it('names the backend ops run on, and on wasm the binary and its size', () => {
    const info = backendInfo()
    expect(info.name).toBe(getBackend())
    if (info.name === 'ts') {
      expect(info).toEqual({ name: 'ts', relaxedSimd: false, wasmBytes: 0 })
      return
    }
    expect(relaxedSimdSupported()).toBe(wantRelaxed || Number(process.versions.node.split('.')[0]) >= 21)
    expect(info).toEqual({
      name: 'wasm',
      relaxedSimd: relaxedSimdSupported(),
      wasmBytes: relaxedSimdSupported() ? relaxedWasmBytes : wasmBytes,
    })
    if (wantRelaxed) expect(info.relaxedSimd).toBe(true)
  })

  it('GEMM through the wasm binary in use agrees with the ts backend within float32 rounding (fused or not)', () => {
    // k = 700 spans two KC blocks of the wasm GEMM; the ts GEMM is the plain multiply-then-add.
    manualSeed(17)
    const a = randn([37, 700])
    const b = randn([700, 45])
    const before = getBackend()
    setBackend('wasm')
    const got = matmul(a, b).toArray() as number[][]
    setBackend('ts')
    const want = matmul(a, b).toArray() as number[][]
    setBackend(before)
    let worst = 0
    for (let i = 0; i < 37; i++) for (let j = 0; j < 45; j++) worst = Math.max(worst, Math.abs(got[i][j] - want[i][j]))
    // Σ of 700 products of N(0,1) values: |c| ~ 26; float32 rounding of 700 additions stays < 1e-3 here.
    expect(worst).toBeLessThan(1e-3)
  })
})
