import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs'
import { basename } from 'node:path'
import type { Plugin } from 'esbuild'
import { defineConfig, type Options } from 'tsup'

/**
 * dist/ as the package ships it:
 *   index.js / index.cjs (+ .d.ts / .d.cts)  `yann`: the wasm bytes are embedded (base64) in the JS,
 *                                           so nothing needs a path or a fetch
 *   node.js / node.cjs (+ types)            `yann/node`: Node-only helpers (node:fs)
 *   keras.js / keras.cjs (+ types)          `yann/keras`: the Keras-style API
 *   explain.js / explain.cjs (+ types)      `yann/explain`: the backpropagation explainer
 *   onnx.js / onnx.cjs (+ types)            `yann/onnx`: ONNX export
 *   index.workerd.js + yann.wasm            `yann` under the `workerd` condition (and yann-relaxed.wasm,
 *                                           used where relaxed SIMD validates): Cloudflare Workers
 *                                           refuse to compile wasm from bytes but accept a .wasm
 *                                           imported as a module, so the binary sits beside the JS
 *   index.node.js / index.node.cjs          `yann` under the `node` condition: no embedded binary; it
 *                                           reads yann.wasm or yann-relaxed.wasm from dist/ at import
 *                                           (V8 never scans their base64: a shorter cold start)
 *   cli.js                                  the `yann` command, run by bin/yann.js
 *
 * `yann` (both flavours), `yann/node`, `yann/keras`, `yann/explain` and `yann/onnx` are one build with code
 * splitting, so the entries share one chunk: one Tensor class and one backend registry, whichever entry a
 * user imports first.
 * The workerd entry is a build of its own: one self-contained file next to the two binaries.
 */

// Two builds run in parallel, so neither may `clean`: empty dist/ once, here.
rmSync('dist', { recursive: true, force: true })

const common: Options = {
  target: 'es2022',
  platform: 'neutral',
  external: [/^node:/],
  removeNodeProtocol: false, // Deno and workerd need the node: prefix; Node 20 takes it
  sourcemap: false,
  // Minified: a quarter of the bytes to parse at import (cold start) and to ship. esbuild
  // escapes non-ASCII characters in strings and identifiers by default: dist/ stays ASCII.
  minify: true,
  treeshake: true,
}

function copyToDist(source: string): void {
  if (!existsSync(source)) throw new Error(`tsup: ${source} is missing; run \`npm run build\` (it builds the wasm first)`)
  mkdirSync('dist', { recursive: true })
  copyFileSync(source, `dist/${basename(source)}`)
}

/** Keep `import wasmModule from '…/yann.wasm'` as an import of `./yann.wasm`, and copy the file beside the bundle. */
const wasmAsModule: Plugin = {
  name: 'wasm-as-module',
  setup(build) {
    const copies = new Set<string>()
    build.onResolve({ filter: /\.wasm$/ }, (args) => {
      const source = new URL(args.path, `file://${args.resolveDir}/`).pathname
      copies.add(source)
      return { path: `./${basename(source)}`, external: true }
    })
    build.onEnd((result) => {
      if (!result.errors.length) copies.forEach(copyToDist)
    })
  },
}

/** The Node entry reads the binaries from beside it (src/backend/wasm/files.ts). */
const binariesBeside: Plugin = {
  name: 'binaries-beside',
  setup(build) {
    build.onEnd((result) => {
      if (!result.errors.length) ['build/yann.wasm', 'build/yann-relaxed.wasm'].forEach(copyToDist)
    })
  },
}

export default defineConfig([
  {
    ...common,
    entry: {
      index: 'src/index.ts',
      'index.node': 'src/index.node.ts',
      node: 'src/node.ts',
      keras: 'src/keras.ts',
      explain: 'src/explain.ts',
      onnx: 'src/onnx.ts',
    },
    format: ['esm', 'cjs'],
    splitting: true,
    esbuildPlugins: [binariesBeside],
    // Members marked @internal (autograd's scratch fields, engine hooks) stay out of the types users see.
    dts: { compilerOptions: { stripInternal: true } },
  },
  {
    ...common,
    entry: { 'index.workerd': 'src/index.workerd.ts' },
    format: ['esm'],
    splitting: false,
    dts: false, // types come from index.d.ts: the exports map lists `types` first
    esbuildPlugins: [wasmAsModule],
  },
  {
    // The `yann` command (bin/yann.js loads it): Node only, ESM (the examples it runs use
    // top-level await), self-contained. `train-mnist` finds the mnist data package at run time.
    ...common,
    entry: { cli: 'src/cli.ts' },
    format: ['esm'],
    platform: 'node',
    splitting: false,
    dts: false,
  },
])
