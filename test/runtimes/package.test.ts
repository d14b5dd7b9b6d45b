import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'acorn'
import { describe, expect, inject, it } from 'vitest'
import { ROOT } from './util.js'

type AstNode = { type: string; start: number; [key: string]: unknown }
type Visitor = (node: AstNode, parent: AstNode | null, key: string) => void

/** Parse `source` (acorn, latest ECMAScript) and call `visit` on every node. */
function walk(source: string, sourceType: 'module' | 'script', visit: Visitor): void {
  const go = (node: AstNode, parent: AstNode | null, key: string): void => {
    visit(node, parent, key)
    for (const [k, v] of Object.entries(node)) {
      if (Array.isArray(v)) for (const c of v) if (c && typeof c.type === 'string') go(c, node, k)
      if (v && typeof v === 'object' && typeof (v as AstNode).type === 'string') go(v as AstNode, node, k)
    }
  }
  go(parse(source, { ecmaVersion: 'latest', sourceType }) as unknown as AstNode, null, '')
}

const sourceTypeOf = (file: string) => (file.endsWith('.cjs') ? 'script' : 'module')
const excerpt = (source: string, n: AstNode) => `…${source.slice(Math.max(0, n.start - 40), n.start + 40)}…`
const nameOf = (n: unknown) => (n as AstNode | undefined)?.name as string | undefined

/**
 * Every place in `source` that makes code from a string, found on the syntax tree (so
 * `module.eval()`, PyTorch's training switch, and comments are not hits): a reference to the
 * global `eval` or `Function` (called, `new`-ed, or passed around), `globalThis.eval` and the
 * like, and `setTimeout`/`setInterval` given a string. Cloudflare Workers and strict-CSP pages
 * refuse all of them.
 */
function codeFromStrings(source: string, sourceType: 'module' | 'script'): string[] {
  const hits: string[] = []
  const banned = new Set(['eval', 'Function'])
  walk(source, sourceType, (node, parent, key) => {
    if (node.type === 'Identifier' && banned.has(node.name as string)) {
      const isPropertyName =
        parent &&
        ((parent.type === 'MemberExpression' && key === 'property' && !parent.computed) ||
          (['Property', 'MethodDefinition', 'PropertyDefinition'].includes(parent.type) && key === 'key' && !parent.computed))
      if (!isPropertyName) hits.push(`${node.name} ${excerpt(source, node)}`)
    }
    if (node.type === 'MemberExpression') {
      const p = node.property as AstNode
      const name = node.computed ? (p.type === 'Literal' ? p.value : null) : p.name
      const object = nameOf(node.object)
      if (typeof name === 'string' && banned.has(name) && ['globalThis', 'window', 'self', 'global'].includes(object ?? '')) {
        hits.push(`${object}.${name} ${excerpt(source, node)}`)
      }
    }
    if (node.type === 'CallExpression' && ['setTimeout', 'setInterval'].includes(nameOf(node.callee) ?? '')) {
      const first = (node.arguments as AstNode[])[0]
      if (first && ((first.type === 'Literal' && typeof first.value === 'string') || first.type === 'TemplateLiteral')) {
        hits.push(`${nameOf(node.callee)} with a string ${excerpt(source, node)}`)
      }
    }
  })
  return hits
}

/** The module specifiers `source` loads: static and dynamic imports, re-exports, require(). */
function specifiers(source: string, sourceType: 'module' | 'script'): string[] {
  const out: string[] = []
  const literal = (n: unknown) => {
    const node = n as AstNode | null | undefined
    if (node?.type === 'Literal' && typeof node.value === 'string') out.push(node.value)
  }
  walk(source, sourceType, (node) => {
    if (['ImportDeclaration', 'ExportAllDeclaration', 'ExportNamedDeclaration', 'ImportExpression'].includes(node.type)) literal(node.source)
    if (node.type === 'CallExpression' && nameOf(node.callee) === 'require') literal((node.arguments as AstNode[])[0])
  })
  return out
}

/** Ways of loading the wasm from a path or the network: fetch(), import.meta, __dirname, a '….wasm' string. */
function pathOrFetch(source: string, sourceType: 'module' | 'script'): string[] {
  const hits: string[] = []
  walk(source, sourceType, (node, parent, key) => {
    const hit =
      (node.type === 'CallExpression' && nameOf(node.callee) === 'fetch') ||
      (node.type === 'MetaProperty' && nameOf(node.meta) === 'import') ||
      (node.type === 'Identifier' && ['__dirname', '__filename'].includes(node.name as string) && !(parent?.type === 'MemberExpression' && key === 'property')) ||
      (node.type === 'Literal' && typeof node.value === 'string' && node.value.endsWith('.wasm'))
    if (hit) hits.push(`${node.type} ${excerpt(source, node)}`)
  })
  return hits
}

