import { beforeAll, describe, expect, it } from 'vitest'
import { SMALL, stagingTraffic, wasmBackend as be, wasmLoader } from '../../src/backend/wasm/index.js'

/**
 * The default wasm backend's size test (src/backend/wasm/small-dispatch.ts): below each kernel's
 * threshold the ts kernel runs and nothing is staged into wasm; at the threshold the call stages
 * its inputs. The values agree either way (wasm-kernels.test.ts); this pins where the line is.
 */

beforeAll(async () => {
  await wasmLoader.load()
})

const f32 = (n: number) => Float32Array.from({ length: n }, (_, i) => 0.1 + (i % 7) / 10)

/** True when `run(n)` staged bytes into wasm (ran the wasm kernel). */
function inWasm(run: (n: number) => void, n: number): boolean {
  const before = stagingTraffic().stagedInBytes
  run(n)
  return stagingTraffic().stagedInBytes > before
}

const sgd = { lr: 0.1, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 }
const rmsprop = { lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0 }
const adam = { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false }

const KERNELS: [string, number, (n: number) => void][] = [
  ['unary relu', SMALL.elements, (n) => be.unary('relu', f32(n), f32(n))],
  ['unary exp (transcendental)', SMALL.transcendental, (n) => be.unary('exp', f32(n), f32(n))],
  ['unaryBackward', SMALL.elements, (n) => be.unaryBackward('exp', f32(n), f32(n), f32(n), f32(n))],
  ['powScalar', SMALL.elements, (n) => be.powScalar(f32(n), 2, f32(n))],
  ['powScalarBackward', SMALL.elements, (n) => be.powScalarBackward(f32(n), 2, f32(n), f32(n))],
  ['clamp', SMALL.elements, (n) => be.clamp(f32(n), 0, 1, f32(n))],
  ['clampBackward', SMALL.elements, (n) => be.clampBackward(f32(n), 0, 1, f32(n), f32(n))],
  ['binary', SMALL.elements, (n) => be.binary('add', f32(n), f32(n), f32(n), [n], [1], [1])],
  ['stridedCopy', SMALL.elements, (n) => be.stridedCopy(f32(n), f32(n), [n], [1], 0)],
  ['gemm (batch·m·n·k)', SMALL.gemm, (n) => be.gemm(f32(n), f32(1), f32(n), { m: n, n: 1, k: 1 })],
  ['sumAxis', SMALL.reduce, (n) => be.sumAxis(f32(n), f32(1), 1, n, 1, 1)],
  ['sumSquares', SMALL.reduce, (n) => be.sumSquares(f32(n), f32(1))],
  ['softmax', SMALL.transcendental, (n) => be.softmax(f32(n), f32(n), 1, n, 1, false)],
  ['softmaxBackward', SMALL.elements, (n) => be.softmaxBackward(f32(n), f32(n), f32(n), 1, n, 1, false)],
  ['pointwiseLoss mse', SMALL.elements, (n) => be.pointwiseLoss('mse', f32(n), f32(n), null, f32(n))],
  ['pointwiseLossBackward mse', SMALL.elements, (n) => be.pointwiseLossBackward('mse', f32(n), f32(n), null, f32(1), 1, f32(n))],
  ['pointwiseLoss bce', SMALL.transcendental, (n) => be.pointwiseLoss('bce', f32(n), f32(n), null, f32(n))],
  ['pointwiseLossBackward bce', SMALL.transcendental, (n) => be.pointwiseLossBackward('bce', f32(n), f32(n), null, f32(1), 1, f32(n))],
  ['sgdStep', SMALL.elements, (n) => be.sgdStep(f32(n), f32(n), null, true, sgd)],
  ['adamStep', SMALL.elements, (n) => be.adamStep(f32(n), f32(n), f32(n), f32(n), 1, adam)],
  ['rmspropStep', SMALL.elements, (n) => be.rmspropStep(f32(n), f32(n), f32(n), null, null, rmsprop)],
  ['adagradStep', SMALL.elements, (n) => be.adagradStep(f32(n), f32(n), f32(n), { lr: 0.1, eps: 1e-10, weightDecay: 0 })],
  ['logsumexp', SMALL.reduce, (n) => be.logsumexp(f32(n), f32(1), 1, n, 1)],
  ['maxAxis', SMALL.reduce, (n) => be.maxAxis(f32(n), f32(1), new Int32Array(1), 1, n, 1, false)],
  ['compare', SMALL.elements, (n) => be.compare('lt', f32(n), f32(n), new Uint8Array(n), [n], [1], [1])],
]

describe('the default wasm backend runs the ts kernel below each threshold', () => {
  it.each(KERNELS)('%s: threshold %i', (_name, threshold, run) => {
    expect(inWasm(run, threshold - 1)).toBe(false)
    expect(inWasm(run, threshold)).toBe(true)
  })
})
