/** Writes [shape, strides…, zeroed counters] for the kernels' odometer over every dim but the last. */
export function writeOdometer(v: Int32Array, at: number, shape: readonly number[], ...strides: (readonly number[])[]): void {
  const rank = shape.length
  for (let d = 0; d < rank; d++) {
    v[at + d] = shape[d]
    for (let s = 0; s < strides.length; s++) v[at + (s + 1) * rank + d] = strides[s][d]
    v[at + (strides.length + 1) * rank + d] = 0
  }
}
