import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium as playwright, type BrowserContext } from 'playwright-core'

/** Debian's Chromium, installed by .ci/run with apt-get when missing; never a downloaded browser. */
const CHROMIUM = '/usr/bin/chromium'

/** As root, on a closed network: without the networking flags Chromium keeps trying to reach Google. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export interface Chromium {
  context: BrowserContext
  version: string
  close(): Promise<void>
}

/**
 * Headless Debian Chromium with a fresh user data dir (Playwright refuses --user-data-dir in
 * args: launchPersistentContext takes it). Missing Chromium is an error saying how to install it.
 */
export async function launchChromium(): Promise<Chromium> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (\`apt-get update && apt-get install -y chromium\`; .ci/run does this)`)
  }
  const version = execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  const userDataDir = mkdtempSync(join(tmpdir(), 'yann-chromium-'))
  const context = await playwright.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 })
  return {
    context,
    version,
    async close() {
      await context.close().catch(() => {})
      rmSync(userDataDir, { recursive: true, force: true })
    },
  }
}
