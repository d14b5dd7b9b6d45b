// The odometer of a broadcast walk: kernels go over their output one row (the last dim) at a
// time, and nextRow moves the counters over every other dim and the inputs' offsets with them.
// The offsets (in elements) live in these globals because a function returns one value.

export let rowA: isize = 0
export let rowB: isize = 0

/** Before the first row: both offsets at 0 (the counters are zeroed by the caller). */
// @ts-ignore: decorator
@inline export function firstRow(): void {
  rowA = 0
  rowB = 0
}

/** Advance the i32 counters at idx over dims [0, last) of shape, moving rowA by aS and rowB by bS. */
// @ts-ignore: decorator
@inline export function nextRow(last: i32, shape: usize, idx: usize, aS: usize, bS: usize): void {
  for (let d = last - 1; d >= 0; d--) {
    const dp = <usize>d * 4
    const c = load<i32>(idx + dp) + 1
    const ext = load<i32>(shape + dp)
    const da = <isize>load<i32>(aS + dp)
    const db = <isize>load<i32>(bS + dp)
    rowA += da
    rowB += db
    if (c < ext) {
      store<i32>(idx + dp, c)
      break
    }
    rowA -= da * <isize>ext
    rowB -= db * <isize>ext
    store<i32>(idx + dp, 0)
  }
}
