/**
 * The bench's TypeScript loader: `node --import ./bench/lib/loader.mjs bench/run.ts`. It runs
 * yann's .ts sources as tsx does, except without esbuild's keepNames (see loader-hooks.mjs), so
 * the bench times the code users import. Source maps on, as under tsx.
 */
import { register } from 'node:module'

process.setSourceMapsEnabled(true)
register('./loader-hooks.mjs', import.meta.url)

/** The node flags a bench child process needs to load .ts files this way. */
export const LOADER_FLAGS = ['--import', new URL(import.meta.url).href]
