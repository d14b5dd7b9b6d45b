import { describe, expect, it } from 'vitest'
import { arange, F, tensor } from '../../src/index.js'

/**
 * The kernels' fast paths (issue 14 convperf): maxPool2d(2)'s vector rows with their scalar
 * tails, and the fused conv kernels over several samples and groups. Expected values are
 * written from the pattern of the input, not computed by yann.
 */
describe('maxPool2d(2): vector rows and scalar tails', () => {
  const [h, w] = [5, 19] // odd: a bottom row and a right column no window covers
  const [oh, ow] = [2, 9]
  for (const dtype of ['float32', 'float64'] as const) {
    it(`increasing input: every max is its window's bottom-right element (${dtype})`, () => {
      const x = arange(0, 2 * h * w, 1, { dtype }).reshape([1, 2, h, w])
      x.requiresGrad = true
      const { values, indices } = F.maxPool2d(x, 2, { returnIndices: true })
      const want: number[] = []
      const at: number[] = []
      for (let p = 0; p < 2; p++) {
        for (let oy = 0; oy < oh; oy++) {
          for (let ox = 0; ox < ow; ox++) {
            at.push((2 * oy + 1) * w + 2 * ox + 1)
            want.push(p * h * w + (2 * oy + 1) * w + 2 * ox + 1)
          }
        }
      }
      expect(Array.from(values.data)).toEqual(want)
      expect(Array.from(indices.data)).toEqual(at)
      values.sum().backward()
      const grad = Array.from(x.grad!.data)
      expect(grad.filter((g) => g === 1).length).toBe(2 * oh * ow)
      for (let p = 0; p < 2; p++) for (const a of at) expect(grad[p * h * w + a]).toBe(1)
    })
    it(`decreasing input, ties and NaN: the first of equals, a NaN wins (${dtype})`, () => {
      const data = Array.from({ length: h * w }, (_, i) => -i)
      data[1 * w + 6] = NaN // the window (oy 0, ox 3): bottom-left
      for (const i of [2 * w + 10, 2 * w + 11, 3 * w + 10, 3 * w + 11]) data[i] = 7 // window (1, 5): all equal
      const { values, indices } = F.maxPool2d(tensor(data, { dtype }).reshape([1, 1, h, w]), 2, { returnIndices: true })
      const v = Array.from(values.data)
      const idx = Array.from(indices.data)
      for (let oy = 0; oy < oh; oy++) {
        for (let ox = 0; ox < ow; ox++) {
          const o = oy * ow + ox
          const topLeft = 2 * oy * w + 2 * ox
          if (oy === 0 && ox === 3) {
            expect(v[o]).toBeNaN()
            expect(idx[o]).toBe(w + 6)
          } else if (oy === 1 && ox === 5) {
            expect([v[o], idx[o]]).toEqual([7, 2 * w + 10])
          } else {
            expect([v[o], idx[o]]).toEqual([-topLeft, topLeft])
          }
        }
      }
    })
  }
})

describe('fused conv2d kernels: several samples, groups', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`a 1x1 grouped convolution scales each group's channels by hand-known weights (${dtype})`, () => {
      // x[b, c, y, x] = 100·b + 10·c + (y·3 + x); weight [4, 2, 1, 1], groups 2: out channel o
      // reads input channels 2·⌊o/2⌋ and 2·⌊o/2⌋ + 1 with weights (o + 1, −1).
      const n = 3
      const xs: number[] = []
      for (let b = 0; b < n; b++) for (let c = 0; c < 4; c++) for (let i = 0; i < 9; i++) xs.push(100 * b + 10 * c + i)
      const x = tensor(xs, { dtype }).reshape([n, 4, 3, 3])
      x.requiresGrad = true
      const wv = [1, -1, 2, -1, 3, -1, 4, -1]
      const weight = tensor(wv, { dtype }).reshape([4, 2, 1, 1])
      weight.requiresGrad = true
      const y = F.conv2d(x, weight, null, { groups: 2 })
      const want: number[] = []
      for (let b = 0; b < n; b++) {
        for (let o = 0; o < 4; o++) {
          const c0 = 2 * Math.floor(o / 2)
          for (let i = 0; i < 9; i++) want.push((o + 1) * (100 * b + 10 * c0 + i) - (100 * b + 10 * (c0 + 1) + i))
        }
      }
      expect(Array.from(y.data)).toEqual(want)
      y.sum().backward()
      // dx[b, c] = Σ of the weights reading channel c; dw[o, j] = Σ_b,y,x x[b, c0 + j].
      const dx = [1 + 2, -1 - 1, 3 + 4, -1 - 1]
      expect(Array.from(x.grad!.data)).toEqual(Array.from({ length: n * 36 }, (_, i) => dx[Math.floor(i / 9) % 4]))
      const sumOver = (c: number): number => Array.from({ length: n }, (_, b) => 9 * (100 * b + 10 * c) + 36).reduce((s, v) => s + v, 0)
      expect(Array.from(weight.grad!.data)).toEqual([sumOver(0), sumOver(1), sumOver(0), sumOver(1), sumOver(2), sumOver(3), sumOver(2), sumOver(3)])
    })
  }
})

describe('maxPool: a window wholly in the padding', () => {
  // Kernel 2, dilation 2, padding 1 on a length-1 input: the one window's taps are at -1 and 1,
  // both padding. Its value is -inf (as PyTorch) and it has no input to pass a gradient to; its
  // index -1 sent that gradient to the previous plane's last element (wasm: before the array).
  for (const dtype of ['float32', 'float64'] as const) {
    it(`gives -inf and no gradient (${dtype})`, () => {
      const x = tensor([[1], [2], [3]], { dtype, requiresGrad: true })
      const y = F.maxPool1d(x, 2, { stride: 1, padding: 1, dilation: 2 })
      expect(Array.from(y.data)).toEqual([-Infinity, -Infinity, -Infinity])
      y.backward(tensor([[5], [6], [7]], { dtype }))
      expect(Array.from(x.grad!.data)).toEqual([0, 0, 0])
      const z = F.maxPool2d(x.detach().reshape([1, 1, 3, 1]), [1, 2], { stride: 1, padding: [0, 1], dilation: [1, 2] })
      expect(Array.from(z.data)).toEqual([-Infinity, -Infinity, -Infinity])
    })
  }
})
