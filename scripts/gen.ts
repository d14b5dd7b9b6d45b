// Writes the AssemblyScript files that come from the op table (src/backend/opcodes.ts):
// `npm run gen`, then `npm run build:wasm`. test/backend/generated.test.ts checks they are
// up to date, so an op added on the TypeScript side only fails the tests.
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { generatedFiles } from './generate.js'
import { answerHelp } from './help.mjs'

answerHelp(`Usage: npm run gen   (npx tsx scripts/gen.ts)

Writes the AssemblyScript files generated from the op table (src/backend/opcodes.ts); then run npm run build:wasm.`)

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
for (const [path, text] of Object.entries(generatedFiles())) {
  const file = resolve(root, path)
  let previous = ''
  try {
    previous = readFileSync(file, 'utf8')
  } catch {
    // first run
  }
  if (previous !== text) {
    writeFileSync(file, text)
    console.log(`gen: wrote ${path}`)
  }
}
