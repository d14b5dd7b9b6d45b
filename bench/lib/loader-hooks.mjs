/**
 * Module hooks for bench/lib/loader.mjs: this repository's .ts files compiled by esbuild with the
 * options tsx 4 uses (format esm, target this Node, the tsconfig's compilerOptions, whitespace
 * minified, an inline source map) except `keepNames`, which tsx turns on. keepNames wraps every
 * named function and class in a `__name(...)` call that the bundles users import (dist/, built
 * by tsup) do not have; it cost the seed step 1–3%. The entry file (the one node runs) is instead
 * bundled with everything it imports from the repository (loader-bundle.mjs). Everything outside
 * the repository's own .ts files (node_modules, .mjs, JSON) goes to Node untouched.
 */
import { readFile } from 'node:fs/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { transform } from 'esbuild'
import { bundle } from './loader-bundle.mjs'

const root = pathToFileURL(fileURLToPath(new URL('../../', import.meta.url))).href
const tsconfigRaw = JSON.parse(await readFile(new URL('tsconfig.json', root), 'utf8'))

const ours = (url) => url.startsWith(root) && !url.startsWith(`${root}node_modules/`)

/** esbuild's options for one file: tsx's, with keepNames off. */
export const options = (file) => ({
  format: 'esm',
  loader: 'ts',
  target: `node${process.versions.node}`,
  tsconfigRaw,
  sourcefile: file,
  sourcemap: 'inline',
  sourcesContent: false,
  minifyWhitespace: true,
  keepNames: false,
})

/** One .ts source as the ESM JavaScript Node runs. */
export async function compile(source, file) {
  return (await transform(source, options(file))).code
}

/** `./x.js` naming `./x.ts`, as TypeScript's and tsx's resolution allow, for our own modules. */
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context)
  } catch (error) {
    const ts = specifier.endsWith('.js') && context.parentURL && ours(context.parentURL) ? specifier.slice(0, -3) + '.ts' : null
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !ts) throw error
    return next(ts, context)
  }
}

/** The URL of the file node runs (`process.argv[1]`), given by loader.mjs. */
let entry = null
export function initialize(data) {
  entry = data?.entry ? pathToFileURL(data.entry).href : null
}

export async function load(url, context, next) {
  if (!ours(url) || !url.endsWith('.ts')) return next(url, context)
  const file = fileURLToPath(url)
  const source = url === entry ? await bundle(file) : await compile(await readFile(file, 'utf8'), file)
  return { format: 'module', source, shortCircuit: true }
}
