import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const RUNTIMES_DIR = dirname(fileURLToPath(import.meta.url))
export const ROOT = resolve(RUNTIMES_DIR, '../..')

/** Copied into the consumer project beside node_modules/yann. */
export const HARNESS_FILES = ['seed-program.js', 'esm-harness.js', 'cjs-harness.cjs'] as const

/** Harnesses print their result as one line: this marker, then JSON. */
export const RESULT_MARKER = 'YANN_RESULT '

export interface RunResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  timedOut: boolean
}

/** Spawn without a shell, kill the process group on timeout, collect output. */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; timeoutMs: number; env?: NodeJS.ProcessEnv },
): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    let stdout = ''
    let stderr = ''
    let timedOut = false
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const timer = setTimeout(() => {
      timedOut = true
      killGroup(child.pid)
    }, options.timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(new Error(`cannot start ${command}: ${error.message}`))
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolvePromise({ code, signal, stdout, stderr, timedOut })
    })
  })
}

/** SIGKILL a detached child's whole process group (ours only: the group id is the child's pid). */
export function killGroup(pid: number | undefined): void {
  if (pid === undefined) return
  try {
    process.kill(-pid, 'SIGKILL')
  } catch {
    // already gone
  }
}

/** The JSON a harness printed after RESULT_MARKER; throws with the whole output when there is none. */
export function parseResult(out: RunResult, what: string): Record<string, unknown> {
  const line = out.stdout.split('\n').find((l) => l.startsWith(RESULT_MARKER))
  if (!line) {
    throw new Error(
      `${what} printed no result (exit ${out.code}${out.signal ? `, signal ${out.signal}` : ''}${out.timedOut ? ', timed out' : ''})\n` +
        `--- stdout\n${out.stdout}\n--- stderr\n${out.stderr}`,
    )
  }
  return JSON.parse(line.slice(RESULT_MARKER.length)) as Record<string, unknown>
}

/**
 * A runtime binary installed by a devDependency (node_modules/.bin/NAME). Missing is a test
 * failure with the reason, never a skip.
 */
export function devBinary(name: string, packageName = name): string {
  const bin = join(ROOT, 'node_modules/.bin', name)
  if (!existsSync(bin)) {
    throw new Error(
      `${name} is not installed: ${bin} is missing. It comes from the \`${packageName}\` devDependency; ` +
        `\`npm ci\` installs it when package.json's allowScripts approves its install script.`,
    )
  }
  return bin
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolvePromise(address.port) : reject(new Error('no port'))))
    })
  })
}

/** The file the installed package's exports map gives for `.` under `condition`. */
export function exportTarget(consumerDir: string, condition: 'import' | 'require' | 'workerd'): string {
  const pkgDir = join(consumerDir, 'node_modules/yann')
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { exports?: Record<string, Record<string, unknown>> }
  const target = pkg.exports?.['.']?.[condition]
  if (typeof target !== 'string') throw new Error(`yann's exports map has no string '${condition}' target for '.'`)
  return join(pkgDir, target)
}

/** Report a runtime and its version in the test output (the closing note quotes these lines). */
export function logRuntime(name: string, version: string): void {
  console.log(`[runtime] ${name}: ${version.trim()}`)
}
