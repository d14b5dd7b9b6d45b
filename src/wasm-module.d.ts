/** A .wasm file imported as a module (the workerd entry): a precompiled WebAssembly.Module. */
declare module '*.wasm' {
  const module: WebAssembly.Module
  export default module
}
