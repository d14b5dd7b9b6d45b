/**
 * The value after `name` in `argv` (e.g. `--sizes 256,512`), or `dflt`; the pair is taken out
 * of `argv`, so what is left are the script's other arguments (gemm-ab.ts's binaries).
 */
export function option(argv: string[], name: string, dflt: string): string {
  const i = argv.indexOf(name)
  return i >= 0 ? argv.splice(i, 2)[1] : dflt
}
