import { beforeAll, describe, expect, it } from 'vitest'
import type { FloatArray, FloatDType } from '../../src/dtype.js'
import { tsBackend } from '../../src/backend/ts/index.js'
import type { BinaryOp, PointwiseLoss, SgdOptions, UnaryOp } from '../../src/backend/types.js'
import { SMALL, wasmBackend, wasmLoader, wasmOnlyBackend as wasm } from '../../src/backend/wasm/index.js'
import { broadcastStrides, dtypes, expectClose, from, make, random, rng, size } from './helpers.js'

/**
 * Every kernel of the wasm backend against the ts reference, both float types, with the
 * wasm path forced for every size (wasmOnlyBackend: no small-input dispatch to ts).
 */

beforeAll(() => {
  expect(wasmLoader.loadSync()).not.toBeNull()
})

const ts = tsBackend
const sizes = [1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31, 64, 131]
const unaryOps: UnaryOp[] = ['neg', 'exp', 'log', 'sqrt', 'abs', 'relu', 'sigmoid', 'tanh']
const binaryOps: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'maximum', 'gt', 'eq']

/** Inputs valid for `op`, with special values mixed in where they are defined. */
function unaryInput(op: UnaryOp, dtype: FloatDType, n: number, r: () => number): FloatArray {
  const positive = op === 'log' || op === 'sqrt'
  const x = random(dtype, n, r, positive ? 0.01 : -6, 6)
  const specials = positive ? [0, 1, Infinity, NaN, 1e-30] : [0, -0, NaN, Infinity, -Infinity, 1e-30, -1e-30, 40, -40]
  for (let i = 0; i < n; i += 3) x[i] = specials[(i / 3) % specials.length]
  if (op === 'exp') for (let i = 0; i < n; i++) if (Number.isFinite(x[i])) x[i] = Math.max(-80, Math.min(80, x[i]))
  return x
}

it('float32 exp, sigmoid and tanh (vectorised polynomials) over their whole range', () => {
  for (const [op, lo, hi] of [
    ['exp', -103, 88.7],
    ['sigmoid', -100, 100],
    ['tanh', -12, 12],
    ['tanh', -0.7, 0.7], // both sides of the polynomial/exp switch at 0.625
    ['tanh', -1e-3, 1e-3],
  ] as const) {
    const n = 20_001
    const x = new Float32Array(n).map((_, i) => lo + ((hi - lo) * i) / (n - 1))
    const ref = new Float32Array(n)
    const got = new Float32Array(n)
    ts.unary(op, x, ref)
    wasm.unary(op, x, got)
    // ≲ 2 ulp in practice; the contract's tolerance is far looser.
    expectClose(got, ref, `${op} on [${lo}, ${hi}]`, { abs32: 1e-30, rel32: 4e-7 })
  }
})

