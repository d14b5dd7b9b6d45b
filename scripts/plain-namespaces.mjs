#!/usr/bin/env node
// Makes esbuild's namespace objects (`yann.nn`, `yann.F`, `yann.optim`, …) plain objects, filled
// once at the end of their file. Run by `npm run build` on dist/index.js, dist/index.node.js and
// their chunks (and by bench/coldstart.ts on its bundle), before scripts/eager-compile.mjs.
//
// esbuild writes `var nn={};__export(nn,{Linear:()=>Linear,…})` before the members are defined,
// so each member is a getter: ~330 small functions V8 parses at import (and compiles on first
// access) for ~0.3 ms of a ~15 ms cold start. After the file's last statement every member is
// defined, so `Object.freeze(Object.assign(nn,{Linear:Linear,…}))` there gives the same object,
// as frozen as a real ES module namespace. That holds only if nothing in the file reads the
// object before its end: an object is rewritten only when its name occurs nowhere but in its
// declaration, its __export call, the file's export list and other namespaces' getters (a
// reference, not a read). A check imports the result and compares every namespace's members.
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parse } from 'acorn'
import { answerHelp } from './help.mjs'

/** esbuild's __export helper, minified: `(r,e)=>{for(var t in e)cp(r,t,{get:e[t],enumerable:!0})}`. */
const EXPORT_HELPER = /^\(\w+,\w+\)=>\{for\(var \w+ in \w+\)[\w$]+\(\w+,\w+,\{get:\w+\[\w+\],enumerable:(!0|true)\}\);?\}$/

const parseModule = (code) => parse(code, { ecmaVersion: 'latest', sourceType: 'module' })

/** The names `ast` declares esbuild's __export helper under. */
function declaredHelpers(ast, code) {
  return ast.body.flatMap((st) =>
    st.type === 'VariableDeclaration'
      ? st.declarations.filter((d) => d.init?.type === 'ArrowFunctionExpression' && EXPORT_HELPER.test(code.slice(d.init.start, d.init.end))).map((d) => d.id.name)
      : [],
  )
}

/**
 * `code` with its namespace objects rewritten (see above), and how many. `helpers`: the local names
 * of the __export helper it imports from another chunk (code splitting puts it in one).
 */
export function plainNamespaces(code, helpers = []) {
  const ast = parseModule(code)
  helpers = new Set([...helpers, ...declaredHelpers(ast, code)])
  const empty = new Set() // top-level `var x={}`
  for (const st of ast.body) {
    if (st.type !== 'VariableDeclaration') continue
    for (const d of st.declarations) if (d.init?.type === 'ObjectExpression' && d.init.properties.length === 0) empty.add(d.id.name)
  }
  const calls = ast.body.filter((st) => {
    const e = st.type === 'ExpressionStatement' ? st.expression : null
    const [target, members] = e?.type === 'CallExpression' ? e.arguments : []
    return (
      helpers.has(e?.callee?.name) &&
      empty.has(target?.name) &&
      members?.type === 'ObjectExpression' &&
      members.properties.every((p) => p.type === 'Property' && p.value.type === 'ArrowFunctionExpression' && p.value.body.type === 'Identifier')
    )
  })
  // The references a rewritten object may have: `var x={}`, its call, getters `()=>x`, the export
  // list. Any other (or a same-named variable in an inner scope) and it stays as it is.
  const refs = references(ast)
  const getters = new Map()
  for (const c of calls) for (const p of c.expression.arguments[1].properties) getters.set(p.value.body.name, (getters.get(p.value.body.name) ?? 0) + 1)
  const exports = new Map()
  for (const st of ast.body) {
    if (st.type === 'ExportNamedDeclaration' && !st.source) for (const sp of st.specifiers) exports.set(sp.local.name, (exports.get(sp.local.name) ?? 0) + 1)
  }
  const safe = calls.filter((c) => {
    const name = c.expression.arguments[0].name
    return refs.get(name) === 2 + (getters.get(name) ?? 0) + (exports.get(name) ?? 0)
  })
  let out = ''
  let last = 0
  let tail = ''
  for (const st of safe) {
    const [target, members] = st.expression.arguments
    const values = members.properties.map((p) => `${code.slice(p.key.start, p.key.end)}:${p.value.body.name}`)
    tail += `Object.freeze(Object.assign(${target.name},{${values.join(',')}}));`
    out += code.slice(last, st.start)
    last = st.end
  }
  return { code: out + code.slice(last) + (tail && `\n${tail}\n`), rewritten: safe.length }
}

