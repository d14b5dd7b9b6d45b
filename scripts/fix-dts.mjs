#!/usr/bin/env node
// Repairs one known defect of tsup's bundled declarations (rollup-plugin-dts 6.1.1, tsup
// issue #544): a namespace (`nn`, `optim`) whose members come from a shared declaration chunk
// declares each member as a value, `declare const nn_AnyModule: typeof AnyModule`, even when the
// chunk exports it as a type only (`export { type AnyModule as A }`); consumers then fail with
// TS2693. Shared chunks appear since `yann/keras` and `yann/explain` share nn and optim with
// `yann`. Drops such lines; the namespace then exports the imported type directly. Run by
// `npm run build`, after tsup.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'

const dist = resolve(import.meta.dirname, '../dist')
const files = readdirSync(dist).filter((f) => /\.d\.c?ts$/.test(f))

/** The names a chunk exports as types only: `export { type X as A, ... }` → A. */
function typeOnlyExports(chunk) {
  const text = readFileSync(resolve(dist, chunk), 'utf8')
  const names = new Set()
  for (const m of text.matchAll(/^export \{([^}]*)\};?$/gm)) {
    for (const spec of m[1].split(',')) {
      const t = /^\s*type\s+([\w$]+)(?:\s+as\s+([\w$]+))?\s*$/.exec(spec)
      if (t) names.add(t[2] ?? t[1])
    }
  }
  return names
}

let fixed = 0
for (const file of files) {
  let text = readFileSync(resolve(dist, file), 'utf8')
  const typeOnly = new Set()
  for (const m of text.matchAll(/^import \{([^}]*)\} from '\.\/([^']+)';$/gm)) {
    const chunk = m[2].replace(/\.c?js$/, file.endsWith('.d.cts') ? '.d.cts' : '.d.ts')
    const exported = typeOnlyExports(chunk)
    for (const spec of m[1].split(',')) {
      const s = /^\s*(?:type\s+)?([\w$]+)(?:\s+as\s+([\w$]+))?\s*$/.exec(spec)
      if (s && exported.has(s[1])) typeOnly.add(s[2] ?? s[1])
    }
  }
  // Drop the wrong value declaration and let the namespace export the imported type itself
  // (an alias would lose a generic type's parameters).
  let next = text
  for (const [line, alias, name] of text.matchAll(/^declare const ([\w$]+): typeof ([\w$]+);$/gm)) {
    if (!typeOnly.has(name)) continue
    fixed++
    next = next.replace(line + '\n', '').split(`${alias} as `).join(`${name} as `)
  }
  if (next !== text) writeFileSync(resolve(dist, file), next)
}
console.log(`fix-dts: ${fixed} type-only namespace members no longer declared as values`)
