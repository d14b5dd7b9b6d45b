/**
 * The bench's entry file and everything it imports from the repository as one esbuild bundle,
 * built the way tsup builds dist/ (one scope, minified but for identifiers, target es2022, no keepNames): yann's
 * modules then call each other as they do in what users import, not across ~280 ES module
 * boundaries (bench/notes/issue-16-compile.md). npm packages stay imports.
 */
import { readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build } from 'esbuild'

/**
 * Each bundled file keeps its own `import.meta.url`, `.dirname` and `.filename` (the bench and
 * src/backend/wasm/files.ts find files relative to themselves; a `import.meta.filename ===
 * process.argv[1]` check stays true only in the entry file).
 */
const ownImportMeta = {
  name: 'own-import-meta',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?[jt]s$/ }, async ({ path }) => {
      if (path.includes('/node_modules/')) return undefined
      const values = { url: pathToFileURL(path).href, dirname: dirname(path), filename: path }
      const source = await readFile(path, 'utf8')
      const contents = source.replace(/\bimport\.meta\.(url|dirname|filename)\b/g, (_, key) => JSON.stringify(values[key]))
      return { contents, loader: path.endsWith('ts') ? 'ts' : 'js' }
    })
  },
}

/** `file` (a .ts path) bundled with the repository files it imports, as ESM source with an inline source map. */
export async function bundle(file) {
  const result = await build({
    entryPoints: [file],
    outfile: `${file}.bundle.js`, // not written: it only places the source map's paths beside `file`
    write: false,
    bundle: true,
    format: 'esm',
    platform: 'node',
    packages: 'external',
    target: 'es2022',
    // Whitespace and syntax minified as in dist/, identifiers kept: CPU profiles then name yann's
    // functions (bench/lib/profile.ts). Names do not change the code V8 runs: a bundle with nothing
    // minified read as fast as a minified one (bench/notes/issue-16-compile.md, 2026-11-29 13:23).
    minifyWhitespace: true,
    minifySyntax: true,
    keepNames: false,
    sourcemap: 'inline',
    sourcesContent: false,
    plugins: [ownImportMeta],
    logLevel: 'silent',
  })
  return result.outputFiles[0].text
}
