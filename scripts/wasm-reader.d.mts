/** A cursor over a wasm binary's bytes (see scripts/wasm-reader.mjs). */
export interface WasmReader {
  at: number
  byte(): number
  bytes(n: number): Uint8Array
  leb(): number
  name(): string
}
export function reader(bytes: Uint8Array, at?: number): WasmReader
/** The module's sections in order; a custom section (id 0) with its name, its body after the name. */
export function readSections(bytes: Uint8Array): { id: number; name?: string; body: Uint8Array }[]
