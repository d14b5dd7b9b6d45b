import type { FloatArray } from '../../dtype.js'
import type { ConvGeometry } from '../types.js'

/**
 * im2col and its adjoint col2im: a convolution becomes one GEMM over the unfolded input.
 * cols is [planes, kh·kw, oh·ow]: row (p, ki·kw + kj), column (oy·ow + ox) holds
 * x[p, oy·sh − ph + ki·dh, ox·sw − pw + kj·dw], or 0 outside the input.
 */
export function im2col(x: FloatArray, cols: FloatArray, planes: number, g: ConvGeometry): void {
  const { h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow } = g
  const L = oh * ow
  let r = 0
  for (let p = 0; p < planes; p++) {
    const base = p * h * w
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++, r++) {
        const row = r * L
        for (let oy = 0; oy < oh; oy++) {
          const y = oy * sh - ph + ki * dh
          const o = row + oy * ow
          if (y < 0 || y >= h) {
            for (let ox = 0; ox < ow; ox++) cols[o + ox] = 0
            continue
          }
          const xr = base + y * w
          for (let ox = 0; ox < ow; ox++) {
            const xx = ox * sw - pw + kj * dw
            cols[o + ox] = xx >= 0 && xx < w ? x[xr + xx] : 0
          }
        }
      }
    }
  }
}

/** dx = col2im(cols): every column entry added back to the input element it was copied from. Overwrites dx. */
export function col2im(cols: FloatArray, dx: FloatArray, planes: number, g: ConvGeometry): void {
  const { h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow } = g
  const L = oh * ow
  dx.fill(0, 0, planes * h * w)
  let r = 0
  for (let p = 0; p < planes; p++) {
    const base = p * h * w
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++, r++) {
        const row = r * L
        for (let oy = 0; oy < oh; oy++) {
          const y = oy * sh - ph + ki * dh
          if (y < 0 || y >= h) continue
          const o = row + oy * ow
          const xr = base + y * w
          for (let ox = 0; ox < ow; ox++) {
            const xx = ox * sw - pw + kj * dw
            if (xx >= 0 && xx < w) dx[xr + xx] += cols[o + ox]
          }
        }
      }
    }
  }
}
