#!/usr/bin/env node
// The `yann` command (package.json "bin"): runs the built CLI, dist/cli.js (the tsup entry src/cli.ts).
// From a checkout without a build: `npm run yann -- explain`.
import('../dist/cli.js').then(
  async ({ main }) => {
    process.exitCode = await main(process.argv.slice(2))
  },
  (e) => {
    console.error(`yann: cannot load dist/cli.js (${e.message}); run \`npm run build\` first`)
    process.exitCode = 1
  },
)
