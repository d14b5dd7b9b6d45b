/**
 * What the `yann` entry's JS is made of: src/index.ts bundled and minified by esbuild (as
 * `npm run build` measures it, the embedded wasm strings left out), each output byte attributed
 * through the source map to the module that produced it, grouped by directory. Per group: minified
 * bytes, their share of the bundle, its share of the gzipped total (the bundle's gzip size split in
 * proportion to each group's own gzip size), and how much of the group is string literals
 * (error messages, names). Run: npm run bench:file -- bench/size-breakdown.ts [--files N]
 */
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { tokenizer } from 'acorn'
import { build } from 'esbuild'
import { SourceMapConsumer } from 'source-map-js'
import { answerHelp } from '../scripts/help.mjs'

const root = resolve(import.meta.dirname, '..')

/** The breakdown as text lines; with `topFiles`, each group's largest files under it. */
export async function sizeBreakdown(topFiles = 0): Promise<string[]> {
  const lines: string[] = []
  const out = await build({
    entryPoints: [join(root, 'src/index.ts')],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    external: ['node:*'],
    sourcemap: 'external',
    outfile: 'yann.js',
    write: false,
    logLevel: 'error',
  })
  const code = out.outputFiles.find((f) => f.path.endsWith('.js'))!.text
  const map = new SourceMapConsumer(JSON.parse(out.outputFiles.find((f) => f.path.endsWith('.map'))!.text))

  // The output's text per source file: each mapping owns the bytes up to the next mapping.
  const lineStarts = [0]
  for (let i = 0; i < code.length; i++) if (code[i] === '\n') lineStarts.push(i + 1)
  const marks: { at: number; source: string }[] = []
  map.eachMapping((m) => marks.push({ at: lineStarts[m.generatedLine - 1] + m.generatedColumn, source: m.source ?? '(none)' }))
  marks.sort((a, b) => a.at - b.at)
  const textOf = new Map<string, string[]>()
  for (let i = 0; i < marks.length; i++) {
    const piece = code.slice(marks[i].at, i + 1 < marks.length ? marks[i + 1].at : code.length)
    const list = textOf.get(marks[i].source) ?? []
    list.push(piece)
    textOf.set(marks[i].source, list)
  }

  /** src/backend/wasm/x.ts → backend/wasm; src/ops/x.ts → ops; src/tensor.ts → (src top level). */
  function group(source: string): string {
    const rel = source.replace(/^.*?src\//, '')
    const parts = rel.split('/')
    if (parts.length === 1) return '(src/*.ts)'
    return parts[0] === 'backend' || parts[0] === 'optim' ? parts.slice(0, Math.min(2, parts.length - 1)).join('/') : parts[0]
  }

  const base64 = /(["'`])[A-Za-z0-9+/]{500,}={0,2}\1/g
  const isWasmString = (s: string): boolean => /binary\.generated/.test(s)
  const groups = new Map<string, { text: string; files: Map<string, number> }>()
  for (const [source, pieces] of textOf) {
    if (isWasmString(source)) continue
    const text = pieces.join('').replace(base64, '""')
    const g = group(source)
    const entry = groups.get(g) ?? { text: '', files: new Map() }
    entry.text += text
    entry.files.set(source.replace(/^.*?src\//, 'src/'), text.length)
    groups.set(g, entry)
  }

  /** String-literal bytes per source: the whole bundle tokenised, each literal owned by the mapping before it. */
  const stringsOf = new Map<string, number>()
  for (const t of tokenizer(code, { ecmaVersion: 'latest', sourceType: 'module' })) {
    if (t.type.label !== 'string' && t.type.label !== 'template') continue
    let lo = 0
    let hi = marks.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (marks[mid].at <= t.start) lo = mid
      else hi = mid - 1
    }
    const source = marks[lo].source
    if (!isWasmString(source)) stringsOf.set(group(source), (stringsOf.get(group(source)) ?? 0) + t.end - t.start)
  }

  const whole = code.replace(base64, '""')
  const totalMin = whole.length
  const totalGz = gzipSync(whole, { level: 9 }).length
  const rows = [...groups].map(([name, g]) => ({ name, min: g.text.length, ownGz: gzipSync(g.text, { level: 9 }).length, strings: stringsOf.get(name) ?? 0, files: g.files }))
  const sumOwnGz = rows.reduce((s, r) => s + r.ownGz, 0)
  rows.sort((a, b) => b.min - a.min)
  const kB = (n: number): string => (n / 1000).toFixed(1).padStart(6)
  lines.push(`yann entry JS: ${kB(totalMin)} kB minified, ${kB(totalGz)} kB min+gzip (wasm strings left out)`)
  lines.push('group                 min kB   share  ~gzip kB  strings kB')
  for (const r of rows) {
    lines.push(
      `${r.name.padEnd(20)} ${kB(r.min)}  ${((100 * r.min) / totalMin).toFixed(1).padStart(5)}%   ${kB((r.ownGz / sumOwnGz) * totalGz)}     ${kB(r.strings)}`,
    )
    if (topFiles > 0) for (const [f, n] of [...r.files].sort((a, b) => b[1] - a[1]).slice(0, topFiles)) lines.push(`    ${f.padEnd(44)} ${kB(n)}`)
  }
  lines.push(`string literals in all: ${kB(rows.reduce((s, r) => s + r.strings, 0))} kB`)
  return lines
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  answerHelp(`Usage: npm run bench:file -- bench/size-breakdown.ts [--files N]

The yann entry's minified JS by source directory: bytes, gzip share, string literals.`)
  const argv = process.argv.slice(2)
  console.log((await sizeBreakdown(argv.includes('--files') ? Number(argv[argv.indexOf('--files') + 1]) : 0)).join('\n'))
}
