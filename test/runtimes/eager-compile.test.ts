import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { wrapDeclarations } from '../../scripts/eager-compile.mjs'
import { ROOT } from './util.js'

/** scripts/eager-compile.mjs: the functions a cold start runs are written as PIFEs, which V8 compiles with their file. */
describe('eager compile (npm run build)', () => {
  it('rewrites exactly the top-level declarations whose head holds a start, into equivalent named vars', () => {
    const code = 'function a(x){return x+1}function b(){return a(1)}var c=function(){};function d(){function e(){}return e}'
    const starts = [code.indexOf('(x)'), code.indexOf('()', code.indexOf('function b')), code.indexOf('e(){}') + 1]
    const { code: out, wrapped } = wrapDeclarations(code, starts)
    expect(wrapped).toBe(2) // a and b; c is no declaration, e is not top-level
    expect(out).toBe('var a=(function(x){return x+1});var b=(function(){return a(1)});var c=function(){};function d(){function e(){}return e}')
    // The same values and names: V8 names each anonymous function after its var.
    const run = (src: string) => new Function(`${src}; return [a(2), b(), a.name, b.name, d().name]`)() as unknown[]
    expect(run(out)).toEqual(run(code))
    expect(run(out)).toEqual([3, 2, 'a', 'b', 'e'])
  })

  it('ran on the built package: dist/ holds the rewritten functions', () => {
    const chunks = readdirSync(join(ROOT, 'dist')).filter((f) => /^(index|chunk-.*)\.js$/.test(f))
    const pifes = chunks.map((f) => readFileSync(join(ROOT, 'dist', f), 'utf8').match(/var [\w$]+=\(function\(/g)?.length ?? 0)
    expect(pifes.reduce((a, b) => a + b, 0)).toBeGreaterThan(50)
  })
})
