/** The seed network's training step as JS source; expects the package's namespace in `yann`, leaves the loss in `loss` (see scripts/eager-compile.mjs). */
export const SEED_STEP: string
/** Throws unless SEED_STEP's loss is the seed example's. */
export const SEED_CHECK: string
/** Rewrites `entry` and the files it imports so that the functions the seed step runs compile eagerly; returns how many. */
export function eagerCompile(entry: string): number
/** `function f(…){…}` → `var f=(function(…){…});` for each top-level declaration whose head holds one of `starts`. */
export function wrapDeclarations(code: string, starts: number[]): { code: string; wrapped: number }
