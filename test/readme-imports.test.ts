import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

/**
 * Every name the README imports exists in the entry it imports it from (the ONNX example once
 * imported exportOnnx from 'yann', where it is not: it lives in 'yann/onnx').
 */

const ENTRIES: Record<string, () => Promise<Record<string, unknown>>> = {
  yann: () => import('../src/index.js'),
  'yann/node': () => import('../src/node.js'),
  'yann/keras': () => import('../src/keras.js'),
  'yann/onnx': () => import('../src/onnx.js'),
  'yann/explain': () => import('../src/explain.js'),
}

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const imports = [...readme.matchAll(/^import \{ ([^}]+) \} from '(yann[^']*)'/gm)].map(([, names, entry]) => ({ entry, names: names.split(',').map((n) => n.trim().replace(/^type /, '')) }))

describe("the README's imports", () => {
  it('finds the examples\' import lines', () => expect(imports.length).toBeGreaterThanOrEqual(4))
  for (const { entry, names } of imports) {
    it(`${names.join(', ')} from '${entry}'`, async () => {
      expect(Object.keys(ENTRIES)).toContain(entry)
      const module = await ENTRIES[entry]()
      for (const name of names) expect(module[name], `${name} from '${entry}'`).toBeDefined()
    })
  }
})