/** How often each name occurs as a variable in `ast` (not as a property name or an import's or export's outside name). */
function references(ast) {
  const counts = new Map()
  const visit = (node, parent, key) => {
    if (node.type === 'Identifier') {
      const isName =
        (parent.type === 'MemberExpression' && key === 'property' && !parent.computed) ||
        (['Property', 'MethodDefinition', 'PropertyDefinition'].includes(parent.type) && key === 'key' && !parent.computed) ||
        (parent.type === 'ImportSpecifier' && key === 'imported') || // `import {x}`: one node as imported and local
        (parent.type === 'ExportSpecifier' && key === 'exported')
      if (!isName) counts.set(node.name, (counts.get(node.name) ?? 0) + 1)
    }
    for (const [k, v] of Object.entries(node)) {
      if (Array.isArray(v)) for (const c of v) if (c && typeof c.type === 'string') visit(c, node, k)
      if (v && typeof v.type === 'string') visit(v, node, k)
    }
  }
  visit(ast, null, '')
  return counts
}

/**
 * The entry and every file it imports through relative specifiers, each with the local names it
 * imports the __export helper under (a chunk exports it, under any name, to the others).
 */
function localGraph(entry) {
  const asts = new Map([[resolve(entry), null]])
  for (const file of asts.keys()) {
    const ast = parseModule(readFileSync(file, 'utf8'))
    asts.set(file, ast)
    for (const st of ast.body) {
      const spec = st.source?.value
      if (typeof spec === 'string' && spec.startsWith('./') && spec.endsWith('.js') && !asts.has(join(dirname(file), spec))) asts.set(join(dirname(file), spec), null)
    }
  }
  const exportedHelpers = new Set() // `file:exportedName`
  for (const [file, ast] of asts) {
    const local = declaredHelpers(ast, readFileSync(file, 'utf8'))
    for (const st of ast.body.filter((st) => st.type === 'ExportNamedDeclaration' && !st.source)) {
      for (const sp of st.specifiers) if (local.includes(sp.local.name)) exportedHelpers.add(`${file}:${sp.exported.name}`)
    }
  }
  return [...asts].map(([file, ast]) => {
    const imported = ast.body.filter((st) => st.type === 'ImportDeclaration' && st.source.value.startsWith('./'))
    const helpers = imported.flatMap((st) =>
      st.specifiers.filter((sp) => sp.type === 'ImportSpecifier' && exportedHelpers.has(`${join(dirname(file), st.source.value)}:${sp.imported.name}`)).map((sp) => sp.local.name),
    )
    return { file, helpers }
  })
}

/** Every exported namespace of `entry`'s module (nested ones too) as member names and types. */
function shapes(entry) {
  const program = `const m = await import(${JSON.stringify(pathToFileURL(resolve(entry)).href)})
const seen = new Set(), out = {}
const visit = (path, o) => { if (seen.has(o)) return; seen.add(o)
  for (const [k, v] of Object.entries(o)) { out[path + k] = typeof v; if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) visit(path + k + '.', v) } }
visit('', m); console.log(JSON.stringify(out))`
  return execFileSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8' })
}

/** Rewrites `entry` and the files it imports in place; returns how many objects were rewritten. */
export function plainNamespacesOf(entry) {
  const before = shapes(entry)
  let count = 0
  for (const { file, helpers } of localGraph(entry)) {
    const { code, rewritten } = plainNamespaces(readFileSync(file, 'utf8'), helpers)
    if (rewritten) writeFileSync(file, code)
    count += rewritten
  }
  if (shapes(entry) !== before) throw new Error(`plain-namespaces: ${entry}'s namespaces changed in the rewrite`)
  return count
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  answerHelp(`Usage: node scripts/plain-namespaces.mjs [file…]   (run by npm run build)

Makes the namespace objects (nn, F, optim, …) of dist/index.js, dist/index.node.js and their
chunks (or of the files given) plain frozen objects filled at the end of their file, instead of
one getter function per member.`)
  const dist = resolve(fileURLToPath(import.meta.url), '../../dist')
  const entries = process.argv.length > 2 ? process.argv.slice(2) : [resolve(dist, 'index.js'), resolve(dist, 'index.node.js')]
  for (const entry of entries) console.log(`plain-namespaces: ${plainNamespacesOf(entry)} namespace objects of ${entry} and its chunks`)
}
