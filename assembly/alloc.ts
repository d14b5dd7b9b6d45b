// Every heap allocation in wasm goes through `allocate`, so that JS tells a trap inside the
// allocator (out of memory) from a kernel's bug: TLSF (the minimal runtime, no abort import,
// asconfig.json) traps only when a block would exceed its 1 GiB maximum or memory.grow fails.

let allocating = false
let requested: usize = 0

/** heap.alloc(bytes), noting the request while the allocator runs. */
export function allocate(bytes: usize): usize {
  requested = bytes
  allocating = true
  const p = heap.alloc(bytes)
  allocating = false
  return p
}

/** The bytes of the allocation that trapped, or −1 when none did; reading it forgets it. */
export function takeFailedAllocation(): f64 {
  const bytes = allocating ? <f64>requested : -1
  allocating = false
  return bytes
}