describe.each(dtypes)('wasm kernels vs ts: %s', (dtype) => {
  const r = rng(dtype === 'float32' ? 1 : 2)

  it.each(unaryOps)('unary %s (all sizes, aliasing out)', (op) => {
    for (const n of sizes) {
      const x = unaryInput(op, dtype, n, r)
      const ref = make(dtype, n)
      const got = make(dtype, n)
      ts.unary(op, x, ref)
      wasm.unary(op, x, got)
      expectClose(got, ref, `unary ${op} n=${n}`)
      const alias = x.slice()
      wasm.unary(op, alias, alias)
      expectClose(alias, ref, `unary ${op} n=${n} in place`)
    }
  })

  it.each(unaryOps)('unaryBackward %s', (op) => {
    for (const n of sizes) {
      const x = unaryInput(op, dtype, n, r)
      if (op === 'abs' || op === 'relu') x[0] = 0
      const y = make(dtype, n)
      ts.unary(op, x, y)
      const dy = random(dtype, n, r)
      const ref = make(dtype, n)
      const got = make(dtype, n)
      ts.unaryBackward(op, x, y, dy, ref)
      wasm.unaryBackward(op, x, y, dy, got)
      expectClose(got, ref, `unaryBackward ${op} n=${n}`)
    }
  })

  it('powScalar and its backward', () => {
    for (const p of [2, 1, 0, 0.5, 3, -1, -1.5, 2.5, 1 / 3]) {
      for (const n of sizes) {
        const x = random(dtype, n, r, 0.05, 3)
        if (Number.isInteger(p) && n > 2) x[1] = -1.25
        const dy = random(dtype, n, r)
        const ref = make(dtype, n)
        const got = make(dtype, n)
        ts.powScalar(x, p, ref)
        wasm.powScalar(x, p, got)
        expectClose(got, ref, `pow p=${p} n=${n}`)
        ts.powScalarBackward(x, p, dy, ref)
        got.fill(7)
        wasm.powScalarBackward(x, p, dy, got)
        expectClose(got, ref, `powBackward p=${p} n=${n}`)
      }
    }
  })

  it('clamp and its backward (inclusive mask, NaN passes, lo > hi gives hi)', () => {
    for (const [lo, hi] of [[-0.5, 0.5], [0, Infinity], [-Infinity, 0.25], [0.1, 0.1], [0.5, -0.5], [0.3, 0.2]]) {
      for (const n of sizes) {
        const x = random(dtype, n, r)
        x[0] = lo
        if (n > 1) x[1] = hi
        if (n > 2) x[2] = NaN
        const dy = random(dtype, n, r)
        const ref = make(dtype, n)
        const got = make(dtype, n)
        ts.clamp(x, lo, hi, ref)
        wasm.clamp(x, lo, hi, got)
        expectClose(got, ref, `clamp [${lo}, ${hi}] n=${n}`)
        ts.clampBackward(x, lo, hi, dy, ref)
        wasm.clampBackward(x, lo, hi, dy, got)
        expectClose(got, ref, `clampBackward [${lo}, ${hi}] n=${n}`)
      }
    }
  })

  const binaryCases: [number[], number[], number[]][] = [
    // [aShape, bShape, outShape]
    [[7], [7], [7]],
    [[1], [1], [1]],
    [[33], [1], [33]],
    [[1], [33], [33]],
    [[5, 9], [9], [5, 9]],
    [[5, 9], [5, 1], [5, 9]],
    [[5, 1], [1, 9], [5, 9]],
    [[1, 9], [5, 1], [5, 9]],
    [[2, 3, 5], [3, 1], [2, 3, 5]],
    [[2, 1, 5], [1, 3, 1], [2, 3, 5]],
    [[4, 1, 1, 3], [2, 5, 1], [4, 2, 5, 3]],
    [[1, 1], [6, 1], [6, 1]],
    [[1], [1], [13]],
    [[3, 0], [1], [3, 0]],
  ]

  it.each(binaryOps)('binary %s, broadcast shapes and aliasing', (op) => {
    for (const [as, bs, os] of binaryCases) {
      const a = random(dtype, size(as), r, -2, 2)
      const b = random(dtype, size(bs), r, -2, 2)
      // Equal values, zeros and NaNs exercise maximum, gt, eq and div.
      if (a.length > 2 && b.length > 2) {
        a[0] = b[0]
        a[1] = NaN
        b[2] = NaN
      }
      if (b.length > 3) b[3] = 0
      const aStr = broadcastStrides(as, os)
      const bStr = broadcastStrides(bs, os)
      const ref = make(dtype, size(os))
      const got = make(dtype, size(os))
      ts.binary(op, a, b, ref, os, aStr, bStr)
      wasm.binary(op, a, b, got, os, aStr, bStr)
      expectClose(got, ref, `binary ${op} ${JSON.stringify([as, bs])}`)
      if (size(as) === size(os) && size(os) > 0) {
        const alias = a.slice()
        wasm.binary(op, alias, b, alias, os, aStr, bStr)
        expectClose(alias, ref, `binary ${op} ${JSON.stringify([as, bs])} out = a`)
      }
      if (size(bs) === size(os) && size(os) > 0) {
        const alias = b.slice()
        wasm.binary(op, a, alias, alias, os, aStr, bStr)
        expectClose(alias, ref, `binary ${op} ${JSON.stringify([as, bs])} out = b`)
      }
    }
  })

  it('stridedCopy: transpose, permute, slice, broadcast, reversed', () => {
    const x = random(dtype, 3 * 4 * 5 * 2, r)
    const cases: [number[], number[], number][] = [
      [[5, 7], [1, 5], 0], // transpose of [7, 5]
      [[4, 3, 5], [5, 20, 1], 0], // permute of [3, 4, 5]
      [[2, 3], [10, 2], 7], // strided slice with an offset
      [[3, 8], [0, 1], 11], // broadcast a row
      [[6, 4], [1, 0], 3], // broadcast a column
      [[9], [-1], 20], // reversed
      [[2, 2, 2, 2, 3], [30, 10, 5, 1, 0], 1],
      [[1], [1], 119],
      [[], [], 5], // a scalar
      [[0, 3], [3, 1], 0],
      // Transposed rows four at a time: a ragged group at the end of each batch, a reversed row.
      [[2, 9, 6], [54, 1, 9], 0],
      [[8, 4], [1, -8], 24],
    ]
    for (const [shape, strides, offset] of cases) {
      const ref = make(dtype, size(shape))
      const got = make(dtype, size(shape))
      ts.stridedCopy(x, ref, shape, strides, offset)
      wasm.stridedCopy(x, got, shape, strides, offset)
      expectClose(got, ref, `stridedCopy ${JSON.stringify([shape, strides, offset])}`)
    }
  })

  const gemmShapes: [number, number, number, number][] = [
    // [batch, m, n, k]
    [1, 1, 1, 1],
    [1, 3, 5, 7],
    [1, 4, 8, 16],
    [1, 13, 17, 19],
    [1, 1, 33, 9],
    [1, 33, 1, 9],
    [2, 33, 65, 300], // k > KC: accumulation over k panels
    [1, 130, 9, 5], // m > MC
    [1, 2, 1030, 3], // n > NC
    [3, 6, 10, 4],
    [2, 5, 6, 0], // k = 0: bias or zeros
    // Thin products, unpacked in float32 (gemm-unpacked.ts). Fewer rows than a tile: whole
    // 8-column strips only, and with ragged columns, k not a multiple of 4 and k > KC; k = 1.
    [1, 1, 16, 8],
    [2, 3, 20, 601],
    [1, 2, 9, 6],
    [1, 7, 13, 1],
    [2, 9, 8, 1],
    // 8-64 rows, B transposed: float32 reads B in place (gemm-b-in-place.ts), 8 rows by 4
    // columns; whole and ragged tiles, k > KC (C accumulates between blocks).
    [1, 8, 4, 5],
    [1, 64, 12, 33],
    [2, 21, 11, 600],
  ]

  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      it(`gemm ${transA ? 'T' : 'N'}${transB ? 'T' : 'N'}: shapes, batch strides (0 broadcasts), bias`, () => {
        for (const [batch, m, n, k] of gemmShapes) {
          for (const [aBS, bBS] of [[m * k, k * n], [0, k * n], [m * k, 0], [0, 0]]) {
            for (const withBias of [false, true]) {
              const a = random(dtype, Math.max(aBS, 0) * (batch - 1) + m * k, r)
              const b = random(dtype, Math.max(bBS, 0) * (batch - 1) + k * n, r)
              const bias = withBias ? random(dtype, n, r) : null
              const ref = make(dtype, batch * m * n)
              const got = make(dtype, batch * m * n).fill(NaN)
              ts.gemm(a, b, ref, { batch, m, n, k, transA, transB, aBatchStride: aBS, bBatchStride: bBS, bias })
              wasm.gemm(a, b, got, { batch, m, n, k, transA, transB, aBatchStride: aBS, bBatchStride: bBS, bias })
              // Sums of k products: float64 compared relative to the magnitude of the terms.
              expectClose(got, ref, `gemm ${JSON.stringify({ batch, m, n, k, transA, transB, aBS, bBS, withBias })}`, {
                floor64: 1,
              })
            }
          }
        }
      })
    }
  }

  const axisCases: [number, number, number][] = [
    [1, 1, 1],
    [1, 7, 1],
    [3, 33, 1],
    [2, 5, 3],
    [4, 6, 9],
    [2, 3, 300], // inner beyond one column chunk
    [1, 1000, 1],
    [5, 1, 7],
  ]

  it('sumAxis (sum-all, mean scale, middle axis)', () => {
    for (const [outer, n, inner] of axisCases) {
      for (const scale of [1, 1 / n, -2.5]) {
        const x = random(dtype, outer * n * inner, r)
        const ref = make(dtype, outer * inner)
        const got = make(dtype, outer * inner)
        ts.sumAxis(x, ref, outer, n, inner, scale)
        wasm.sumAxis(x, got, outer, n, inner, scale)
        expectClose(got, ref, `sumAxis ${[outer, n, inner, scale]}`, { floor64: 1 })
      }
    }
  })

  it('sumSquares (lengths around the vector width)', () => {
    for (const n of [0, 1, 3, 4, 5, 8, 9, 1000, 4099]) {
      const x = random(dtype, n, r)
      const ref = make(dtype, 1)
      const got = make(dtype, 1)
      ts.sumSquares(x, ref)
      wasm.sumSquares(x, got)
      expectClose(got, ref, `sumSquares n=${n}`, { floor64: 1 })
    }
  })

  for (const log of [false, true]) {
    it(`${log ? 'log-' : ''}softmax and its backward`, () => {
      for (const [outer, n, inner] of axisCases) {
        const x = random(dtype, outer * n * inner, r, -8, 8)
        if (x.length > 4) {
          x[1] = 60 // large logits: the max shift keeps them finite
          x[2] = -Infinity
        }
        const ref = make(dtype, x.length)
        const got = make(dtype, x.length)
        ts.softmax(x, ref, outer, n, inner, log)
        wasm.softmax(x, got, outer, n, inner, log)
        expectClose(got, ref, `softmax log=${log} ${[outer, n, inner]}`, { floor64: 1 })
        const dy = random(dtype, x.length, r)
        const y = ref.map((v) => (Number.isFinite(v) ? v : -100)) as FloatArray
        ts.softmaxBackward(y, dy, ref, outer, n, inner, log)
        wasm.softmaxBackward(y, dy, got, outer, n, inner, log)
        expectClose(got, ref, `softmaxBackward log=${log} ${[outer, n, inner]}`, { floor64: 1 })
      }
      // NaN propagates through the max like Math.max.
      const x = from(dtype, [1, NaN, 2, 3, 4, 5, 6, 7, 8])
      const ref = make(dtype, 9)
      const got = make(dtype, 9)
      ts.softmax(x, ref, 1, 9, 1, log)
      wasm.softmax(x, got, 1, 9, 1, log)
      expectClose(got, ref, 'softmax with NaN')
    })
  }

  const losses: PointwiseLoss[] = ['bce', 'bceWithLogits', 'mse']
  it.each(losses)('pointwiseLoss %s and its backward (weights, broadcast dy)', (kind) => {
    for (const n of sizes) {
      const x = kind === 'bce' ? random(dtype, n, r, 0, 1) : random(dtype, n, r, -30, 30)
      const t = random(dtype, n, r, 0, 1)
      if (kind === 'bce' && n > 3) {
        x[0] = 0 // log clamped at −100
        x[1] = 1
        x[2] = 1e-20 // denominator floor
      }
      for (const w of [null, random(dtype, n, r, 0, 2)]) {
        const ref = make(dtype, n)
        const got = make(dtype, n)
        ts.pointwiseLoss(kind, x, t, w, ref)
        wasm.pointwiseLoss(kind, x, t, w, got)
        expectClose(got, ref, `${kind} n=${n} w=${!!w}`, { floor64: 1e-300 })
        for (const dy of [from(dtype, [0.75]), random(dtype, n, r)]) {
          ts.pointwiseLossBackward(kind, x, t, w, dy, 1 / n, ref)
          wasm.pointwiseLossBackward(kind, x, t, w, dy, 1 / n, got)
          expectClose(got, ref, `${kind} backward n=${n} w=${!!w} dy=${dy.length}`, { rel32: 2e-4 })
        }
      }
    }
  })
})

