import { defineConfig } from 'vitest/config'

/**
 * One suite, run once per backend: each project sets YANN_BACKEND and test/setup.ts
 * switches to it before any test runs. No per-backend exclusion lists.
 */
const backends = ['ts'] as const

export default defineConfig({
  test: {
    projects: backends.map((name) => ({
      extends: true,
      test: { name, env: { YANN_BACKEND: name }, setupFiles: ['test/setup.ts'], include: ['test/**/*.test.ts'] },
    })),
  },
})
