import { spawn } from 'node:child_process'
import { readdirSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { expectSeed } from './seed-expected.js'
import { devBinary, exportTarget, freePort, killGroup, logRuntime, run } from './util.js'

/** Cloudflare's compatibility date for the Worker (miniflare's limit is 2026-08-06; workerd's own is later). */
const COMPATIBILITY_DATE = '2026-08-01'

/**
 * Cloudflare workerd (the `workerd` npm package's binary) serves a Worker whose module imports
 * the file the package's exports map gives under the `workerd` condition. That entry imports
 * yann.wasm as a module (Workers refuse to compile wasm from bytes). Every file of the installed
 * dist/ is listed as a module, as a bundler like wrangler would upload them: .js as ES modules,
 * .wasm as compiled wasm modules. A request returns the seed example's numbers as JSON.
 */
describe('Cloudflare workerd', () => {
  const consumerDir = inject('consumerDir')
  let workerd: string

  beforeAll(async () => {
    workerd = devBinary('workerd')
    const version = await run(workerd, ['--version'], { cwd: consumerDir, timeoutMs: 30_000 })
    expect(version.code, `workerd --version failed: ${version.stderr}`).toBe(0)
    logRuntime('workerd', version.stdout)
  })

  it('a Worker importing the workerd entry answers a request with the seed numbers, on wasm', async () => {
    const entry = relative(consumerDir, exportTarget(consumerDir, 'workerd'))
    const distDir = join(consumerDir, 'node_modules/yann/dist')
    const modules = readdirSync(distDir)
      .filter((f) => f.endsWith('.js') || f.endsWith('.wasm'))
      .map((f) => {
        const name = relative(consumerDir, join(distDir, f))
        return `(name = "${name}", ${f.endsWith('.wasm') ? 'wasm' : 'esModule'} = embed "${name}")`
      })
    writeFileSync(
      join(consumerDir, 'worker.js'),
      `import * as yann from './${entry}'
import { runSeed } from './seed-program.js'

// A precompiled Module may be instantiated synchronously here: wasm at import.
const backendAtImport = yann.getBackend()

export default {
  async fetch() {
    try {
      await yann.ready()
      return Response.json({ backendAtImport, ...runSeed(yann) })
    } catch (error) {
      return new Response(String(error && error.stack || error), { status: 500 })
    }
  },
}
`,
    )
    const port = await freePort()
    writeFileSync(
      join(consumerDir, 'config.capnp'),
      `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "seed-program.js", esModule = embed "seed-program.js"),
    ${modules.join(',\n    ')}
  ],
  compatibilityDate = "${COMPATIBILITY_DATE}",
);
`,
    )

    const child = spawn(workerd, ['serve', 'config.capnp'], { cwd: consumerDir, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    let log = ''
    let exited: string | null = null
    child.stdout.on('data', (d: Buffer) => (log += d.toString()))
    child.stderr.on('data', (d: Buffer) => (log += d.toString()))
    child.on('exit', (code, signal) => (exited = `exited with ${code ?? signal}`))
    try {
      const deadline = Date.now() + 30_000
      let response: Response | null = null
      while (!response) {
        if (exited) throw new Error(`workerd ${exited} before serving:\n${log}`)
        if (Date.now() > deadline) throw new Error(`workerd did not answer on 127.0.0.1:${port} within 30 s:\n${log}`)
        try {
          response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(10_000) })
        } catch {
          await new Promise((r) => setTimeout(r, 200))
        }
      }
      const body = await response.text()
      expect(response.status, `the Worker failed:\n${body}\n--- workerd log\n${log}`).toBe(200)
      const result = JSON.parse(body) as Record<string, unknown>
      expectSeed(result, 'workerd')
      expect(result.backendAtImport, 'workerd instantiates the imported wasm Module synchronously: wasm at import').toBe('wasm')
    } finally {
      killGroup(child.pid)
    }
  })
})
