/**
 * A bench suite in a child process: `node <flags> --import bench/lib/loader.mjs <file> --child
 * [args]`, so the child reads yann's sources as `npm run bench` does (no esbuild keepNames), however
 * the parent was started. Returns the JSON the child prints on its last line.
 */
import { execFileSync } from 'node:child_process'

const LOADER = new URL('./loader.mjs', import.meta.url).href

export function runChild<T>(file: string, flags: string[], args: string[]): T {
  const out = execFileSync(process.execPath, [...flags, '--import', LOADER, file, '--child', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 24,
  })
  return JSON.parse(out.trim().split('\n').pop()!) as T
}
