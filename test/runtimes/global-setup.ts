import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { npmChromiumPath } from './chromium.js'
import { HARNESS_FILES, ROOT, RUNTIMES_DIR } from './util.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** A temp project with the packed tarball installed as `node_modules/yann` and the harnesses beside it. */
    consumerDir: string
    /** The `npm pack` tarball of this checkout. */
    tarball: string
  }
}

/**
 * Once for the runtimes project: `npm pack` the built package (dist/ must exist: `npm test`
 * runs `npm run build` first) and install the tarball into a fresh temp project, the way a
 * user gets it. Every runtime test imports yann from there, never from src/ or dist/.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  await npmChromiumPath()
  const work = mkdtempSync(join(tmpdir(), 'yann-runtimes-'))
  try {
    for (const file of ['index.js', 'index.cjs', 'index.d.ts']) {
      if (!existsSync(join(ROOT, 'dist', file))) {
        throw new Error(`dist/${file} is missing: run \`npm run build\` before the runtime tests (\`npm test\` does)`)
      }
    }
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
    ) as { filename: string }[]
    const tarball = join(work, packed[0]!.filename)

    const consumerDir = join(work, 'consumer')
    execFileSync('mkdir', ['-p', consumerDir])
    writeFileSync(join(consumerDir, 'package.json'), JSON.stringify({ name: 'yann-consumer', private: true, type: 'module' }, null, 2))
    // A local tarball with zero dependencies: nothing is fetched.
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', tarball], {
      cwd: consumerDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const installed = JSON.parse(readFileSync(join(consumerDir, 'node_modules/yann/package.json'), 'utf8')) as { name: string }
    if (installed.name !== 'yann') throw new Error(`installed ${installed.name}, not yann`)
    for (const file of HARNESS_FILES) copyFileSync(join(RUNTIMES_DIR, file), join(consumerDir, file))

    project.provide('consumerDir', consumerDir)
    project.provide('tarball', tarball)
  } catch (error) {
    rmSync(work, { recursive: true, force: true })
    throw error
  }
  return () => rmSync(work, { recursive: true, force: true })
}