describe.each(dtypes)('wasmBackend (small inputs run the ts kernels): %s', (dtype) => {
  const r = rng(11)
  it('agrees with ts on both sides of every size threshold', () => {
    const around = (t: number) => [1, t - 1, t, t + 1, t + 5]
    for (const n of [...around(SMALL.elements), ...around(SMALL.transcendental), ...around(SMALL.reduce)]) {
      const x = random(dtype, n, r)
      const y = random(dtype, n, r)
      const ref = make(dtype, n)
      const got = make(dtype, n)
      for (const op of ['relu', 'exp', 'tanh'] as const) {
        ts.unary(op, x, ref)
        wasmBackend.unary(op, x, got)
        expectClose(got, ref, `unary ${op} n=${n}`)
      }
      ts.binary('mul', x, y, ref, [n], [1], [1])
      wasmBackend.binary('mul', x, y, got, [n], [1], [1])
      expectClose(got, ref, `binary n=${n}`)
      ts.softmax(x, ref, 1, n, 1, true)
      wasmBackend.softmax(x, got, 1, n, 1, true)
      expectClose(got, ref, `logSoftmax n=${n}`, { floor64: 1 })
      const s1 = make(dtype, 1)
      const s2 = make(dtype, 1)
      ts.sumAxis(x, s1, 1, n, 1, 0.5)
      wasmBackend.sumAxis(x, s2, 1, n, 1, 0.5)
      expectClose(s2, s1, `sumAxis n=${n}`, { floor64: 1 })
      const o: SgdOptions = { lr: 0.1, momentum: 0.9, dampening: 0, nesterov: false, weightDecay: 0 }
      const [p1, p2, b1, b2] = [x.slice(), x.slice(), make(dtype, n), make(dtype, n)]
      ts.sgdStep(p1, y, b1, true, o)
      wasmBackend.sgdStep(p2, y, b2, true, o)
      expectClose(p2, p1, `sgd n=${n}`)
    }
    const side = Math.round(Math.cbrt(SMALL.gemm))
    for (const m of [side - 1, side, side + 1]) {
      const a = random(dtype, m * m, r)
      const b = random(dtype, m * m, r)
      const ref = make(dtype, m * m)
      const got = make(dtype, m * m)
      ts.gemm(a, b, ref, { m, n: m, k: m, transB: true })
      wasmBackend.gemm(a, b, got, { m, n: m, k: m, transB: true })
      expectClose(got, ref, `gemm ${m}`, { floor64: 1 })
    }
  })
})
