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

// One input walked by an odometer block (meta: i32 shape[rank], strides[rank], counters[rank],
// the counters zeroed by the caller): its last dim's size and stride (elements), set by startRows.
export let rowLen: i32 = 0
export let rowStride: isize = 0

/** Starts a one-input walk over `meta` (rank ≥ 1): sets rowLen, rowStride and rowA; returns the number of rows in n elements. */
// @ts-ignore: decorator
@inline export function startRows(meta: usize, rank: i32, n: i32): i32 {
  const last = <usize>(rank - 1) << 2
  rowLen = load<i32>(meta + last)
  rowStride = <isize>load<i32>(meta + (<usize>rank << 2) + last)
  firstRow()
  return n / rowLen
}

/** The next row of the walk startRows began: rowA moves by the input's strides (rowB with it). */
// @ts-ignore: decorator
@inline export function nextRowOf(meta: usize, rank: i32): void {
  const st = meta + (<usize>rank << 2)
  nextRow(rank - 1, meta, meta + (<usize>rank << 3), st, st)
}