/** What `npm pack` ships and what the built files may contain. Checked on the installed tarball. */
describe('the package', () => {
  const tarball = inject('tarball')
  const consumerDir = inject('consumerDir')
  const dist = join(consumerDir, 'node_modules/yann/dist')
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>

  it('has zero runtime dependencies', () => {
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies', 'bundleDependencies']) {
      expect(pkg[field], `package.json ${field}`).toBeUndefined()
    }
  })

  it('npm pack ships dist/ and the bin (and package.json, README, LICENSE) only', () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n').map((f) => f.replace(/^package\//, ''))
    const stray = files.filter((f) => !f.startsWith('dist/') && !/^(bin\/yann\.js|package\.json|README\.md|LICENSE(\.\w+)?)$/.test(f))
    expect(stray, 'files outside dist/').toEqual([])
    expect(files.filter((f) => /\.(map|tsbuildinfo)$/.test(f)), 'source maps or build info').toEqual([])
    for (const f of ['index.js', 'index.cjs', 'index.node.js', 'index.node.cjs', 'index.d.ts', 'index.d.cts', 'node.js', 'node.cjs', 'node.d.ts', 'node.d.cts', 'index.workerd.js', 'yann.wasm', 'yann-relaxed.wasm', 'keras.js', 'keras.cjs', 'keras.d.ts', 'explain.js', 'explain.cjs', 'explain.d.ts', 'cli.js']) {
      expect(files, `dist/${f} is shipped`).toContain(`dist/${f}`)
    }
  })

  it('every exports-map target exists in the installed package', () => {
    const targets: string[] = []
    const walk = (v: unknown): void => {
      if (typeof v === 'string') targets.push(v)
      else if (v && typeof v === 'object') Object.values(v).forEach(walk)
    }
    walk(pkg.exports)
    walk([pkg.main, pkg.module, pkg.types])
    expect(targets.length).toBeGreaterThan(8)
    for (const t of targets) expect(existsSync(join(consumerDir, 'node_modules/yann', t)), t).toBe(true)
    const root = (pkg.exports as Record<string, Record<string, unknown>>)['.']!
    expect(Object.keys(root)[0], "'types' comes first, or TypeScript may never see it").toBe('types')
    const order = Object.keys(root)
    expect(order.indexOf('workerd'), "'workerd' before 'import', or workerd bundlers take the base64 entry").toBeLessThan(order.indexOf('import'))
    // Deno matches `node` too, and may not read the package's files without --allow-read: the base64 entry.
    expect(order.indexOf('deno'), "'deno' before 'node'").toBeLessThan(order.indexOf('node'))
    expect(order.indexOf('node'), "'node' before 'import', or Node takes the base64 entry").toBeLessThan(order.indexOf('import'))
  })

  it('the installed `yann` command runs the explainer, and bad arguments exit 2 with the usage', () => {
    const bin = join(consumerDir, 'node_modules/.bin/yann')
    const out = execFileSync(bin, ['explain'], { cwd: consumerDir, encoding: 'utf8', timeout: 60_000 })
    // The seed's grad W2 row, as PyTorch prints it.
    expect(out).toContain('-0.0652')
    expect(out).toContain('Hidden Layer 2 Weight Gradient')
    let status = 0
    let stderr = ''
    try {
      execFileSync(bin, ['explain', '--lr'], { cwd: consumerDir, encoding: 'utf8', stdio: 'pipe', timeout: 60_000 })
    } catch (e) {
      status = (e as { status: number }).status
      stderr = String((e as { stderr: string }).stderr)
    }
    expect(status).toBe(2)
    expect(stderr).toContain('Usage: yann explain')
    expect(stderr).not.toMatch(/\n\s+at /) // no stack trace
  })

  it('the eval scan catches what it should', () => {
    for (const sample of [
      'eval("1")',
      '(0, eval)("1")',
      'const e = eval',
      'globalThis.eval("1")',
      'x = new Function("a", "return a")',
      'const f = Function("return this")',
      'window["Function"]("x")',
      'setTimeout("x()", 1)',
    ]) {
      expect(codeFromStrings(sample, 'module'), sample).not.toEqual([])
    }
    for (const sample of ['model.eval()', 'class M { eval() { return this } }', 'const o = { eval: 1, Function: 2 }', 'typeof x === "function"', 'setTimeout(f, 1)']) {
      expect(codeFromStrings(sample, 'module'), sample).toEqual([])
    }
  })

  it('no eval, no new Function, anywhere in dist/', () => {
    const hits: string[] = []
    for (const f of readdirSync(dist).filter((f) => /\.c?js$/.test(f))) {
      const text = readFileSync(join(dist, f), 'utf8')
      for (const hit of codeFromStrings(text, sourceTypeOf(f))) hits.push(`dist/${f}: ${hit}`)
    }
    expect(hits).toEqual([])
  })

  /** Every specifier an entry loads, following relative imports through the chunks. */
  function graph(entry: string): { files: string[]; external: string[] } {
    const files: string[] = []
    const external = new Set<string>()
    const visit = (file: string): void => {
      if (files.includes(file)) return
      files.push(file)
      for (const s of specifiers(readFileSync(join(dist, file), 'utf8'), sourceTypeOf(file))) {
        if (s.startsWith('./')) {
          if (s.endsWith('.wasm')) files.push(s.slice(2))
          else visit(s.slice(2))
        } else external.add(s)
      }
    }
    visit(entry)
    return { files, external: [...external] }
  }

  it.each(['index.js', 'index.cjs'])('%s needs no path, no fetch and no Node builtin: the wasm is inside the JS', (entry) => {
    const { files, external } = graph(entry)
    expect(external, `${entry} imports`).toEqual([])
    expect(files.flatMap((f) => pathOrFetch(readFileSync(join(dist, f), 'utf8'), sourceTypeOf(f)))).toEqual([])
  })

  it('index.workerd.js imports yann.wasm as a module, beside it, and embeds no bytes', () => {
    const { files, external } = graph('index.workerd.js')
    expect(external, 'index.workerd.js imports').toEqual([])
    expect(files).toContain('yann.wasm')
    const text = files.filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(dist, f), 'utf8')).join('\n')
    const base64 = text.match(/[A-Za-z0-9+/]{4096,}/)?.[0]
    expect(base64 && `a base64 run of ${base64.length} characters: ${base64.slice(0, 40)}…`, 'the wasm bytes embedded in the workerd entry').toBeUndefined()
    const loads = files.filter((f) => f.endsWith('.js')).flatMap((f) => pathOrFetch(readFileSync(join(dist, f), 'utf8'), 'module'))
    // The two binaries, imported as modules (the probe picks one); nothing else.
    expect(loads.filter((l) => !/(['"])\.\/yann(-relaxed)?\.wasm\1/.test(l)), 'path or fetch loads').toEqual([])
    expect(files).toContain('yann-relaxed.wasm')
  })

  it.each(['index.node.js', 'index.node.cjs'])('%s (the `node` condition) embeds no binary and reads yann.wasm or yann-relaxed.wasm beside it', (entry) => {
    const { files, external } = graph(entry)
    // node:fs comes from process.getBuiltinModule; the import() is the fallback for Node < 20.16.
    expect(external.filter((s) => s !== 'node:fs'), `${entry} imports`).toEqual([])
    const text = files.map((f) => readFileSync(join(dist, f), 'utf8')).join('\n')
    const base64 = text.match(/[A-Za-z0-9+/]{4096,}/)?.[0]
    expect(base64 && `a base64 run of ${base64.length} characters: ${base64.slice(0, 40)}…`, 'wasm bytes embedded in the Node entry').toBeUndefined()
    const loads = files.flatMap((f) => pathOrFetch(readFileSync(join(dist, f), 'utf8'), sourceTypeOf(f)))
    expect(loads.filter((l) => l.startsWith('CallExpression')), 'fetch()').toEqual([])
    for (const binary of ['yann.wasm', 'yann-relaxed.wasm']) {
      expect(loads.some((l) => l.startsWith('Literal') && l.includes(`"${binary}"`)), `reads ${binary}`).toBe(true)
      expect(existsSync(join(dist, binary)), `dist/${binary}`).toBe(true)
    }
  })

  it.each(['node.js', 'node.cjs'])('%s (yann/node) loads only node: builtins', (entry) => {
    const { external } = graph(entry)
    expect(external.filter((s) => !s.startsWith('node:'))).toEqual([])
  })
})
