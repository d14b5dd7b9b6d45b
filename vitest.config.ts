import { configDefaults, defineConfig } from 'vitest/config'

/**
 * One suite, run once per backend: each project sets YANN_BACKEND and test/setup.ts
 * switches to it before any test runs. No per-backend exclusion lists.
 */
const backends = ['ts', 'wasm'] as const

export default defineConfig({
  test: {
    // Two test files at once (vitest's default is one on 2 cores: cores - 1). Each file keeps its
    // own process (forks, isolated): two at once share nothing but the disk, and the runtimes' files
    // already wait on their child processes for most of their time.
    maxWorkers: 2,
    projects: [
      ...backends.map((name) => ({
        extends: true as const,
        test: {
          name,
          env: { YANN_BACKEND: name },
          setupFiles: ['test/setup.ts'],
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/runtimes/**', 'test/relaxed/**'],
          // Tests assert values, never speed; training runs (MNIST, 10 000 steps) on a shared
          // 2-core machine can take several times their quiet duration.
          testTimeout: 60_000,
        },
      })),
      // The wasm kernels once more with build/yann-relaxed.wasm (fused multiply-add: results agree
      // with the plain binary within the float32 tolerances): Node 20 validates relaxed SIMD only
      // behind this flag, and with it the load-time probe picks the relaxed binary. The op, oracle,
      // gradcheck and backend tests only (they reach every kernel; the rest would add minutes), and
      // test/relaxed/ (both binaries side by side).
      {
        extends: true as const,
        test: {
          name: 'wasm-relaxed',
          env: { YANN_BACKEND: 'wasm', YANN_WASM_BINARY: 'relaxed' },
          execArgv: ['--experimental-wasm-relaxed-simd'],
          setupFiles: ['test/setup.ts'],
          include: ['test/ops/**/*.test.ts', 'test/oracle/**/*.test.ts', 'test/backend/**/*.test.ts', 'test/autograd/gradcheck.test.ts', 'test/relaxed/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
      // The built package in real runtimes (Node, Chromium, Deno, Bun, workerd): once, not per
      // backend. Needs dist/: `npm test` builds first. See test/runtimes/global-setup.ts.
      {
        extends: true as const,
        test: {
          name: 'runtimes',
          include: ['test/runtimes/**/*.test.ts'],
          globalSetup: ['test/runtimes/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
})
