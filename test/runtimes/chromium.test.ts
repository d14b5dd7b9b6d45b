import { existsSync, readFileSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { extname, join, relative, resolve, sep } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { chromiumBuilds, launchChromium, type Chromium } from './chromium.js'
import { expectSeed } from './seed-expected.js'
import { exportTarget, logRuntime } from './util.js'

const STRICT_CSP = "script-src 'self' 'wasm-unsafe-eval'"

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.html': 'text/html', '.wasm': 'application/wasm' }

/**
 * The page: no inline script (so the strict CSP allows it), one module script that imports the
 * package's ESM entry (the exports map's `import` target, served from the installed tarball),
 * awaits ready() (a browser main thread may not compile wasm synchronously) and runs the seed.
 */
const PAGE = `<!doctype html><meta charset="utf-8"><title>yann</title><pre id="out"></pre><script type="module" src="/page.js"></script>`

function pageScript(entryUrl: string): string {
  return `import * as yann from '${entryUrl}'
import { runSeed } from '/seed-program.js'

const out = document.getElementById('out')
const violations = []
document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective + ' ' + e.blockedURI))
try {
  const backendBeforeReady = yann.getBackend()
  await yann.ready()
  const result = { backendBeforeReady, ...runSeed(yann), violations, backendInfo: yann.backendInfo() }
  out.dataset.result = JSON.stringify(result)
} catch (error) {
  out.dataset.error = String((error && error.stack) || error) + (violations.length ? '\\nCSP violations: ' + violations.join('; ') : '')
}
`
}

describe.each(chromiumBuilds())('Chromium (%s build, headless, driven by playwright-core)', (build) => {
  const consumerDir = inject('consumerDir')
  const pkgDir = join(consumerDir, 'node_modules/yann')
  let server: Server
  let origin: string
  let browser: Chromium

  beforeAll(async () => {
    browser = await launchChromium(build)
    logRuntime('chromium', browser.version)

    const entryUrl = '/yann/' + relative(pkgDir, exportTarget(consumerDir, 'import')).split(sep).join('/')
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      const send = (status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers })
        res.end(body)
      }
      if (url.pathname === '/' || url.pathname === '/csp') {
        return send(200, 'text/html', PAGE, url.pathname === '/csp' ? { 'content-security-policy': STRICT_CSP } : {})
      }
      if (url.pathname === '/page.js') return send(200, 'text/javascript', pageScript(entryUrl))
      if (url.pathname === '/seed-program.js') return send(200, 'text/javascript', readFileSync(join(consumerDir, 'seed-program.js')))
      if (url.pathname.startsWith('/yann/')) {
        const file = resolve(pkgDir, '.' + decodeURIComponent(url.pathname.slice('/yann'.length)))
        if (file.startsWith(pkgDir + sep) && existsSync(file) && statSync(file).isFile()) {
          return send(200, TYPES[extname(file)] ?? 'application/octet-stream', readFileSync(file))
        }
      }
      send(404, 'text/plain', 'not found')
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const address = server.address()
    if (!address || typeof address === 'string') throw new Error('no server address')
    origin = `http://127.0.0.1:${address.port}`
  })

  afterAll(async () => {
    await browser?.close()
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()))
  })

  it.each([
    ['no CSP', '/'],
    [`strict CSP (${STRICT_CSP})`, '/csp'],
  ])('the page runs the seed example on the wasm backend: %s', async (what, path) => {
    const page = await browser.context.newPage()
    const messages: string[] = []
    page.on('console', (m) => messages.push(`${m.type()}: ${m.text()}`))
    page.on('pageerror', (e) => messages.push(`pageerror: ${e.message}`))
    try {
      const response = await page.goto(origin + path, { timeout: 30_000 })
      expect(response?.status()).toBe(200)
      if (path === '/csp') expect(response?.headers()['content-security-policy']).toBe(STRICT_CSP)
      const out = page.locator('#out')
      await page
        .waitForFunction(() => {
          const el = document.getElementById('out')
          return !!el && ('result' in el.dataset || 'error' in el.dataset)
        }, undefined, { timeout: 30_000 })
        .catch(() => {
          throw new Error(`the page never finished (${what}); console:\n${messages.join('\n')}`)
        })
      const error = await out.getAttribute('data-error')
      expect(error, `the page threw (${what}); console:\n${messages.join('\n')}`).toBeNull()
      const result = JSON.parse((await out.getAttribute('data-result'))!) as Record<string, unknown>
      expect(result.violations, 'CSP violations').toEqual([])
      expectSeed(result, `Chromium, ${what}`)
      // Chromium ≥ 114 validates relaxed SIMD: the probe picks yann-relaxed.wasm.
      expect(result.backendInfo, 'backendInfo() in Chromium').toMatchObject({ name: 'wasm', relaxedSimd: true })
    } finally {
      await page.close()
    }
  })
})
