/** Encodes `target` as copies from `base` and literal bytes (see scripts/wasm-delta.mjs). */
export function encodeDelta(base: Uint8Array, target: Uint8Array): Uint8Array
