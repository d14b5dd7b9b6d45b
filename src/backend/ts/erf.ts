/**
 * The error function (JavaScript has none), to ~1e-15: a series of positive terms below 2.5,
 * erfc's continued fraction up to 6, ±1 beyond. assembly/math.ts's erf64 is the same algorithm.
 */
export function erf(x: number): number {
  const a = Math.abs(x)
  let r: number
  if (a < 2.5) {
    // erf x = 2/√π · e^{−x²} · Σ 2ⁿ x^{2n+1} / (1·3·…·(2n+1)): every term positive.
    let term = a
    let sum = a
    const x2 = a * a
    for (let n = 1; n < 200; n++) {
      term *= (2 * x2) / (2 * n + 1)
      sum += term
      if (term < sum * 1e-17) break
    }
    r = 1.1283791670955126 * Math.exp(-x2) * sum
  } else if (a < 6) {
    // erfc x = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), evaluated from the tail.
    let t = a
    for (let k = 60; k >= 1; k--) t = a + k / 2 / t
    r = 1 - Math.exp(-a * a) / (1.7724538509055159 * t)
  } else {
    r = a === a ? 1 : a
  }
  return x < 0 ? -r : r
}
