#!/usr/bin/env node
// The bundle size a user pays, printed after `tsup` by `npm run build`: an entry bundled
// and minified by esbuild as an app bundler would, then gzipped (level 9).
//   JS       dist/index.js (the default ESM entry: the whole library) minified, with the
//            embedded base64 wasm string emptied, so it counts the JavaScript alone
//   wasm     dist/yann.wasm
//   shipped  dist/index.js minified as is, the wasm inlined as base64 (what a browser loads)
//   workerd  dist/index.workerd.js minified, yann.wasm beside it (not counted)
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { answerHelp } from './help.mjs'

answerHelp(`Usage: node scripts/bundle-size.mjs   (run by npm run build)

Prints the minified and gzipped size of dist/index.js and dist/yann.wasm.`)

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const dist = resolve(root, 'dist')

const wasmPath = [resolve(dist, 'yann.wasm'), resolve(root, 'build/yann.wasm')].find(existsSync)
for (const [what, ok] of [['dist/index.js', existsSync(resolve(dist, 'index.js'))], ['yann.wasm', wasmPath]]) {
  if (!ok) {
    console.error(`bundle-size: ${what} is missing; run \`npm run build\``)
    process.exit(1)
  }
}
const hasWorkerd = existsSync(resolve(dist, 'index.workerd.js'))

async function minified(entry) {
  const out = await build({
    entryPoints: [resolve(dist, entry)],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    external: ['*.wasm'],
    write: false,
    logLevel: 'error',
  })
  return Buffer.from(out.outputFiles[0].contents)
}

const gz = (bytes) => gzipSync(bytes, { level: 9 }).length
const kB = (n) => `${(n / 1000).toFixed(1)} kB`

const inlined = await minified('index.js')
// The wasm is one long base64 string literal; anything else that long would be a surprise.
const base64 = /(["'`])[A-Za-z0-9+/]{2000,}={0,2}\1/g
const found = inlined.toString('latin1').match(base64) ?? []
if (found.length > 1) {
  console.error(`bundle-size: expected one base64 wasm string in dist/index.js, found ${found.length}`)
  process.exit(1)
}
if (found.length === 0) console.warn('bundle-size: dist/index.js embeds no wasm: the wasm backend is not wired into src/index.ts')
const js = Buffer.from(inlined.toString('latin1').replace(base64, '""'), 'latin1')
const wasm = readFileSync(wasmPath)
const workerd = hasWorkerd ? await minified('index.workerd.js') : null

const sizes = {
  js: { min: js.length, gzip: gz(js) },
  wasm: { raw: wasm.length, gzip: gz(wasm) },
  shipped: { min: inlined.length, gzip: gz(inlined) },
  workerd: workerd && { min: workerd.length, gzip: gz(workerd) },
}
writeFileSync(resolve(root, 'build/bundle-size.json'), JSON.stringify(sizes, null, 2) + '\n')

console.log(
  `bundle size (min + gzip): JS ${kB(sizes.js.gzip)} + wasm ${kB(sizes.wasm.gzip)} = ${kB(sizes.js.gzip + sizes.wasm.gzip)}` +
    ` (JS ${kB(sizes.js.min)} min, wasm ${kB(sizes.wasm.raw)} raw);` +
    ` as shipped, wasm inlined as base64: ${kB(sizes.shipped.gzip)}; workerd entry: ${sizes.workerd ? `${kB(sizes.workerd.gzip)} + yann.wasm` : 'not built'}`,
)
