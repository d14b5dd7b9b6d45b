#!/usr/bin/env node
// The bundle size a user pays, printed after `tsup` by `npm run build`: each entry bundled
// and minified by esbuild as an app bundler would, then gzipped (level 9).
//   JS        the entry with everything it imports, its embedded base64 wasm strings emptied,
//             so it counts the JavaScript alone; `yann/keras` and `yann/explain` include the
//             core they import (the "over yann" column is what they add to it)
//   wasm      dist/yann.wasm and dist/yann-relaxed.wasm: one of them is loaded
//   yann      JS + one binary: the figure the 40 KB target is about
//   shipped   dist/index.js minified as is, both binaries inlined (what a browser loads); the
//             Node entry, dist/index.node.js, embeds none (it reads one of the two files)
// Writes build/bundle-size.json.
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
const entries = ['index.js', 'index.node.js', 'keras.js', 'explain.js', 'node.js', 'index.workerd.js']
/** Entries that must embed no binary: they load a .wasm file instead. */
const fileLoading = ['index.node.js', 'index.workerd.js']
const binaries = ['yann.wasm', 'yann-relaxed.wasm']

for (const f of ['index.js', ...binaries]) {
  if (!existsSync(resolve(dist, f))) {
    console.error(`bundle-size: dist/${f} is missing; run \`npm run build\``)
    process.exit(1)
  }
}

async function minified(entry) {
  const out = await build({
    entryPoints: [resolve(dist, entry)],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    external: ['*.wasm', 'node:*'],
    write: false,
    logLevel: 'error',
  })
  return Buffer.from(out.outputFiles[0].contents)
}

const gz = (bytes) => gzipSync(bytes, { level: 9 }).length
const kB = (n) => `${(n / 1000).toFixed(1)} kB`
// The embedded wasm: yann.wasm's base64 and yann-relaxed.wasm's delta from it (~0.7 kB of base64):
// long base64 string literals; anything else that long would be a surprise.
const base64 = /(["'`])[A-Za-z0-9+/]{500,}={0,2}\1/g

const sizes = { entries: {}, wasm: {} }
let shipped = null
for (const entry of entries.filter((e) => existsSync(resolve(dist, e)))) {
  const bytes = await minified(entry)
  const text = bytes.toString('latin1')
  const found = text.match(base64) ?? []
  const most = fileLoading.includes(entry) ? 0 : binaries.length
  if (found.length > most) {
    console.error(`bundle-size: expected at most ${most} base64 wasm strings in dist/${entry}, found ${found.length}`)
    process.exit(1)
  }
  if (entry === 'index.js') {
    if (found.length !== binaries.length) console.warn(`bundle-size: dist/index.js embeds ${found.length} wasm binaries, expected ${binaries.length}`)
    shipped = { min: bytes.length, gzip: gz(bytes) }
  }
  const js = Buffer.from(text.replace(base64, '""'), 'latin1')
  sizes.entries[entry] = { min: js.length, gzip: gz(js) }
}
for (const b of binaries) {
  const bytes = readFileSync(resolve(dist, b))
  sizes.wasm[b] = { raw: bytes.length, gzip: gz(bytes) }
}
sizes.shipped = shipped
const core = sizes.entries['index.js'].gzip
sizes.yann = { plain: core + sizes.wasm['yann.wasm'].gzip, relaxed: core + sizes.wasm['yann-relaxed.wasm'].gzip }
writeFileSync(resolve(root, 'build/bundle-size.json'), JSON.stringify(sizes, null, 2) + '\n')

const rows = [['', 'min', 'min+gzip', 'over yann']]
for (const [entry, s] of Object.entries(sizes.entries)) {
  rows.push([`dist/${entry}`, kB(s.min), kB(s.gzip), entry === 'index.js' ? '' : `${s.gzip >= core ? '+' : ''}${kB(s.gzip - core)}`])
}
for (const [b, s] of Object.entries(sizes.wasm)) rows.push([`dist/${b}`, kB(s.raw), kB(s.gzip), ''])
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)))
console.log('bundle size (esbuild minified, gzip -9; JS without the embedded wasm):')
for (const r of rows) console.log('  ' + r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '))
console.log(
  `  yann = JS + one binary: ${kB(sizes.yann.plain)} (yann.wasm), ${kB(sizes.yann.relaxed)} (yann-relaxed.wasm);` +
    ` as shipped, both binaries inlined (the relaxed one as a delta): ${kB(shipped.gzip)}`,
)
