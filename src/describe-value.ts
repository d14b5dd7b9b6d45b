/**
 * What a value that should have been something else (a tensor, a wasm module) is, for error
 * messages. Imports nothing, so the backends can use it without importing the Tensor class.
 */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return String(v)
  if (Array.isArray(v)) return `an array of length ${v.length}`
  if (typeof v === 'object') return `an object (${v.constructor?.name ?? 'no class'})`
  return `${/^[aeiou]/.test(typeof v) ? 'an' : 'a'} ${typeof v}`
}
