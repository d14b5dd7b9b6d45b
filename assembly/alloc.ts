// Every heap allocation in wasm goes through `allocate`, so that JS tells a trap inside the
// allocator (out of memory) from a kernel's bug: TLSF (the minimal runtime, no abort import,
// asconfig.json) traps only when a block would exceed its 1 GiB maximum or memory.grow fails.

let allocating = false
let requested: f64 = 0

/** heap.alloc(bytes), noting the request while the allocator runs. */
export function allocate(bytes: usize): usize {
  requested = <f64>bytes
  allocating = true
  const p = heap.alloc(bytes)
  allocating = false
  return p
}

/**
 * allocate() of a size computed in f64: a kernel's scratch, a product of shapes that can pass
 * 2^32 and would wrap as a usize. A size no block can hold traps as the allocator does, with
 * the true size recorded.
 */
export function allocateBig(bytes: f64): usize {
  if (bytes > <f64>u32.MAX_VALUE) {
    requested = bytes
    allocating = true
    unreachable()
  }
  return allocate(<usize>bytes)
}

/** The bytes of the allocation that trapped, or −1 when none did; reading it forgets it. */
export function takeFailedAllocation(): f64 {
  const bytes = allocating ? requested : -1
  allocating = false
  return bytes
}
