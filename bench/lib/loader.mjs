/**
 * The bench's TypeScript loader: `node --import ./bench/lib/loader.mjs bench/run.ts`. It runs
 * yann's .ts sources as dist/ runs them: the file node runs (`process.argv[1]`) is loaded as one
 * esbuild bundle of it and every repository file it imports (loader-bundle.mjs: one scope,
 * minified but for names, no keepNames, as tsup builds dist/); any other .ts file is compiled alone as tsx does,
 * without keepNames (loader-hooks.mjs). Source maps on, as under tsx.
 */
import { existsSync, realpathSync } from 'node:fs'
import { register } from 'node:module'

process.setSourceMapsEnabled(true)
const main = process.argv[1]
register('./loader-hooks.mjs', import.meta.url, { data: { entry: main && existsSync(main) ? realpathSync(main) : null } })
