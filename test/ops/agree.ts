/** a and b agree to `tol` relative to their size; NaN only with NaN, ±Infinity only with itself. */
export function agree(a: number, b: number, tol: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b)
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b
  return Math.abs(a - b) <= tol * (1 + Math.abs(a) + Math.abs(b))
}
