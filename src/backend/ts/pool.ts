import type { FloatArray } from '../../dtype.js'
import type { ConvGeometry } from '../types.js'

/**
 * Max pooling over each [h, w] plane; `indices` gets the flat position (y·w + x) of each
 * maximum in its plane, the first one on ties, a NaN winning (PyTorch's rule). Padding is −∞.
 */
export function maxPool2d(x: FloatArray, out: FloatArray, indices: FloatArray, planes: number, g: ConvGeometry): void {
  const { h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow } = g
  let o = 0
  for (let p = 0; p < planes; p++) {
    const base = p * h * w
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++, o++) {
        let best = -Infinity
        let at = -1
        const y0 = oy * sh - ph
        const x0 = ox * sw - pw
        const kiEnd = tapsBefore(y0, dh, kh, h)
        const kjEnd = tapsBefore(x0, dw, kw, w)
        for (let ki = firstTap(y0, dh); ki < kiEnd; ki++) {
          const y = y0 + ki * dh
          for (let kj = firstTap(x0, dw); kj < kjEnd; kj++) {
            const xx = x0 + kj * dw
            const v = x[base + y * w + xx]
            if (v > best || Number.isNaN(v) || at < 0) {
              best = v
              at = y * w + xx
            }
          }
        }
        out[o] = best
        indices[o] = at
      }
    }
  }
}

/**
 * A window's taps start at `start` (padding included), `dilation` apart: [firstTap, tapsBefore)
 * are those inside [0, size), the only ones visited, so a window reaching far into the padding
 * (a height of 2^31) costs nothing. Empty for a window wholly in the padding.
 */
const firstTap = (start: number, dilation: number): number => Math.max(0, Math.ceil(-start / dilation))
const tapsBefore = (start: number, dilation: number, taps: number, size: number): number =>
  Math.min(taps, Math.floor((size - 1 - start) / dilation) + 1)

/**
 * dx[plane, indices[o]] += dy[o]. Overwrites dx ([planes, hw]). A window wholly in the padding
 * (dilation can put every tap there) has index -1 and no input to send its gradient to.
 */
export function maxPool2dBackward(dy: FloatArray, indices: FloatArray, dx: FloatArray, planes: number, hw: number, ohw: number): void {
  dx.fill(0, 0, planes * hw)
  for (let p = 0; p < planes; p++) {
    for (let o = 0; o < ohw; o++) {
      const at = indices[p * ohw + o]
      if (at >= 0) dx[p * hw + at] += dy[p * ohw + o]
    }
  }
}

/**
 * Average pooling over windows given per output row and column: `win` holds
 * [yStart(oh), yEnd(oh), yDiv(oh), xStart(ow), xEnd(ow), xDiv(ow)], windows already clipped
 * to the input; out = Σ window / (yDiv·xDiv). avgPool2d and adaptiveAvgPool2d both use it.
 */
export function avgPool2d(x: FloatArray, out: FloatArray, planes: number, h: number, w: number, oh: number, ow: number, win: FloatArray): void {
  forEachWindow(planes, h, w, oh, ow, win, (o, base, y0, y1, x0, x1, div) => {
    let s = 0
    for (let y = y0; y < y1; y++) for (let xx = x0; xx < x1; xx++) s += x[base + y * w + xx]
    out[o] = s / div
  })
}

/** The adjoint of avgPool2d: each dy spread evenly (÷ divisor) over its window. Overwrites dx. */
export function avgPool2dBackward(dy: FloatArray, dx: FloatArray, planes: number, h: number, w: number, oh: number, ow: number, win: FloatArray): void {
  dx.fill(0, 0, planes * h * w)
  forEachWindow(planes, h, w, oh, ow, win, (o, base, y0, y1, x0, x1, div) => {
    const g = dy[o] / div
    for (let y = y0; y < y1; y++) for (let xx = x0; xx < x1; xx++) dx[base + y * w + xx] += g
  })
}

/** Reads `win` (avgPool2d's layout) for every output o: its plane's offset, window [y0, y1) × [x0, x1) and divisor. */
function forEachWindow(
  planes: number,
  h: number,
  w: number,
  oh: number,
  ow: number,
  win: FloatArray,
  visit: (o: number, base: number, y0: number, y1: number, x0: number, x1: number, div: number) => void,
): void {
  let o = 0
  for (let p = 0; p < planes; p++) {
    const base = p * h * w
    for (let oy = 0; oy < oh; oy++) {
      const y0 = win[oy]
      const y1 = win[oh + oy]
      const yDiv = win[2 * oh + oy]
      for (let ox = 0; ox < ow; ox++, o++) visit(o, base, y0, y1, win[3 * oh + ox], win[3 * oh + ow + ox], yDiv * win[3 * oh + 2 * ow + ox])
    }
  }
}
