import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sparticuz from '@sparticuz/chromium'
import { chromium as playwright, type BrowserContext } from 'playwright-core'

/** Debian's Chromium: used in addition to the npm one when the machine has it. */
const DEBIAN_CHROMIUM = '/usr/bin/chromium'

/** As root, on a closed network: without the networking flags Chromium keeps trying to reach Google. */
const DEBIAN_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/**
 * `npm`: the headless Chromium shipped inside the `@sparticuz/chromium` devDependency, so
 * `npm ci && npm test` needs nothing else. `debian`: /usr/bin/chromium, when installed.
 */
export type ChromiumBuild = 'npm' | 'debian'

/**
 * The builds the browser tests run in: always the npm one; Debian's too when it exists.
 * YANN_HIDE_SYSTEM_CHROMIUM=1 hides Debian's, to prove the tests pass on a machine without it.
 */
export function chromiumBuilds(): ChromiumBuild[] {
  const hidden = process.env.YANN_HIDE_SYSTEM_CHROMIUM === '1'
  return !hidden && existsSync(DEBIAN_CHROMIUM) ? ['npm', 'debian'] : ['npm']
}

/**
 * Unpacks the npm Chromium (into os.tmpdir()/chromium, once). The runtimes' global setup calls
 * it, so parallel test files never race to unpack the same file.
 */
export function npmChromiumPath(): Promise<string> {
  return sparticuz.executablePath()
}

export interface Chromium {
  context: BrowserContext
  version: string
  close(): Promise<void>
}

/**
 * Headless Chromium with a fresh user data dir (Playwright refuses --user-data-dir in
 * args: launchPersistentContext takes it).
 */
export async function launchChromium(build: ChromiumBuild): Promise<Chromium> {
  const executablePath = build === 'npm' ? await npmChromiumPath() : DEBIAN_CHROMIUM
  const args = build === 'npm' ? sparticuz.args : DEBIAN_ARGS
  const userDataDir = mkdtempSync(join(tmpdir(), 'yann-chromium-'))
  const context = await playwright.launchPersistentContext(userDataDir, { executablePath, headless: true, args, timeout: 60_000 })
  const version = context.browser()?.version() ?? execFileSync(executablePath, ['--version'], { encoding: 'utf8' }).trim()
  return {
    context,
    version: `${build} ${version}`,
    async close() {
      await context.close().catch(() => {})
      rmSync(userDataDir, { recursive: true, force: true })
    },
  }
}
